import type { RetryPolicy } from './policy';

export type BackoffSchedule = Pick<RetryPolicy, 'backoff' | 'baseDelayMs' | 'maxDelayMs' | 'jitter' | 'retryAfterCeilingMs'>;

/** A number in [0, 1), like Math.random; injected so tests can pin the jitter. */
export type RandomSource = () => number;

/**
 * The wait after failed attempt `attempt` (1 = the first attempt failed, so this is the first retry's wait):
 * exponential `base * 2^(attempt-1)`, linear `base * attempt`, fixed `base`; capped at maxDelay.
 *
 * Jitter is "equal jitter": the wait is uniform in [d/2, d] for the capped delay d. It keeps at least
 * half of the intended wait, so a struggling server still gets its breathing room, while spreading
 * the records of one batch that failed together (full jitter could retry at once, near 0 ms).
 */
export function backoffDelay(schedule: BackoffSchedule, attempt: number, random: RandomSource = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = schedule.baseDelayMs;
  const raw = schedule.backoff === 'exponential' ? base * 2 ** (n - 1) : schedule.backoff === 'linear' ? base * n : base;
  const capped = Math.min(raw, schedule.maxDelayMs);
  if (!schedule.jitter) return capped;
  const half = capped / 2;
  return Math.round(half + clamp01(random()) * half);
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
