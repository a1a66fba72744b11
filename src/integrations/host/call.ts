/**
 * One attempt of a native-host method for a delivery step (`db.*`, `fs.write`), shaped like the
 * other integrations' attempts so the retry, breaker and settlement layers treat it alike: a result
 * is a success (`status` 200 stands for "the host answered"), and a failure is the host's typed
 * RpcError, which src/resilience/host-outcome.ts classifies.
 */
import type { MethodName, ParamsOf, ResultOf } from '../../protocol/catalogue';

/** The part of the background's NativeClient a delivery needs. */
export interface HostCaller {
  call<M extends MethodName>(method: M, params?: ParamsOf<M>, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<ResultOf<M>>;
}

export interface HostAttempt {
  kind: 'host';
  method: MethodName;
  /** Always 200: an answer; failures are thrown. Lets outcome classification read it like an HTTP success. */
  status: 200;
  ok: true;
  headers: Record<string, string>;
  /** The method's result, checked by the host against the catalogue. */
  body: unknown;
  durationMs: number;
}

/** Writes can take a while (a 10,000-row batchInsert, a large file): longer than the client's 30 s default. */
export const HOST_DELIVERY_TIMEOUT_MS = 120_000;

export async function sendHostRequest<M extends MethodName>(host: HostCaller, method: M, params: ParamsOf<M>, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<HostAttempt> {
  const started = performance.now();
  const body = await host.call(method, params, { timeoutMs: options.timeoutMs ?? HOST_DELIVERY_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) });
  return { kind: 'host', method, status: 200, ok: true, headers: {}, body, durationMs: performance.now() - started };
}

export function isHostAttempt(value: unknown): value is HostAttempt {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'host';
}
