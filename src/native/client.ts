/**
 * The background's JSON-RPC client for the native host: one long-lived port opened on demand,
 * calls correlated by id, per-call timeouts and cancellation, transparent `$/chunk` splitting and
 * reassembly, progress notifications, and on disconnect every pending call rejected with a typed
 * error carrying the browser's reason. The next call after a failure reconnects with backoff.
 * Messages to the host go whole up to MAX_MESSAGE_BYTES_TO_HOST (only the host → browser direction
 * is capped at 1 MiB), and records sent to db.insert / db.batchInsert go as a record table
 * (write-params.ts): both measured to reach the host faster.
 *
 * Results are not re-validated here: the host validates every result against the same catalogue
 * before sending it, and validating twice would cost the hot path (system.ping) for nothing.
 */
import type { MethodName, ParamsOf, ResultOf } from '../protocol/catalogue';
import { ChunkAssembler, DEFAULT_MAX_MESSAGE_BYTES, MAX_MESSAGE_BYTES_TO_HOST, chunkMessages, fitsInOneMessage } from '../protocol/chunking';
import { ErrorCode, RpcError, isRpcError } from '../protocol/errors';
import { surelyFitsJson } from '../protocol/json-size';
import { classify, notification, request, type Params, type RequestId, type ResponseMessage } from '../protocol/jsonrpc';
import { CANCEL_REQUEST, CHUNK, PROGRESS, progressParams, type ProgressParams } from '../protocol/notifications';
import { DEFAULT_BACKOFF, delay, reconnectDelay, type BackoffOptions } from './backoff';
import { Deadlines } from './deadlines';
import { diagnoseDisconnect, type NativePort, type PortConnector } from './port';
import { encodeWriteParams } from './write-params';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected';

export interface CallOptions {
  /** Milliseconds before the call rejects with CallTimeout (and the host is asked to cancel). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ProgressParams) => void;
}

export interface NativeClientOptions {
  connector: PortConnector;
  defaultTimeoutMs?: number;
  /** Messages whose JSON is larger are sent as `$/chunk` pieces of at most 1,000,000 bytes (default MAX_MESSAGE_BYTES_TO_HOST, 8 MiB). */
  maxMessageBytes?: number;
  /** Largest chunked message the client will reassemble. */
  maxAssembledBytes?: number;
  backoff?: BackoffOptions;
}

export interface DisconnectInfo {
  code: number;
  reason: string;
  message: string;
  hint: string;
  at: number;
}

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: RpcError): void;
  onProgress?: (progress: ProgressParams) => void;
  cleanup(): void;
}

export class NativeClient {
  private port: NativePort | undefined;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly deadlines = new Deadlines<RequestId>();
  /** Chunk stream id → the call whose params it carries. */
  private readonly outgoingStreams = new Map<string, RequestId>();
  private readonly assembler: ChunkAssembler;
  private nextId = 1;
  private streamCounter = 0;
  private consecutiveFailures = 0;
  private connectGate: Promise<void> = Promise.resolve();
  private stateValue: ConnectionState = 'idle';
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly notificationListeners = new Set<(method: string, params: unknown) => void>();
  /** Why the last port closed, for status displays. */
  lastDisconnect: DisconnectInfo | undefined;

