/**
 * Runs one call: validates params, runs the handler with a cancellable context, validates the
 * result and turns whatever happened into a JSON-RPC response. Never throws.
 */
import { ErrorCode, isRpcError, summarizeIssues, RpcError, type RequestId, type RpcErrorObject } from '../../src/protocol';
import type { Logger } from './logger';
import type { HandlerContext, MethodDefinition, ProgressUpdate } from './method-registry';

export interface CallInput {
  id: RequestId | null;
  method: string;
  params: unknown;
  definition: MethodDefinition;
  signal: AbortSignal;
  /** Called for each progress update while the call runs (requests only). */
  onProgress?: (update: ProgressUpdate) => void;
  logger: Logger;
}

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: RpcErrorObject };

/** Runs a call to completion, cancellation or failure. */
export async function runCall(input: CallInput): Promise<CallOutcome> {
  const { id, method, definition, logger } = input;
  let finished = false;

  let params: unknown = input.params;
  if (definition.params) {
    const parsed = definition.params.safeParse(input.params);
    if (!parsed.success) {
      const issues = summarizeIssues(parsed.error);
      const first = issues[0];
      const detail = first ? `: ${first.path}: ${first.message}` : '';
      return { ok: false, error: { code: ErrorCode.InvalidParams, message: `Invalid params for ${method}${detail}`, data: { issues } } };
    }
    params = parsed.data;
  }

  const context: HandlerContext = {
    id,
    method,
    signal: input.signal,
    log: logger,
    progress: (update) => {
      if (!finished && !input.signal.aborted && input.onProgress) input.onProgress(update);
    },
  };

  try {
    const result = await raceWithAbort(() => definition.handler(params, context), input.signal);
    if (definition.result) {
      const checked = definition.result.safeParse(result);
      if (!checked.success) {
        const issues = summarizeIssues(checked.error, 'result');
        logger.error('handler returned an invalid result', { method, id, issues: issues.map((i) => i.path).join(',') });
        return {
          ok: false,
          error: {
            code: ErrorCode.InvalidResult,
            message: `${method} returned a result that does not match its declared schema (a host bug)`,
            data: { issues },
          },
        };
      }
    }
    // The result is sent as returned: output schemas only check it, they never reshape it.
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: toErrorObject(error, method, id, logger) };
  } finally {
    finished = true;
  }
}

function toErrorObject(error: unknown, method: string, id: RequestId | null, logger: Logger): RpcErrorObject {
  if (isRpcError(error)) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  logger.error('handler failed', { method, id }, error);
  return { code: ErrorCode.InternalError, message: `Internal error in ${method}: ${message}` };
}

/**
 * Runs `fn` and rejects with RequestCancelled as soon as `signal` aborts, even when the handler
 * ignores its signal: the caller gets its answer now and the handler's late outcome is dropped.
 */
function raceWithAbort(fn: () => unknown, signal: AbortSignal): Promise<unknown> {
  const cancelled = (): RpcError => {
    const reason: unknown = signal.reason;
    return isRpcError(reason) ? reason : new RpcError(ErrorCode.RequestCancelled, 'Request cancelled');
  };
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(fn());
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
