import type { RetryPolicy } from './policy';

export type BackoffSchedule = Pick<RetryPolicy, 'backoff' | 'baseDelayMs' | 'maxDelayMs' | 'jitter' | 'retryAfterCeilingMs'>;

/** A number in [0, 1), like Math.random; injected so tests can pin the jitter. */
export type RandomSource = () => number;

/**
 * The wait after failed attempt `attempt` (1 = the first attempt failed, so this is the first retry's wait):
 * exponential `base * 2^(attempt-1)`, linear `base * attempt`, fixed `base`; capped at maxDelay.
 *
 * Jitter spreads the wait uniformly over [d, 2d] for the capped delay d, clipped to maxDelay (and
 * over [max(base, maxDelay/2), maxDelay] once d is capped): every wait stays between baseDelay and
 * maxDelay, as the retry strategy promises, never shorter than the schedule asks (a struggling server
 * keeps its breathing room), while batches that failed together stop retrying in step.
 */
export function backoffDelay(schedule: BackoffSchedule, attempt: number, random: RandomSource = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = schedule.baseDelayMs;
  const raw = schedule.backoff === 'exponential' ? base * 2 ** (n - 1) : schedule.backoff === 'linear' ? base * n : base;
  const capped = Math.min(raw, schedule.maxDelayMs);
  if (!schedule.jitter) return capped;
  const max = schedule.maxDelayMs;
  const lo = capped < max ? capped : Math.max(base, max / 2);
  const hi = Math.min(max, capped < max ? capped * 2 : max);
  return Math.round(lo + clamp01(random()) * (hi - lo));
}

/**
 * The wait before the next attempt: the server's Retry-After when it sent one, otherwise the backoff.
 * The server knows when it will take requests again better than our schedule, so Retry-After replaces
 * the computed delay (no jitter) and may exceed maxDelay; it is bounded by retryAfterCeiling (the larger
 * of 5 minutes and maxDelay) so a misconfigured "Retry-After: 86400" cannot park a record for a day.
 */
export function retryDelay(schedule: BackoffSchedule, attempt: number, retryAfterMs?: number, random?: RandomSource): { delayMs: number; source: 'backoff' | 'retry-after' } {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) {
    return { delayMs: Math.min(Math.max(0, retryAfterMs), schedule.retryAfterCeilingMs), source: 'retry-after' };
  }
  return { delayMs: backoffDelay(schedule, attempt, random), source: 'backoff' };
}

// A random source returning 1 or junk must not push the wait past the cap.
function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(Math.max(x, 0), 1) : 0;
}
