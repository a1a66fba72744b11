import { ConsecutiveBreaker, SamplingBreaker } from 'cockatiel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { createBreaker, resolveBreakerConfig } from './breaker-config';
import { SEED_CIRCUIT_BREAKER } from './seed-blocks.fixture';
import { WindowedConsecutiveBreaker } from './windowed-consecutive-breaker';

afterEach(() => {
  vi.useRealTimers();
});

describe('resolveBreakerConfig', () => {
  it("maps the seed's block", () => {
    const config = resolveBreakerConfig(SEED_CIRCUIT_BREAKER);
    expect(config).toEqual({ failureThreshold: 5, callTimeoutMs: 60000, resetTimeoutMs: 300000, monitoringWindowMs: 600000, fallback: 'useCache' });
    expect(createBreaker(config)).toMatchObject({ kind: 'windowed-consecutive', breaker: expect.any(WindowedConsecutiveBreaker) });
  });

  it('defaults', () => {
    const config = resolveBreakerConfig();
    expect(config).toEqual({ failureThreshold: 5, callTimeoutMs: 60000, resetTimeoutMs: 30000, fallback: 'fail' });
    expect(createBreaker(config)).toMatchObject({ kind: 'consecutive', breaker: expect.any(ConsecutiveBreaker) });
  });

  it('a ratio threshold samples over the monitoring window', () => {
    expect(createBreaker(resolveBreakerConfig({ failureThreshold: 0.5, monitoringWindow: 10000 }))).toMatchObject({ kind: 'sampling', breaker: expect.any(SamplingBreaker) });
  });

  it.each([
    [{ failureThreshold: 0 }, 'failureThreshold'],
    [{ failureThreshold: 2.5 }, 'failureThreshold'],
    [{ timeout: 0 }, 'timeout'],
    [{ resetTimeout: -1 }, 'resetTimeout'],
    [{ monitoringWindow: Number.NaN }, 'monitoringWindow'],
    [{ fallbackAction: 'retry' }, 'fallbackAction'],
  ])('refuses %j naming circuitBreaker.%s', (block, field) => {
    try {
      resolveBreakerConfig(block);
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error, 'BREAKER_CONFIG_INVALID')).toBe(true);
      expect((error as Error).message.startsWith(`circuitBreaker.${field} must be`)).toBe(true);
    }
  });
});

describe('WindowedConsecutiveBreaker', () => {
  it('opens on n consecutive failures within the window; a success or an old streak starts over', () => {
    vi.useFakeTimers();
    const breaker = new WindowedConsecutiveBreaker(3, 1000);
    expect([breaker.failure(), breaker.failure(), breaker.failure()]).toEqual([false, false, true]);
    breaker.success();
    expect([breaker.failure(), breaker.failure()]).toEqual([false, false]);
    vi.advanceTimersByTime(1001);
    expect([breaker.failure(), breaker.failure(), breaker.failure()]).toEqual([false, false, true]);
  });

  it('SamplingBreaker needs 5 calls in the window, then the ratio decides', () => {
    vi.useFakeTimers();
    const { breaker } = createBreaker(resolveBreakerConfig({ failureThreshold: 0.5, monitoringWindow: 10000 }));
    const results = [0, 1, 2, 3].map(() => breaker.failure(0));
    expect(results).toEqual([false, false, false, false]);
    expect(breaker.failure(0)).toBe(true);
  });
});
