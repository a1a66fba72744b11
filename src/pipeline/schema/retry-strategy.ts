/**
 * `retryStrategy`: how a step retries a failed attempt. Delays grow from `baseDelay` by the backoff
 * type up to `maxDelay`; with jitter each wait is randomized within that range so that many clients
 * do not retry in lockstep.
 */
import { z } from 'zod';
import { boolean, integer, list, milliseconds, oneOf, statusCode, strict } from './common';
import { BACKOFF_STRATEGIES } from './response-processing';

/** Failure kinds a step can retry, besides individual HTTP statuses. */
export const RETRYABLE_ERRORS = ['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMIT', 'SERVER_ERROR'] as const;
export type RetryableError = (typeof RETRYABLE_ERRORS)[number];

const RETRYABLE = `${RETRYABLE_ERRORS.map((r) => JSON.stringify(r)).join(', ')} or an HTTP status code`;

export const RetryStrategySchema = strict(
  {
    /** Attempts in all, the first included: 3 means the first try and up to two retries. */
    maxAttempts: integer(1, 20, 'a whole number of attempts from 1 to 20').default(3),
    backoffType: oneOf(BACKOFF_STRATEGIES).default('exponential'),
    baseDelay: milliseconds().default(1000),
    maxDelay: milliseconds().default(30_000),
    jitter: boolean().default(true),
    retryableErrors: list(z.union([oneOf(RETRYABLE_ERRORS), statusCode()], { error: RETRYABLE }), `a list of ${RETRYABLE}`).default([...RETRYABLE_ERRORS]),
  },
  'an object with "maxAttempts", "backoffType", "baseDelay", "maxDelay", "jitter", "retryableErrors"',
).superRefine((s, ctx) => {
  if (s.maxDelay < s.baseDelay) ctx.addIssue({ code: 'custom', path: ['maxDelay'], message: `a number of milliseconds no smaller than baseDelay (${s.baseDelay})` });
});

export type RetryStrategy = z.output<typeof RetryStrategySchema>;
