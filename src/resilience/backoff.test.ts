import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDelay, type BackoffSchedule } from './backoff';
import { resolveRetryPolicy } from './policy';
import { SEED_RETRY_STRATEGY } from './seed-blocks.fixture';

const schedule = (over: Partial<BackoffSchedule>): BackoffSchedule => ({ backoff: 'exponential', baseDelayMs: 1000, maxDelayMs: 30000, jitter: false, retryAfterCeilingMs: 300000, ...over });
const delays = (s: BackoffSchedule, random?: () => number) => [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(s, n, random));

describe('backoffDelay', () => {
  it('exponential: base * 2^(n-1), capped at maxDelay', () => {
    expect(delays(schedule({}))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('linear and fixed', () => {
    expect(delays(schedule({ backoff: 'linear', maxDelayMs: 5000 }))).toEqual([1000, 2000, 3000, 4000, 5000, 5000, 5000]);
    expect(delays(schedule({ backoff: 'fixed' }))).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 1000]);
  });

  it('jitter: uniform in [d, 2d] clipped to maxDelay, and in [maxDelay/2, maxDelay] once capped', () => {
    const s = schedule({ jitter: true });
    expect(delays(s, () => 0)).toEqual([1000, 2000, 4000, 8000, 16000, 15000, 15000]);
    expect(delays(s, () => 0.5)).toEqual([1500, 3000, 6000, 12000, 23000, 22500, 22500]);
    expect(delays(s, () => 0.999999)).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('never leaves [baseDelay, maxDelay] whatever the random source returns', () => {
    const s = schedule({ jitter: true });
    for (const attempt of [1, 3, 6, 9]) {
      for (const r of [-1, 0, 0.3, 0.99, 2, Number.NaN, Infinity]) {
        const d = backoffDelay(s, attempt, () => r);
        expect(d).toBeGreaterThanOrEqual(1000);
        expect(d).toBeLessThanOrEqual(30000);
      }
    }
  });

  it("the seed's retryStrategy: 1 s then 2 s, jittered upwards", () => {
    const policy = resolveRetryPolicy({ retryStrategy: SEED_RETRY_STRATEGY });
    expect([1, 2].map((n) => backoffDelay(policy, n, () => 0.5))).toEqual([1500, 3000]);
  });
});

describe('retryDelay', () => {
  it("uses the server's Retry-After instead of the backoff, even above maxDelay, without jitter", () => {
    const s = schedule({ jitter: true, maxDelayMs: 10000 });
    expect(retryDelay(s, 1, 45000, () => 0)).toEqual({ delayMs: 45000, source: 'retry-after' });
    expect(retryDelay(s, 5, 0, () => 0)).toEqual({ delayMs: 0, source: 'retry-after' });
  });

  it('bounds Retry-After by the ceiling', () => {
    expect(retryDelay(schedule({}), 1, 86_400_000)).toEqual({ delayMs: 300000, source: 'retry-after' });
  });

  it('falls back to the backoff without Retry-After', () => {
    expect(retryDelay(schedule({}), 3)).toEqual({ delayMs: 4000, source: 'backoff' });
  });
});
