import { isFerryError } from '../errors/ferry-error';
import { ErrorCode, isRpcError } from '../protocol/errors';
import { toAttemptError, type AttemptErrorCode } from './attempt-error';
import { classifyHostError } from './host-outcome';
import { getHeader, type HeadersLike } from './headers';
import type { RetryableErrorName, RetryPolicy } from './policy';
import { parseHttpDate, parseRetryAfter } from './retry-after';

/** What one HTTP attempt came to. `label` is what run history, the audit log and the UI show. */
export interface AttemptOutcome {
  kind: 'success' | 'failure';
  label: string;
  retryable: boolean;
  status?: number;
  /** The server's Retry-After, already clamped to the policy's ceiling. */
  retryAfterMs?: number;
  /** An AttemptErrorCode, CIRCUIT_OPEN, or the native host's error name, when the attempt produced no response. */
  code?: string;
  /** The native host's own message, which says what to fix (it may quote a value: scrub before storing). */
  message?: string;
  /** The call provably never ran (the host or database was never reached): safe to send again even when not idempotent. */
  notSent?: boolean;
}

/** The part of a response classification needs. */
export interface AttemptResponse {
  status: number;
  headers?: HeadersLike;
}

export type OutcomePolicy = Pick<RetryPolicy, 'successCodes' | 'errorLabels' | 'retryableStatuses' | 'retryableNames' | 'retryAfterCeilingMs'>;

// Labels for statuses the user did not map in responseProcessing.errorHandling.
const DEFAULT_LABELS: Readonly<Record<number, string>> = {
  400: 'validation_error',
  401: 'authentication_error',
  403: 'authorization_error',
  404: 'not_found',
  408: 'timeout',
  409: 'conflict',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
};

const ERROR_LABELS: Record<AttemptErrorCode, string> = { NETWORK_ERROR: 'network_error', TIMEOUT: 'timeout', ABORTED: 'aborted' };
const DEFAULT_NAMES: readonly RetryableErrorName[] = ['NETWORK_ERROR', 'TIMEOUT'];

/** Classifies a response. `now` is the local clock, used for an HTTP-date Retry-After when the response has no Date header. */
export function classifyResponse(response: AttemptResponse, policy: OutcomePolicy, now = Date.now()): AttemptOutcome {
  const { status } = response;
  const success = policy.successCodes ? policy.successCodes.includes(status) : status >= 200 && status <= 299;
  if (success) return { kind: 'success', label: 'success', retryable: false, status };
  const outcome: AttemptOutcome = { kind: 'failure', label: labelFor(status, policy.errorLabels), retryable: isRetryableStatus(status, policy), status };
  const serverNow = parseHttpDate(getHeader(response.headers, 'date')) ?? now;
  const retryAfterMs = parseRetryAfter(getHeader(response.headers, 'retry-after'), serverNow, policy.retryAfterCeilingMs);
  if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
  return outcome;
}

/**
 * Classifies what an attempt threw: AttemptErrors (and the fetch/ky errors `toAttemptError` knows),
 * and CIRCUIT_OPEN from the breaker (final: the breaker, not the retry loop, decides when to try again).
 * Returns undefined for anything else: that is a bug to surface, not a delivery outcome.
 */
export function classifyError(error: unknown, policy: OutcomePolicy, signal?: AbortSignal, now = Date.now()): AttemptOutcome | undefined {
  if (isFerryError(error, 'CIRCUIT_OPEN')) {
    const retryAt = error.details?.retryAt;
    const outcome: AttemptOutcome = { kind: 'failure', label: 'circuit_open', retryable: false, code: 'CIRCUIT_OPEN' };
    if (typeof retryAt === 'number') outcome.retryAfterMs = Math.max(0, retryAt - now);
    return outcome;
  }
  if (!signal?.aborted && isRpcError(error) && error.code !== ErrorCode.RequestCancelled) return classifyHostError(error, policy.retryableNames ?? DEFAULT_NAMES);
  const attemptError = toAttemptError(error, signal);
  if (!attemptError) return undefined;
  const code = attemptError.code;
  const retryable = code !== 'ABORTED' && (policy.retryableNames ?? DEFAULT_NAMES).includes(code);
  return { kind: 'failure', label: ERROR_LABELS[code], retryable, code };
}

/**
 * Retryable statuses: with no retryable list in either block, 408, 429 and every 5xx. Otherwise only
 * what the lists name: statuses as written, RATE_LIMIT = 429, SERVER_ERROR = 5xx, TIMEOUT = 408.
 */
export function isRetryableStatus(status: number, policy: Pick<RetryPolicy, 'retryableStatuses' | 'retryableNames'>): boolean {
  const { retryableStatuses: statuses, retryableNames: names } = policy;
  if (statuses === undefined && names === undefined) return status === 408 || status === 429 || (status >= 500 && status <= 599);
  if (statuses?.includes(status)) return true;
  return (names ?? []).some((name) => (name === 'RATE_LIMIT' && status === 429) || (name === 'SERVER_ERROR' && status >= 500 && status <= 599) || (name === 'TIMEOUT' && status === 408));
}

/** The user's label for the exact status, then for its class ("4xx"), then their "default", then Ferry's defaults. */
function labelFor(status: number, labels: Readonly<Record<string, string>>): string {
  const statusClass = `${Math.floor(status / 100)}xx`;
  const own = labels[String(status)] ?? labels[statusClass] ?? labels[statusClass.toUpperCase()] ?? labels.default;
  if (own !== undefined) return own;
  if (DEFAULT_LABELS[status] !== undefined) return DEFAULT_LABELS[status];
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'unexpected_status';
}
