import { FerryError } from '../../errors/ferry-error';
import { redact } from './redact';

/**
 * The three ways an attempt can end without a response. The codes are the names users write in
 * `retryStrategy.retryableErrors` (NETWORK_ERROR, TIMEOUT), so the retry layer can match them as is.
 */
export type AttemptFailureCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'ABORTED';

const WHAT: Record<AttemptFailureCode, string> = {
  NETWORK_ERROR: 'failed before a response arrived (network error)',
  TIMEOUT: 'timed out',
  ABORTED: 'was aborted',
};

/**
 * Builds the error with the method and the redacted URL only. The underlying error is deliberately
 * not attached as `cause`: fetch and ky put the full URL, query string included, in their messages.
 * `reason` is a short code such as ECONNREFUSED, safe to store; `durationMs` feeds the audit entry.
 */
export function attemptFailure(code: AttemptFailureCode, method: string, url: string | URL, extra: { timeoutMs?: number; reason?: string; durationMs?: number } = {}): FerryError {
  const target = redact(url);
  const after = code === 'TIMEOUT' && extra.timeoutMs !== undefined ? ` after ${extra.timeoutMs} ms` : '';
  const because = extra.reason ? ` (${extra.reason})` : '';
  return new FerryError(code, `${method} ${target} ${WHAT[code]}${after}${because}`, { method, url: target, ...extra });
}

/**
 * A short, secret-free reason for a network failure: the system error code of the deepest cause
 * (undici: `TypeError: fetch failed` → `ECONNREFUSED`), else the error's name.
 */
export function networkReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.name : 'unknown';
}
