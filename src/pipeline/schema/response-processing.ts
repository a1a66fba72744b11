/**
 * `responseProcessing`: which statuses are success, which outcome label each error status gets
 * (for counts, audit and decisions), and `retryConfig`: which statuses are worth another attempt.
 * Validated as written, without defaults: see retry-strategy.ts for why.
 */
import { z } from 'zod';
import { integer, KEY_ISSUE, list, milliseconds, oneOf, record, statusCode, strict, text } from './common';
import { BACKOFF_STRATEGIES, retryableErrors } from './retry-strategy';

/** Labels Ferry itself assigns; a pipeline may use its own (snake_case) labels too. */
export const OUTCOME_LABELS = ['validation_error', 'authentication_error', 'authorization_error', 'not_found', 'conflict', 'rate_limit_exceeded', 'server_error', 'timeout', 'network_error'] as const;

/** A status ("404"), a class ("4xx", "5xx") or "default"; the most specific match wins. */
const STATUS_KEY = /^(?:[1-5]\d\d|[1-5]xx|default)$/;
const LABEL = 'an outcome label in snake_case, such as "rate_limit_exceeded"';

export const RetryConfigSchema = strict(
  {
    /** Retries after the first attempt: 3 means at most 4 attempts. */
    maxRetries: integer(0, 20, 'a whole number of retries from 0 to 20').optional(),
    backoffStrategy: oneOf(BACKOFF_STRATEGIES).optional(),
    /** HTTP statuses such as 429; failure kinds such as "TIMEOUT" are accepted too. */
    retryableErrors: retryableErrors().optional(),
    baseDelay: milliseconds().optional(),
    maxDelay: milliseconds().optional(),
  },
  'an object with "maxRetries", "backoffStrategy" and "retryableErrors"',
);

export const ResponseProcessingSchema = strict(
  {
    /** When absent, any 2xx status is success. */
    successCodes: list(statusCode(), 'a list of HTTP status codes such as [200, 201]').min(1, { error: 'at least one status code' }).optional(),
    errorHandling: record(text(LABEL).regex(/^[a-z][a-z0-9_]*$/, { error: LABEL }), 'an object mapping statuses to outcome labels, such as {"429": "rate_limit_exceeded"}').optional(),
    retryConfig: RetryConfigSchema.optional(),
  },
  'an object with any of "successCodes", "errorHandling", "retryConfig"',
).superRefine((block, ctx) => {
  for (const key of Object.keys(block.errorHandling ?? {})) {
    if (!STATUS_KEY.test(key)) ctx.addIssue({ code: 'custom', path: ['errorHandling', key], message: 'a status such as "404", a class such as "5xx", or "default"', params: KEY_ISSUE });
    else if (block.successCodes?.includes(Number(key))) ctx.addIssue({ code: 'custom', path: ['errorHandling', key], message: 'a status that is not also in "successCodes"', params: KEY_ISSUE });
  }
});

export type RetryConfig = z.output<typeof RetryConfigSchema>;
export type ResponseProcessing = z.output<typeof ResponseProcessingSchema>;
