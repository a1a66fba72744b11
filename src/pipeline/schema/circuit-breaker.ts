/**
 * `circuitBreaker`: stop calling a failing service for a while instead of adding load to it.
 * When failures reach `failureThreshold` (within `monitoringWindow` when given) the circuit opens;
 * after `resetTimeout` one probe is let through (half-open) and its result closes or re-opens it.
 *
 * Validated as written, without defaults: whether `monitoringWindow` was given picks the kind of
 * breaker (src/resilience/breaker-config.ts), which also applies the defaults: 5 failures, 60000 ms
 * call timeout, 30000 ms reset, fallback "fail".
 */
import { z } from 'zod';
import { milliseconds, oneOf, strict } from './common';

/** useCache: answer reads from the last good response; fail: fail at once; queue: hold the records until the circuit closes. */
export const FALLBACK_ACTIONS = ['useCache', 'fail', 'queue'] as const;
export type FallbackAction = (typeof FALLBACK_ACTIONS)[number];

const THRESHOLD = 'a whole number of failures from 1 to 1000, or a failure ratio between 0 and 1 such as 0.5';

export const CircuitBreakerSchema = strict(
  {
    /** A count of consecutive failures, or a ratio of failed calls sampled over `monitoringWindow`. */
    failureThreshold: z
      .number({ error: THRESHOLD })
      .refine((n) => (Number.isInteger(n) && n >= 1 && n <= 1000) || (n > 0 && n < 1), { error: THRESHOLD })
      .optional(),
    /** A call slower than this counts as a failure. */
    timeout: milliseconds(1).optional(),
    /** How long the circuit stays open before a probe is allowed. */
    resetTimeout: milliseconds(1).optional(),
    /** The rolling window failures are counted in. */
    monitoringWindow: milliseconds(1).optional(),
    fallbackAction: oneOf(FALLBACK_ACTIONS).optional(),
  },
  'an object with "failureThreshold", "timeout", "resetTimeout", "monitoringWindow", "fallbackAction"',
);

export type CircuitBreaker = z.output<typeof CircuitBreakerSchema>;
