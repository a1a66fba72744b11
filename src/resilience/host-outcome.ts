/**
 * What a native-host call's failure means for retries. The host's errors keep their meaning (a
 * unique violation, a folder outside the roots, a refused connection), so the outcome label is the
 * error's own name (`db_unique_violation`, `path_outside_roots`) and its message, which says what to
 * fix, travels with it. Only failures that say nothing about the request are retryable: the host or
 * its database was unreachable, busy or slow.
 */
import { ErrorCode, type RpcError } from '../protocol/errors';
import type { AttemptOutcome } from './outcome';
import type { RetryableErrorName } from './policy';

/** Transient: the host went away, is not installed yet, or its database cannot take the call now. */
const UNAVAILABLE: ReadonlySet<number> = new Set([
  ErrorCode.HostDisconnected, ErrorCode.HostNotInstalled, ErrorCode.ConnectionDisposed, ErrorCode.SendFailed,
  ErrorCode.DbConnectionUnavailable, ErrorCode.DbPoolExhausted,
]);

/** `DbUniqueViolation` → `db_unique_violation`. */
export function hostOutcomeLabel(codeName: string): string {
  return codeName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The host never started the call: nothing can have been written, so even a non-idempotent call may be sent again. */
const NEVER_SENT: ReadonlySet<number> = new Set([ErrorCode.HostNotInstalled, ErrorCode.SendFailed, ErrorCode.DbPoolExhausted]);
/** A database server that could not be reached at all (the call never reached it). */
const UNREACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export function classifyHostError(error: RpcError, retryableNames: readonly RetryableErrorName[]): AttemptOutcome {
  const label = hostOutcomeLabel(error.codeName);
  const sqlstate = (error.data as { sqlstate?: unknown } | undefined)?.sqlstate;
  const notSent = NEVER_SENT.has(error.code) || (error.code === ErrorCode.DbConnectionUnavailable && typeof sqlstate === 'string' && UNREACHED.has(sqlstate));
  const base = { kind: 'failure' as const, label, code: error.codeName, message: error.message, ...(notSent ? { notSent: true } : {}) };
  // A call that timed out may still be running on the host: retried like an HTTP timeout.
  if (error.code === ErrorCode.CallTimeout) return { ...base, retryable: retryableNames.includes('TIMEOUT') };
  if (UNAVAILABLE.has(error.code)) return { ...base, retryable: retryableNames.includes('NETWORK_ERROR') };
  return { ...base, retryable: false };
}
