/**
 * `retryStrategy`: how a step retries a failed attempt. Delays grow from `baseDelay` by the backoff
 * type up to `maxDelay`; with jitter each wait is randomized within that range so that many clients
 * do not retry in lockstep.
 *
 * Validated as written, without defaults: the retry layer (src/resilience/policy.ts) merges this block
 * with `responseProcessing.retryConfig`, and which keys were written decides that merge (an absent
 * `maxAttempts` lets `retryConfig.maxRetries` count). Its defaults: 3 attempts, exponential, 1000 ms
 * to 30000 ms, jitter on, retrying network errors, timeouts, 408, 429 and 5xx.
 */
import { z } from 'zod';
import { boolean, integer, list, milliseconds, oneOf, statusCode, strict } from './common';

export const BACKOFF_STRATEGIES = ['exponential', 'linear', 'fixed'] as const;

/** Failure kinds a step can retry, besides individual HTTP statuses. */
export const RETRYABLE_ERRORS = ['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMIT', 'SERVER_ERROR'] as const;
export type RetryableError = (typeof RETRYABLE_ERRORS)[number];

const RETRYABLE = `${RETRYABLE_ERRORS.map((r) => JSON.stringify(r)).join(', ')} or an HTTP status code`;

/** A failure kind by name or an HTTP status; shared with `retryConfig.retryableErrors`. */
export const retryableError = () => z.union([oneOf(RETRYABLE_ERRORS), statusCode()], { error: RETRYABLE });
export const retryableErrors = () => list(retryableError(), `a list of ${RETRYABLE}`);

export const RetryStrategySchema = strict(
  {
    /** Attempts in all, the first included: 3 means the first try and up to two retries. */
    maxAttempts: integer(1, 20, 'a whole number of attempts from 1 to 20').optional(),
    backoffType: oneOf(BACKOFF_STRATEGIES).optional(),
    baseDelay: milliseconds().optional(),
    maxDelay: milliseconds().optional(),
    jitter: boolean().optional(),
    retryableErrors: retryableErrors().optional(),
  },
  'an object with "maxAttempts", "backoffType", "baseDelay", "maxDelay", "jitter", "retryableErrors"',
).superRefine((s, ctx) => {
  if (s.maxDelay !== undefined && s.baseDelay !== undefined && s.maxDelay < s.baseDelay) {
    ctx.addIssue({ code: 'custom', path: ['maxDelay'], message: `a number of milliseconds no smaller than baseDelay (${s.baseDelay})` });
  }
});

export type RetryStrategy = z.output<typeof RetryStrategySchema>;
