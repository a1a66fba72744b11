import { ConsecutiveBreaker, SamplingBreaker, type IBreaker } from 'cockatiel';
import { FerryError } from '../errors/ferry-error';
import { WindowedConsecutiveBreaker } from './windowed-consecutive-breaker';

/** The seed's `circuitBreaker` block, as users paste it. */
export interface CircuitBreakerBlock {
  /** A count of consecutive failures (5), or a failure ratio in (0, 1) sampled over monitoringWindow. */
  failureThreshold?: number;
  /** Per-call timeout in ms; a call that takes longer counts as a failure. */
  timeout?: number;
  /** How long the circuit stays open before one probe call is let through (half-open). */
  resetTimeout?: number;
  /** The window failures are counted in. */
  monitoringWindow?: number;
  fallbackAction?: string;
}

/** What the caller does with records while the circuit is open. */
export type FallbackAction = 'useCache' | 'fail' | 'queue';

export interface BreakerConfig {
  failureThreshold: number;
  callTimeoutMs: number;
  resetTimeoutMs: number;
  monitoringWindowMs?: number;
  fallback: FallbackAction;
}

/** Which cockatiel breaker the config maps to; persisted with the state, whose shape depends on it. */
export type BreakerKind = 'consecutive' | 'windowed-consecutive' | 'sampling';

// The same defaults as the pipeline schema (src/pipeline/schema/circuit-breaker.ts), for callers that skip it.
export const BREAKER_DEFAULTS = { failureThreshold: 5, callTimeoutMs: 60_000, resetTimeoutMs: 30_000, samplingWindowMs: 60_000, fallback: 'fail' } as const;
const FALLBACKS: readonly FallbackAction[] = ['useCache', 'fail', 'queue'];

/** Validates the block (FerryError `BREAKER_CONFIG_INVALID` naming the path) and fills in defaults. */
export function resolveBreakerConfig(block: CircuitBreakerBlock = {}): BreakerConfig {
  const threshold = block.failureThreshold ?? BREAKER_DEFAULTS.failureThreshold;
  const isCount = Number.isInteger(threshold) && threshold >= 1;
  const isRatio = threshold > 0 && threshold < 1;
  if (!isCount && !isRatio) invalid('failureThreshold', 'a whole number of failures (1 or more) or a failure ratio between 0 and 1', threshold);
  const fallback = block.fallbackAction ?? BREAKER_DEFAULTS.fallback;
  if (!FALLBACKS.includes(fallback as FallbackAction)) invalid('fallbackAction', `one of ${FALLBACKS.join(', ')}`, fallback);
  const config: BreakerConfig = {
    failureThreshold: threshold,
    callTimeoutMs: positive(block.timeout ?? BREAKER_DEFAULTS.callTimeoutMs, 'timeout'),
    resetTimeoutMs: positive(block.resetTimeout ?? BREAKER_DEFAULTS.resetTimeoutMs, 'resetTimeout'),
    fallback: fallback as FallbackAction,
  };
  if (block.monitoringWindow !== undefined) config.monitoringWindowMs = positive(block.monitoringWindow, 'monitoringWindow');
  return config;
}

/**
 * Maps the config onto a cockatiel breaker:
 * - a count without monitoringWindow: `ConsecutiveBreaker(n)`, n failures in a row open the circuit;
 * - a count with monitoringWindow (the seed's shape): n failures in a row, all within the window, so
 *   a streak spread over hours of quiet does not open it;
 * - a ratio: `SamplingBreaker` over monitoringWindow (60 s by default), needing at least 5 calls in the
 *   window (cockatiel's own minimum assumes server-scale traffic: thousands of calls per window).
 */
export function createBreaker(config: BreakerConfig): { kind: BreakerKind; breaker: IBreaker } {
  const { failureThreshold: threshold, monitoringWindowMs: window } = config;
  if (threshold >= 1) {
    return window === undefined ? { kind: 'consecutive', breaker: new ConsecutiveBreaker(threshold) } : { kind: 'windowed-consecutive', breaker: new WindowedConsecutiveBreaker(threshold, window) };
  }
  const duration = window ?? BREAKER_DEFAULTS.samplingWindowMs;
  return { kind: 'sampling', breaker: new SamplingBreaker({ threshold, duration, minimumRps: 5 / (duration / 1000) }) };
}

function positive(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  return invalid(field, 'a number of milliseconds above 0', value);
}

function invalid(field: string, expected: string, got: unknown): never {
  const path = `circuitBreaker.${field}`;
  throw new FerryError('BREAKER_CONFIG_INVALID', `${path} must be ${expected}, got ${JSON.stringify(got)}`, { path, expected });
}
