import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttemptError, isAttemptError } from './attempt-error';
import { circuitOpenError, HostBreaker, type BreakerExecution } from './breaker';
import { resolveBreakerConfig } from './breaker-config';
import { classifyError } from './outcome';
import { resolveRetryPolicy } from './policy';
import { runWithRetry } from './retry';
import { SEED_CIRCUIT_BREAKER } from './seed-blocks.fixture';

const START = Date.UTC(2026, 0, 1);
const config = resolveBreakerConfig({ failureThreshold: 3, timeout: 1000, resetTimeout: 10000, fallbackAction: 'queue' });
const respond = (status: number) => async () => ({ status });
const fail = (code: 'NETWORK_ERROR' | 'TIMEOUT') => async () => {
  throw new AttemptError(code);
};

async function trip(breaker: HostBreaker, times = 3) {
  for (let i = 0; i < times; i++) await breaker.execute(respond(503));
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('HostBreaker', () => {
  it('closed → open after failureThreshold consecutive host failures; refuses with the fallback instead of calling', async () => {
    const breaker = new HostBreaker('api.example.com', config);
    await expect(breaker.execute(respond(500))).resolves.toEqual({ allowed: true, value: { status: 500 } });
    await expect(breaker.execute(fail('NETWORK_ERROR'))).rejects.toSatisfy((e) => isAttemptError(e, 'NETWORK_ERROR'));
    expect(breaker.state).toBe('closed');
    await breaker.execute(respond(429));
    expect(breaker.state).toBe('open');
    const fn = vi.fn(respond(200));
    await expect(breaker.execute(fn)).resolves.toEqual({ allowed: false, host: 'api.example.com', state: 'open', fallback: 'queue', retryAt: START + 10000 });
    expect(fn).not.toHaveBeenCalled();
    expect(breaker.snapshot()).toEqual({ host: 'api.example.com', state: 'open', fallback: 'queue', retryAt: START + 10000 });
  });

  it("does not count the request's own faults, and a success ends a streak", async () => {
    const breaker = new HostBreaker('h', config);
    for (const status of [400, 401, 404, 422, 200]) await breaker.execute(respond(status));
    await trip(breaker, 2);
    await breaker.execute(respond(201));
    await trip(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('open → halfOpen after resetTimeout → closed when the probe succeeds', async () => {
    const breaker = new HostBreaker('h', config);
    await trip(breaker);
    vi.advanceTimersByTime(9999);
    expect(breaker.decide()).toMatchObject({ allowed: false, state: 'open' });
    vi.advanceTimersByTime(1);
    expect(breaker.decide()).toEqual({ allowed: true });
    let answer!: (value: { status: number }) => void;
    const probe = breaker.execute(() => new Promise<{ status: number }>((resolve) => (answer = resolve)));
    expect(breaker.state).toBe('halfOpen');
    // Only one probe: others are refused, not queued behind it.
    const other = vi.fn(respond(200));
    await expect(breaker.execute(other)).resolves.toEqual({ allowed: false, host: 'h', state: 'halfOpen', fallback: 'queue', retryAt: START + 10000 + 1000 });
    expect(other).not.toHaveBeenCalled();
    answer({ status: 200 });
    await expect(probe).resolves.toEqual({ allowed: true, value: { status: 200 } });
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(other)).resolves.toMatchObject({ allowed: true });
  });

  it('halfOpen → open again when the probe fails, for another resetTimeout', async () => {
    const breaker = new HostBreaker('h', config);
    await trip(breaker);
    vi.advanceTimersByTime(10000);
    await expect(breaker.execute(fail('NETWORK_ERROR'))).rejects.toThrow();
    expect(breaker.state).toBe('open');
    expect(breaker.decide()).toMatchObject({ allowed: false, state: 'open', retryAt: START + 20000 });
  });

  it('times out a call after circuitBreaker.timeout, aborting its signal, and counts it', async () => {
    const breaker = new HostBreaker('h', config);
    let seen: AbortSignal | undefined;
    const hang = (signal: AbortSignal) => {
      seen = signal;
      return new Promise<never>(() => {});
    };
    for (let i = 0; i < 3; i++) {
      const call = breaker.execute(hang);
      const settled = expect(call).rejects.toSatisfy((e) => isAttemptError(e, 'TIMEOUT'));
      await vi.advanceTimersByTimeAsync(1000);
      await settled;
      expect(seen?.aborted).toBe(true);
    }
    expect(breaker.state).toBe('open');
  });

  it("a transport's own abort error after the timeout is still a timeout", async () => {
    const breaker = new HostBreaker('h', config);
    const call = breaker.execute((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))));
    const settled = expect(call).rejects.toSatisfy((e) => isAttemptError(e, 'TIMEOUT'));
    await vi.advanceTimersByTimeAsync(1000);
    await settled;
  });

  it("the caller's abort is a cancellation, not a failure, while closed", async () => {
    const breaker = new HostBreaker('h', config);
    await trip(breaker, 2);
    const controller = new AbortController();
    const call = breaker.execute((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))), controller.signal);
    controller.abort();
    await expect(call).rejects.toSatisfy((e) => isAttemptError(e, 'ABORTED'));
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(respond(200), AbortSignal.abort())).rejects.toSatisfy((e) => isAttemptError(e, 'ABORTED'));
  });

  it('a probe cancelled by its caller keeps the circuit open', async () => {
    const breaker = new HostBreaker('h', config);
    await trip(breaker);
    vi.advanceTimersByTime(10000);
    const controller = new AbortController();
    const probe = breaker.execute((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))), controller.signal);
    controller.abort();
    await expect(probe).rejects.toSatisfy((e) => isAttemptError(e, 'ABORTED'));
    expect(breaker.state).toBe('open');
  });

  it("the seed's block: 5 failures within the window open it for resetTimeout with fallback useCache", async () => {
    const breaker = new HostBreaker('h', resolveBreakerConfig(SEED_CIRCUIT_BREAKER));
    await trip(breaker, 4);
    vi.advanceTimersByTime(600001); // the streak has gone stale
    await trip(breaker, 4);
    expect(breaker.state).toBe('closed');
    await trip(breaker, 1);
    expect(breaker.decide()).toMatchObject({ allowed: false, fallback: 'useCache', retryAt: Date.now() + 300000 });
  });

  it('inside runWithRetry, a refusal ends the run with a final circuit_open outcome', async () => {
    const breaker = new HostBreaker('api.example.com', config);
    const policy = { ...resolveRetryPolicy({ retryStrategy: { maxAttempts: 10, jitter: false } }) };
    const server = vi.fn(respond(503));
    const run = runWithRetry(
      async () => {
        const result: BreakerExecution<{ status: number }> = await breaker.execute(server);
        if (!result.allowed) throw circuitOpenError(result);
        return result.value;
      },
      policy,
      { request: { method: 'GET' } },
    );
    await vi.runAllTimersAsync();
    const result = await run;
    expect(server).toHaveBeenCalledTimes(3);
    expect(result).toMatchObject({ attempts: 4, stoppedBecause: 'final', outcome: { label: 'circuit_open', code: 'CIRCUIT_OPEN', retryable: false } });
    expect(result.outcome.retryAfterMs).toBeGreaterThan(0);
  });

  it('circuitOpenError says what happened and when Ferry tries again', () => {
    const error = circuitOpenError({ allowed: false, host: 'api.example.com', state: 'open', fallback: 'useCache', retryAt: START + 60000 });
    expect(error.message).toBe('api.example.com failed repeatedly, so Ferry stopped calling it; it will try again after 2026-01-01T00:01:00.000Z (fallback: useCache).');
    expect(classifyError(error, resolveRetryPolicy({}), undefined, START)).toMatchObject({ retryAfterMs: 60000 });
  });
});