  constructor(private readonly options: NativeClientOptions) {
    this.assembler = new ChunkAssembler({ maxMessageBytes: options.maxAssembledBytes ?? 512 * 1024 * 1024 });
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Host-initiated notifications other than progress and chunks. */
  onNotification(listener: (method: string, params: unknown) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** Calls a catalogue method; params and result are typed from the shared catalogue. */
  call<M extends MethodName>(method: M, params?: ParamsOf<M>, options?: CallOptions): Promise<ResultOf<M>> {
    return this.callRaw(method, params as Params | undefined, options) as Promise<ResultOf<M>>;
  }

  /** Calls any method by name (test-only methods, methods of newer hosts). */
  callRaw(method: string, params?: Params, options: CallOptions = {}): Promise<unknown> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelled(method));
    // With a port already open, post in this turn: no connect gate, no extra microtask hops.
    if (!this.port) {
      return this.ensurePort(signal).then(
        () => this.callRaw(method, params, options),
        (error: unknown) => {
          throw isRpcError(error) && error.code !== ErrorCode.RequestCancelled ? error : cancelled(method);
        },
      );
    }
    const port = this.port;
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 30_000;
      this.deadlines.add(id, timeoutMs, () =>
        this.abandon(id, new RpcError(ErrorCode.CallTimeout, `"${method}" got no answer within ${timeoutMs} ms`, { method, timeoutMs })),
      );
      const onAbort = signal ? () => this.abandon(id, cancelled(method)) : undefined;
      let stream: string | undefined;
      if (onAbort) signal!.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve,
        reject,
        onProgress: options.onProgress,
        cleanup: () => {
          this.deadlines.remove(id);
          if (onAbort) signal!.removeEventListener('abort', onAbort);
          if (stream !== undefined) this.outgoingStreams.delete(stream);
        },
      });
      try {
        // A request without params is a few dozen bytes: no need to measure it.
        if (params === undefined) port.postMessage(request(id, method));
        else stream = this.post(port, request(id, method, encodeWriteParams(method, params)));
        // The host reports a broken chunk stream by stream id; map it back to this call.
        if (stream !== undefined && this.pending.has(id)) this.outgoingStreams.set(stream, id);
      } catch (error) {
        this.settle(id, new RpcError(ErrorCode.SendFailed, `Could not send "${method}" to the host: ${(error as Error).message}`));
      }
    });
  }

  /** Sends a notification (no answer). */
  async notify(method: string, params?: Params): Promise<void> {
    await this.ensurePort();
    this.post(this.port!, notification(method, params));
  }

  /**
   * Closes the port. Pending calls reject with ConnectionDisposed; the next call opens a new port
   * immediately (a deliberate disconnect is not a failure, so no backoff applies).
   */
  disconnect(reason = 'The connection was closed by Ferry.'): void {
    // Asking to reconnect also forgets earlier failures: the user may just have installed the host.
    this.consecutiveFailures = 0;
    this.lastDisconnect = undefined;
    const port = this.port;
    if (!port) return;
    this.detach(port);
    port.disconnect();
    this.failAll(new RpcError(ErrorCode.ConnectionDisposed, reason));
    this.setState('idle');
  }

  /** Posts a message, in `$/chunk` pieces when it is too large; returns the chunk stream id if so. */
  private post(port: NativePort, message: object): string | undefined {
    const max = this.options.maxMessageBytes ?? MAX_MESSAGE_BYTES_TO_HOST;
    // Most messages are far under the budget: a walk proves it without serializing them.
    if (surelyFitsJson(message, max)) {
      port.postMessage(message);
      return undefined;
    }
    const text = JSON.stringify(message);
    if (fitsInOneMessage(text, max)) {
      port.postMessage(message);
      return undefined;
    }
    const stream = `c${Date.now().toString(36)}-${this.streamCounter++}`;
    // Pieces stay small even when whole frames may be large: the host parses one piece while the
    // browser still writes the next.
    for (const piece of chunkMessages(text, Math.min(max, DEFAULT_MAX_MESSAGE_BYTES), stream)) port.postMessage(piece);
    return stream;
  }

  private async ensurePort(signal?: AbortSignal): Promise<void> {
    // Serialize connection attempts so concurrent first calls share one port.
    const gate = this.connectGate.then(async () => {
      if (this.port) return;
      const wait = this.lastDisconnect ? reconnectDelay(this.consecutiveFailures, this.options.backoff ?? DEFAULT_BACKOFF) : 0;
      const remaining = this.lastDisconnect ? wait - (Date.now() - this.lastDisconnect.at) : 0;
      if (remaining > 0) {
        try {
          await delay(remaining, signal);
        } catch {
          throw new RpcError(ErrorCode.RequestCancelled, 'Cancelled while waiting to reconnect to the host');
        }
      }
      this.open();
    });
    this.connectGate = gate.catch(() => undefined);
    return gate;
  }

  private readonly handleMessage = (message: unknown) => {
    if (this.stateValue !== 'connected') {
      this.consecutiveFailures = 0;
      this.setState('connected');
    }
    if (Array.isArray(message)) {
      for (const item of message) this.handleOne(item);
    } else {
      this.handleOne(message);
    }
  };

  private readonly handleDisconnect = (port: NativePort) => {
    if (port !== this.port) return;
    const reason = this.options.connector.reasonOf(port);
    this.detach(port);
    const diagnosis = diagnoseDisconnect(reason);
    this.lastDisconnect = { ...diagnosis, reason: reason ?? 'closed', at: Date.now() };
    this.consecutiveFailures += 1;
    this.failAll(new RpcError(diagnosis.code, diagnosis.message, { reason: reason ?? null, hint: diagnosis.hint }));
    this.setState('disconnected');
  };

  private open(): void {
    this.setState('connecting');
    let port: NativePort;
    try {
      port = this.options.connector.connect();
    } catch (error) {
      // connectNative throws when the permission is missing or the name is malformed.
      const message = `Could not open a port to the native host: ${(error as Error).message}`;
      this.lastDisconnect = { code: ErrorCode.SendFailed, reason: (error as Error).message, message, hint: 'Reload the extension; if this repeats, reinstall Ferry.', at: Date.now() };
      this.consecutiveFailures += 1;
      this.setState('disconnected');
      throw new RpcError(ErrorCode.SendFailed, message);
    }
    this.port = port;
    port.onMessage.addListener(this.handleMessage);
    port.onDisconnect.addListener(this.handleDisconnect);
  }

  private detach(port: NativePort): void {
    port.onMessage.removeListener(this.handleMessage);
    port.onDisconnect.removeListener(this.handleDisconnect);
    this.port = undefined;
    this.assembler.clear();
  }

  private handleOne(value: unknown): void {
    const c = classify(value);
    if (c.kind === 'response') return this.handleResponse(c.message);
    if (c.kind !== 'notification') return; // requests from the host are not part of the protocol yet
    const { method, params } = c.message;
    if (method === CHUNK) {
      let text: string | undefined;
      try {
        text = this.assembler.accept(params);
      } catch (error) {
        // A broken stream cannot be matched to its call; the call will time out with a clear error.
        console.warn('Ferry: dropped a malformed chunk stream from the host', error);
        return;
      }
      if (text === undefined) return;
      let whole: unknown;
      try {
        whole = JSON.parse(text);
      } catch (error) {
        console.warn('Ferry: a reassembled message from the host is not JSON', error);
        return;
      }
      this.handleMessage(whole);
      return;
    }
    if (method === PROGRESS) {
      const parsed = progressParams.safeParse(params);
      if (parsed.success) this.pending.get(parsed.data.id)?.onProgress?.(parsed.data);
      return;
    }
    for (const listener of this.notificationListeners) listener(method, params);
  }

  private handleResponse(message: ResponseMessage): void {
    if (message.id === null) {
      if (!('error' in message)) return;
      // A broken chunk stream names its stream: fail the call that sent it rather than let it time out.
      const stream = (message.error.data as { stream?: unknown } | undefined)?.stream;
      const id = typeof stream === 'string' ? this.outgoingStreams.get(stream) : undefined;
      if (id !== undefined) return this.settle(id, RpcError.fromObject(message.error));
      // Otherwise the host could not attribute the error to a call (a frame it could not parse).
      console.warn('Ferry: host reported an uncorrelated error', message.error);
      return;
    }
    if ('error' in message) this.settle(message.id, RpcError.fromObject(message.error));
    else this.settle(message.id, undefined, message.result);
  }

  private settle(id: RequestId, error: RpcError | undefined, result?: unknown): void {
    const entry = this.pending.get(id);
    if (!entry) return; // already timed out or cancelled
    this.pending.delete(id);
    entry.cleanup();
    if (error) entry.reject(error);
    else entry.resolve(result);
  }

  /** Rejects a call locally and asks the host to stop working on it. */
  private abandon(id: RequestId, error: RpcError): void {
    if (!this.pending.has(id)) return;
    this.settle(id, error);
    if (this.port) {
      try {
        this.post(this.port, notification(CANCEL_REQUEST, { id }));
      } catch {
        // The port is going away; the disconnect handler reports that.
      }
    }
  }

  private failAll(error: RpcError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }

  private setState(state: ConnectionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

function cancelled(method: string): RpcError {
  return new RpcError(ErrorCode.RequestCancelled, `"${method}" was cancelled`, { method });
}
