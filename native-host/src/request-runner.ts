/**
 * Runs one call: validates params, runs the handler with a cancellable context, validates the
 * result and turns whatever happened into a JSON-RPC outcome. Never throws.
 *
 * A handler that returns a plain value is answered synchronously, without a promise or an
 * AbortController; only handlers that return a promise are raced against cancellation.
 */
import { ErrorCode, isRpcError, summarizeIssues, RpcError, type RequestId, type RpcErrorObject } from '../../src/protocol';
import type { CallState } from './call-state';
import type { Logger } from './logger';
import type { HandlerContext, MethodDefinition, ProgressUpdate } from './method-registry';

export interface CallInput {
  id: RequestId | null;
  method: string;
  params: unknown;
  definition: MethodDefinition;
  state: CallState;
  /** Called for each progress update while the call runs (requests only). */
  onProgress?: (update: ProgressUpdate) => void;
  logger: Logger;
}

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: RpcErrorObject };

/** Runs a call to completion, cancellation or failure. */
export function runCall(input: CallInput): CallOutcome | Promise<CallOutcome> {
  const { id, method, definition, logger, state } = input;
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

  let finished = false;
  const context: HandlerContext = {
    id,
    method,
    get signal() {
      return state.signal;
    },
    log: logger,
    progress: (update) => {
      if (!finished && !state.aborted && input.onProgress) input.onProgress(update);
    },
  };

  let returned: unknown;
  try {
    returned = definition.handler(params, context);
  } catch (error) {
    finished = true;
    return { ok: false, error: toErrorObject(error, method, id, logger) };
  }
  if (!isThenable(returned)) {
    finished = true;
    return checkResult(returned, input);
  }
  return raceWithAbort(returned, state).then(
    (result) => checkResult(result, input),
    (error: unknown): CallOutcome => ({ ok: false, error: toErrorObject(error, method, id, logger) }),
  ).finally(() => {
    finished = true;
  });
}

function checkResult(result: unknown, { definition, method, id, logger }: CallInput): CallOutcome {
  if (definition.result) {
    const checked = definition.result.safeParse(result);
    if (!checked.success) {
      const issues = summarizeIssues(checked.error, 'result');
      logger.error('handler returned an invalid result', { method, id, issues: issues.map((i) => i.path).join(',') });
      return {
        ok: false,
        error: { code: ErrorCode.InvalidResult, message: `${method} returned a result that does not match its declared schema (a host bug)`, data: { issues } },
      };
    }
  }
  // The result is sent as returned: output schemas only check it, they never reshape it.
  return { ok: true, result };
}

function toErrorObject(error: unknown, method: string, id: RequestId | null, logger: Logger): RpcErrorObject {
  if (isRpcError(error)) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  logger.error('handler failed', { method, id }, error);
  return { code: ErrorCode.InternalError, message: `Internal error in ${method}: ${message}` };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Rejects with RequestCancelled as soon as the call is cancelled, even when the handler ignores its
 * signal: the caller gets its answer now and the handler's late outcome is dropped.
 */
function raceWithAbort(outcome: PromiseLike<unknown>, state: CallState): Promise<unknown> {
  const signal = state.signal;
  const cancelled = (): RpcError => {
    const reason: unknown = signal.reason;
    return isRpcError(reason) ? reason : new RpcError(ErrorCode.RequestCancelled, 'Request cancelled');
  };
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(outcome)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
