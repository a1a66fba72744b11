import { describe, expect, it } from 'vitest';
import { nextRetry } from './next-retry';
import type { AttemptOutcome } from './outcome';
import { resolveRetryPolicy } from './policy';

const policy = { ...resolveRetryPolicy({}), jitter: false };
const NOW = 1_700_000_000_000;
const failure = (over: Partial<AttemptOutcome> = {}): AttemptOutcome => ({ kind: 'failure', label: 'server_error', retryable: true, status: 503, ...over });

describe('nextRetry', () => {
  it('gives the time of the next attempt, to persist', () => {
    expect(nextRetry({ policy, outcome: failure(), attempt: 2, request: { method: 'GET' }, now: NOW })).toEqual({ retry: true, nextAttempt: 3, delayMs: 2000, retryAt: NOW + 2000, delaySource: 'backoff' });
    expect(nextRetry({ policy, outcome: failure({ retryAfterMs: 9000 }), attempt: 1, request: { method: 'GET' }, now: NOW })).toMatchObject({ retry: true, retryAt: NOW + 9000, delaySource: 'retry-after' });
  });

  it.each([
    [{ kind: 'success', label: 'success', retryable: false, status: 200 } as AttemptOutcome, 1, 'GET', 'success'],
    [failure({ retryable: false, status: 400 }), 1, 'GET', 'final'],
    [failure(), 3, 'GET', 'exhausted'],
    [failure(), 1, 'POST', 'not_idempotent'],
    [failure(), 1, 'PATCH', 'not_idempotent'],
    [failure(), 1, 'CONNECT', 'not_idempotent'],
  ])('%#: stops with %s', (outcome, attempt, method, reason) => {
    expect(nextRetry({ policy, outcome, attempt, request: { method }, now: NOW })).toEqual({ retry: false, reason });
  });

  it('ignores an empty Idempotency-Key', () => {
    expect(nextRetry({ policy, outcome: failure(), attempt: 1, request: { method: 'POST', headers: { 'Idempotency-Key': ' ' } }, now: NOW })).toEqual({ retry: false, reason: 'not_idempotent' });
  });
});
