/**
 * `circuitBreaker`: stop calling a failing service for a while instead of adding load to it.
 * After `failureThreshold` failures within `monitoringWindow` the circuit opens; after
 * `resetTimeout` one probe is let through (half-open) and its result closes or re-opens it.
 */
import type { z } from 'zod';
import { integer, milliseconds, oneOf, strict } from './common';

/** useCache: answer reads from the last good response; fail: fail at once; queue: hold the records until the circuit closes. */
export const FALLBACK_ACTIONS = ['useCache', 'fail', 'queue'] as const;
export type FallbackAction = (typeof FALLBACK_ACTIONS)[number];

export const CircuitBreakerSchema = strict(
  {
    failureThreshold: integer(1, 1000, 'a whole number of failures from 1 to 1000').default(5),
    /** A call slower than this counts as a failure. */
    timeout: milliseconds(1).default(60_000),
    /** How long the circuit stays open before a probe is allowed. */
    resetTimeout: milliseconds(1).default(30_000),
    /** The rolling window failures are counted in. */
    monitoringWindow: milliseconds(1).default(60_000),
    fallbackAction: oneOf(FALLBACK_ACTIONS).default('fail'),
  },
  'an object with "failureThreshold", "timeout", "resetTimeout", "monitoringWindow", "fallbackAction"',
);

export type CircuitBreaker = z.output<typeof CircuitBreakerSchema>;
