import { getHeader, type HeadersLike } from './headers';

/** The request a retry decision is about. */
export interface RetryRequest {
  method: string;
  headers?: HeadersLike;
  /**
   * Overrides the method rule, for requests whose method says nothing about their effect: a GraphQL
   * query sent by POST is safe to repeat (`true`), a mutation is not.
   */
  idempotent?: boolean;
}

// RFC 9110 §9.2.2. Unknown methods count as non-idempotent: repeating them is the risky guess.
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/**
 * Whether sending the request again cannot apply its effect twice: an idempotent method, or a
 * non-empty Idempotency-Key header the server deduplicates on (Ferry keeps it stable across retries
 * and resumes).
 */
export function isSafeToRepeat(request: RetryRequest): boolean {
  if (request.idempotent !== undefined) return request.idempotent;
  if (IDEMPOTENT_METHODS.has(request.method.toUpperCase())) return true;
  return (getHeader(request.headers, 'idempotency-key') ?? '').trim() !== '';
}
