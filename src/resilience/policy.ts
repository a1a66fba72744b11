import { FerryError } from '../errors/ferry-error';

/** The seed's `responseProcessing` block, as users paste it. */
export interface ResponseProcessingBlock {
  successCodes?: readonly number[];
  /** Status (`"429"`), status class (`"5xx"`) or `"default"` → outcome label; the most specific wins. */
  errorHandling?: Readonly<Record<string, string>>;
  retryConfig?: {
    maxRetries?: number;
    backoffStrategy?: string;
    baseDelay?: number;
    maxDelay?: number;
    /** HTTP statuses; names such as `"TIMEOUT"` are accepted here too. */
    retryableErrors?: readonly (number | string)[];
  };
}

/** The seed's `retryStrategy` block, as users paste it. */
export interface RetryStrategyBlock {
  maxAttempts?: number;
  backoffType?: string;
  baseDelay?: number;
  maxDelay?: number;
  jitter?: boolean;
  /** Names (`NETWORK_ERROR`, `TIMEOUT`, `RATE_LIMIT`, `SERVER_ERROR`); HTTP statuses are accepted too. */
  retryableErrors?: readonly (string | number)[];
}

export type BackoffType = 'exponential' | 'linear' | 'fixed';
export type RetryableErrorName = 'NETWORK_ERROR' | 'TIMEOUT' | 'RATE_LIMIT' | 'SERVER_ERROR';

/**
 * Everything outcome classification, backoff and retry need, resolved from the seed blocks. Plain
 * data, so a durable run can store it beside its batches.
 */
export interface RetryPolicy {
  /** Undefined: any 2xx. */
  successCodes?: readonly number[];
  errorLabels: Readonly<Record<string, string>>;
  /** Undefined (with `retryableNames` undefined too): the defaults, 408, 429 and 5xx. */
  retryableStatuses?: readonly number[];
  /** Undefined: NETWORK_ERROR and TIMEOUT. */
  retryableNames?: readonly RetryableErrorName[];
  maxAttempts: number;
  backoff: BackoffType;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: boolean;
  /** The longest server-requested wait (Retry-After) Ferry honours: the larger of 5 minutes and maxDelay; see backoff.ts. */
  retryAfterCeilingMs: number;
}

export const RETRY_DEFAULTS = {
  maxAttempts: 3,
  backoff: 'exponential',
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitter: true,
  retryAfterCeilingMs: 5 * 60_000,
} as const satisfies Partial<RetryPolicy>;

const NAMES: ReadonlySet<string> = new Set<RetryableErrorName>(['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMIT', 'SERVER_ERROR']);
const BACKOFF_ALIASES: Readonly<Record<string, BackoffType>> = { exponential: 'exponential', linear: 'linear', fixed: 'fixed', constant: 'fixed' };

/**
 * Resolves the seed blocks into one policy. Either block may be absent; when both are present:
 * - attempts: `retryStrategy.maxAttempts` wins over `retryConfig.maxRetries + 1` (the strategy block is
 *   the dedicated, more specific one); the same for `backoffType` over `backoffStrategy` and for
 *   retryStrategy's `baseDelay` / `maxDelay` over retryConfig's;
 * - retryable conditions are the union of both lists: each names conditions the user wants retried,
 *   and dropping one silently would surprise whoever wrote it.
 * Throws FerryError `RETRY_POLICY_INVALID` naming the JSON path of the first bad value.
 */
export function resolveRetryPolicy(blocks: { responseProcessing?: ResponseProcessingBlock; retryStrategy?: RetryStrategyBlock }): RetryPolicy {
  const rp = blocks.responseProcessing;
  const rs = blocks.retryStrategy;
  const rc = rp?.retryConfig;

  const statuses: number[] = [];
  const names: RetryableErrorName[] = [];
  const sort = (list: readonly (number | string)[] | undefined, path: string) =>
    list?.forEach((entry, i) => {
      const status = toStatus(entry);
      if (status !== undefined) statuses.push(status);
      else if (typeof entry === 'string' && NAMES.has(entry.toUpperCase())) names.push(entry.toUpperCase() as RetryableErrorName);
      else invalid(`${path}[${i}]`, `an HTTP status (100-599) or one of ${[...NAMES].join(', ')}`, entry);
    });
  sort(rc?.retryableErrors, 'responseProcessing.retryConfig.retryableErrors');
  sort(rs?.retryableErrors, 'retryStrategy.retryableErrors');
  // Only lists that were written change the defaults: a status list alone says nothing about network errors.
  const listed = rc?.retryableErrors !== undefined || rs?.retryableErrors !== undefined;

  rp?.successCodes?.forEach((code, i) => toStatus(code) ?? invalid(`responseProcessing.successCodes[${i}]`, 'an HTTP status (100-599)', code));
  const maxAttempts = rs?.maxAttempts ?? (rc?.maxRetries !== undefined ? count(rc.maxRetries, 'responseProcessing.retryConfig.maxRetries', 0) + 1 : RETRY_DEFAULTS.maxAttempts);
  const baseDelayMs = duration(rs?.baseDelay ?? rc?.baseDelay ?? RETRY_DEFAULTS.baseDelayMs, rs?.baseDelay !== undefined ? 'retryStrategy.baseDelay' : 'responseProcessing.retryConfig.baseDelay');
  const maxDelayMs = duration(rs?.maxDelay ?? rc?.maxDelay ?? Math.max(RETRY_DEFAULTS.maxDelayMs, baseDelayMs), rs?.maxDelay !== undefined ? 'retryStrategy.maxDelay' : 'responseProcessing.retryConfig.maxDelay');
  const backoffPath = rs?.backoffType !== undefined ? 'retryStrategy.backoffType' : 'responseProcessing.retryConfig.backoffStrategy';

  return {
    ...(rp?.successCodes ? { successCodes: [...rp.successCodes] } : {}),
    errorLabels: { ...rp?.errorHandling },
    ...(listed ? { retryableStatuses: statuses, retryableNames: rs?.retryableErrors !== undefined ? names : ['NETWORK_ERROR', 'TIMEOUT', ...names] } : {}),
    maxAttempts: count(maxAttempts, 'retryStrategy.maxAttempts', 1),
    backoff: backoffType(rs?.backoffType ?? rc?.backoffStrategy, backoffPath),
    baseDelayMs,
    maxDelayMs,
    jitter: rs?.jitter ?? RETRY_DEFAULTS.jitter,
    retryAfterCeilingMs: Math.max(RETRY_DEFAULTS.retryAfterCeilingMs, maxDelayMs),
  };
}

function toStatus(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function count(value: unknown, path: string, min: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  return invalid(path, `an integer of at least ${min}`, value);
}

function duration(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return invalid(path, 'a number of milliseconds, 0 or more', value);
}

function backoffType(value: string | undefined, path: string): BackoffType {
  if (value === undefined) return RETRY_DEFAULTS.backoff;
  return BACKOFF_ALIASES[value.toLowerCase()] ?? invalid(path, `one of ${Object.keys(BACKOFF_ALIASES).join(', ')}`, value);
}

function invalid(path: string, expected: string, got: unknown): never {
  throw new FerryError('RETRY_POLICY_INVALID', `${path} must be ${expected}, got ${JSON.stringify(got)}`, { path, expected });
}
