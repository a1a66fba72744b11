import { retryDelay, type RandomSource } from './backoff';
import { isSafeToRepeat, type RetryRequest } from './idempotency';
import type { AttemptOutcome } from './outcome';
import type { RetryPolicy } from './policy';

/** Why a run of attempts stopped. */
export type RetryStopReason = 'success' | 'final' | 'exhausted' | 'not_idempotent';

export type RetryDecision =
  | { retry: true; nextAttempt: number; delayMs: number; retryAt: number; delaySource: 'backoff' | 'retry-after' }
  | { retry: false; reason: RetryStopReason };

export interface NextRetryInput {
  policy: RetryPolicy;
  outcome: AttemptOutcome;
  /** The attempt that produced `outcome`, counting from 1 across worker restarts. */
  attempt: number;
  request: RetryRequest;
  /** Epoch ms; `retryAt` is `now + delayMs`, so a durable runner can store it and resume after the worker stops. */
  now: number;
  random?: RandomSource;
}

/**
 * Decides, without waiting, whether and when to try again. Pure: `runWithRetry` uses it between
 * in-memory attempts, and a durable runner uses it to persist "retry at T" instead of sleeping in a
 * service worker that may stop.
 */
export function nextRetry({ policy, outcome, attempt, request, now, random }: NextRetryInput): RetryDecision {
  if (outcome.kind === 'success') return { retry: false, reason: 'success' };
  if (!outcome.retryable) return { retry: false, reason: 'final' };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'exhausted' };
  // A call that never ran cannot have taken effect: repeating it is safe whatever it would do.
  if (!isSafeToRepeat(request) && outcome.notSent !== true) return { retry: false, reason: 'not_idempotent' };
  const { delayMs, source } = retryDelay(policy, attempt, outcome.retryAfterMs, random);
  return { retry: true, nextAttempt: attempt + 1, delayMs, retryAt: now + delayMs, delaySource: source };
}
