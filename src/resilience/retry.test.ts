import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { AttemptError, isAttemptError } from './attempt-error';
import type { AttemptOutcome, AttemptResponse } from './outcome';
import { resolveRetryPolicy } from './policy';
import { runWithRetry, type RetryEvent } from './retry';
import { SEED_RESPONSE_PROCESSING, SEED_RETRY_STRATEGY } from './seed-blocks.fixture';

const START = Date.UTC(2026, 0, 1);
const policy = resolveRetryPolicy({ retryStrategy: { ...SEED_RETRY_STRATEGY, jitter: false, retryableErrors: ['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMIT', 'SERVER_ERROR'] } });
const GET = { method: 'GET' };

/** An attempt function that answers from a script, one entry per call, and records when it was called. */
function scripted(...script: (number | AttemptResponse | Error)[]) {
  const calls: { attempt: number; at: number }[] = [];
  const fn = vi.fn(async ({ attempt }: { attempt: number }) => {
    calls.push({ attempt, at: Date.now() - START });
    const next = script[Math.min(calls.length - 1, script.length - 1)]!;
    if (next instanceof Error) throw next;
    return typeof next === 'number' ? { status: next, headers: {} } : next;
  });
  return { fn, calls };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('runWithRetry', () => {
  it('returns at once on success', async () => {
    const { fn } = scripted(201);
    const onRetry = vi.fn();
    await expect(runWithRetry(fn, policy, { request: GET, onRetry })).resolves.toMatchObject({ outcome: { kind: 'success', status: 201 }, attempts: 1, stoppedBecause: 'success', response: { status: 201 } });
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('retries retryable outcomes on the backoff schedule and reports each retry', async () => {
    const { fn, calls } = scripted(500, new AttemptError('NETWORK_ERROR'), 200);
    const events: RetryEvent[] = [];
    const run = runWithRetry(fn, policy, { request: GET, onRetry: (e) => events.push(e) });
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2000);
    await expect(run).resolves.toMatchObject({ outcome: { kind: 'success' }, attempts: 3, stoppedBecause: 'success' });
    expect(calls).toEqual([{ attempt: 1, at: 0 }, { attempt: 2, at: 1000 }, { attempt: 3, at: 3000 }]);
    expect(events.map(({ attempt, nextAttempt, delayMs, retryAt, delaySource, outcome }) => [attempt, nextAttempt, delayMs, retryAt - START, delaySource, outcome.label])).toEqual([
      [1, 2, 1000, 1000, 'backoff', 'server_error'],
      [2, 3, 2000, 3000, 'backoff', 'network_error'],
    ]);
  });

  it('never makes more than maxAttempts attempts', async () => {
    for (const maxAttempts of [1, 2, 3, 5]) {
      const { fn } = scripted(503);
      const onRetry = vi.fn();
      const run = runWithRetry(fn, { ...policy, maxAttempts }, { request: GET, onRetry });
      await vi.runAllTimersAsync();
      await expect(run).resolves.toMatchObject({ outcome: { label: 'server_error', status: 503 }, attempts: maxAttempts, stoppedBecause: 'exhausted', response: { status: 503 } });
      expect(fn).toHaveBeenCalledTimes(maxAttempts);
      expect(onRetry).toHaveBeenCalledTimes(maxAttempts - 1);
    }
  });

  it("uses the seed's retryConfig.maxRetries + 1 when only responseProcessing is given", async () => {
    const { fn } = scripted(502);
    const run = runWithRetry(fn, { ...resolveRetryPolicy({ responseProcessing: SEED_RESPONSE_PROCESSING }), jitter: false }, { request: GET });
    await vi.runAllTimersAsync();
    await expect(run).resolves.toMatchObject({ attempts: 4, stoppedBecause: 'exhausted' });
  });

  it.each([400, 401, 404, 422])('does not retry a final outcome (%i)', async (status) => {
    const { fn } = scripted(status);
    await expect(runWithRetry(fn, policy, { request: GET })).resolves.toMatchObject({ attempts: 1, stoppedBecause: 'final', outcome: { retryable: false, status } });
  });

  it.each(['POST', 'PATCH', 'post'])('does not retry %s without an Idempotency-Key', async (method) => {
    const { fn } = scripted(503, 200);
    await expect(runWithRetry(fn, policy, { request: { method, headers: {} } })).resolves.toMatchObject({ attempts: 1, stoppedBecause: 'not_idempotent', outcome: { status: 503, retryable: true } });
    const thrown = scripted(new AttemptError('TIMEOUT'), 200);
    await expect(runWithRetry(thrown.fn, policy, { request: { method } })).resolves.toMatchObject({ attempts: 1, stoppedBecause: 'not_idempotent' });
  });

  it.each([
    ['POST', { 'Idempotency-Key': 'run-1:batch-7' }],
    ['PATCH', new Headers({ 'idempotency-key': 'k' })],
    ['PUT', {}],
    ['DELETE', {}],
    ['HEAD', {}],
  ])('retries %s %j', async (method, headers) => {
    const { fn } = scripted(503, 200);
    const run = runWithRetry(fn, policy, { request: { method, headers } });
    await vi.runAllTimersAsync();
    await expect(run).resolves.toMatchObject({ attempts: 2, stoppedBecause: 'success' });
  });

  it('retries a POST marked idempotent (a GraphQL query)', async () => {
    const { fn } = scripted(503, 200);
    const run = runWithRetry(fn, policy, { request: { method: 'POST', idempotent: true } });
    await vi.runAllTimersAsync();
    await expect(run).resolves.toMatchObject({ attempts: 2 });
  });

  it('honours Retry-After in seconds and as an HTTP-date', async () => {
    const date = new Date(START + 12_000).toUTCString();
    const { fn, calls } = scripted({ status: 429, headers: { 'Retry-After': '7' } }, { status: 503, headers: { 'Retry-After': date } }, 200);
    const run = runWithRetry(fn, policy, { request: GET });
    await vi.runAllTimersAsync();
    await expect(run).resolves.toMatchObject({ attempts: 3, stoppedBecause: 'success' });
    expect(calls.map((c) => c.at)).toEqual([0, 7000, 12000]);
  });

  it('aborts promptly during a backoff wait, without another attempt', async () => {
    const { fn } = scripted(500);
    const controller = new AbortController();
    const run = runWithRetry(fn, policy, { request: GET, signal: controller.signal });
    const settled = vi.fn();
    run.catch(settled);
    await vi.advanceTimersByTimeAsync(400);
    controller.abort(new Error('user cancelled'));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toHaveBeenCalledTimes(1);
    const error = settled.mock.calls[0]![0] as AttemptError;
    expect(isAttemptError(error, 'ABORTED')).toBe(true);
    expect(error.details).toEqual({ attempts: 1 });
    expect((error.cause as Error).message).toBe('user cancelled');
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rejects at once when the signal has already aborted', async () => {
    const { fn } = scripted(200);
    await expect(runWithRetry(fn, policy, { request: GET, signal: AbortSignal.abort() })).rejects.toSatisfy((e) => isAttemptError(e, 'ABORTED'));
    expect(fn).not.toHaveBeenCalled();
  });

  it('passes the signal to each attempt and stops when an attempt is cancelled', async () => {
    const controller = new AbortController();
    const fn = vi.fn(({ signal }: { signal: AbortSignal | undefined }) => new Promise<AttemptResponse>((_, reject) => signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))));
    const run = runWithRetry(fn, policy, { request: GET, signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toSatisfy((e) => isAttemptError(e, 'ABORTED'));
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('lets a bug propagate without retrying it', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const { fn } = scripted(bug);
    await expect(runWithRetry(fn, policy, { request: GET })).rejects.toBe(bug);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('continues the budget after a resume', async () => {
    const { fn, calls } = scripted(503);
    const run = runWithRetry(fn, policy, { request: GET, attemptsMade: 2 });
    await vi.runAllTimersAsync();
    await expect(run).resolves.toMatchObject({ attempts: 3, stoppedBecause: 'exhausted' });
    expect(calls.map((c) => c.attempt)).toEqual([3]);
    await expect(runWithRetry(fn, policy, { request: GET, attemptsMade: 3 })).rejects.toSatisfy((e) => isFerryError(e, 'RETRY_ATTEMPTS_EXHAUSTED'));
  });

  it('defers a wait longer than deferAfterMs to the durable runner instead of sleeping', async () => {
    const { fn } = scripted({ status: 429, headers: { 'retry-after': '120' } }, 200);
    const onRetry = vi.fn();
    const result = await runWithRetry(fn, policy, { request: GET, deferAfterMs: 20_000, onRetry });
    expect(result).toMatchObject({ attempts: 1, stoppedBecause: 'deferred', retryAt: START + 120_000, outcome: { label: 'rate_limit_exceeded', retryAfterMs: 120_000 } });
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ attempt: 1, nextAttempt: 2, delayMs: 120_000, delaySource: 'retry-after' }));
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('spreads waits with the injected random source when jitter is on', async () => {
    const { fn, calls } = scripted(500);
    const run = runWithRetry(fn, { ...policy, jitter: true }, { request: GET, random: () => 0 });
    await vi.runAllTimersAsync();
    await run;
    expect(calls.map((c) => c.at)).toEqual([0, 1000, 3000]);
  });

  it('returns the last outcome, not a thrown error, when every attempt failed without a response', async () => {
    const { fn } = scripted(new AttemptError('TIMEOUT'));
    const run = runWithRetry(fn, policy, { request: GET });
    await vi.runAllTimersAsync();
    const result = await run;
    expect(result).toEqual({ outcome: { kind: 'failure', label: 'timeout', retryable: true, code: 'TIMEOUT' } satisfies AttemptOutcome, attempts: 3, stoppedBecause: 'exhausted' });
  });
});
