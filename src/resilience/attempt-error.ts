import { FerryError, isFerryError } from '../errors/ferry-error';

/**
 * Why one HTTP attempt produced no response. The integrations map their transport's failures onto
 * these (see `toAttemptError`), so retry and breaker decisions never depend on a library's error class.
 */
export type AttemptErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'ABORTED';

const ATTEMPT_ERROR_CODES: ReadonlySet<string> = new Set<AttemptErrorCode>(['NETWORK_ERROR', 'TIMEOUT', 'ABORTED']);

const MESSAGES: Record<AttemptErrorCode, string> = {
  NETWORK_ERROR: 'The request did not reach the server (network error); check the URL and your connection.',
  TIMEOUT: 'The server did not answer in time; raise the timeout or check the server.',
  ABORTED: 'The request was cancelled.',
};

/** A FerryError whose code is an `AttemptErrorCode`. */
export class AttemptError extends FerryError {
  declare readonly code: AttemptErrorCode;

  constructor(code: AttemptErrorCode, message = MESSAGES[code], details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.name = 'AttemptError';
  }
}

/** Branded check (via FerryError's brand), so it holds for errors from other realms too. */
export function isAttemptError(value: unknown, code?: AttemptErrorCode): value is AttemptError {
  if (!isFerryError(value) || !ATTEMPT_ERROR_CODES.has(value.code)) return false;
  return code === undefined || value.code === code;
}

// The messages browsers and Node give fetch's TypeError when the network fails. Any other TypeError
// is a bug in our code and must not be retried as if the server were down.
const NETWORK_MESSAGE = /failed to fetch|networkerror|network error|fetch failed|load failed|network request failed/i;

/**
 * Maps what a transport threw onto an AttemptError, or undefined when it is not a transport failure
 * (a bug, a template error...), which the caller should let propagate. `signal` is the caller's own
 * signal: when it has aborted, any failure is a cancellation, whatever the transport called it.
 * A transport's error is not kept as `cause`: fetch and ky put the full URL, query string and its
 * secrets included, in their messages (src/integrations builds its errors the same way).
 */
export function toAttemptError(error: unknown, signal?: AbortSignal): AttemptError | undefined {
  if (signal?.aborted) return isAttemptError(error, 'ABORTED') ? error : new AttemptError('ABORTED', undefined, undefined, { cause: signal.reason });
  if (isAttemptError(error)) return error;
  if (!isErrorLike(error)) return undefined;
  // AbortSignal.timeout() and ky both name their timeout errors TimeoutError.
  if (error.name === 'TimeoutError') return new AttemptError('TIMEOUT');
  if (error.name === 'AbortError') return new AttemptError('ABORTED');
  if (error.name === 'TypeError' && NETWORK_MESSAGE.test(error.message)) return new AttemptError('NETWORK_ERROR');
  return undefined;
}

// Duck-typed: DOMException is not an Error subclass in every runtime, and errors may come from another realm.
function isErrorLike(value: unknown): value is { name: string; message: string } {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string' && typeof (value as { message?: unknown }).message === 'string';
}
