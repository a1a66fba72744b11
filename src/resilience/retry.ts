import pRetry, { AbortError as StopRetrying } from 'p-retry';
import { FerryError } from '../errors/ferry-error';
import { AttemptError } from './attempt-error';
import type { RandomSource } from './backoff';
import type { RetryRequest } from './idempotency';
import { nextRetry, type RetryDecision, type RetryStopReason } from './next-retry';
import { classifyError, classifyResponse, type AttemptOutcome, type AttemptResponse } from './outcome';
import type { RetryPolicy } from './policy';
import { sleep } from './sleep';

export interface AttemptContext {
  /** Counting from 1, including attempts made before a resume. */
  attempt: number;
  signal: AbortSignal | undefined;
}

/** One retry about to happen, for the audit log. */
export interface RetryEvent {
  /** The attempt that failed. */
  attempt: number;
  nextAttempt: number;
  delayMs: number;
  retryAt: number;
  delaySource: 'backoff' | 'retry-after';
  outcome: AttemptOutcome;
}

export interface RunWithRetryOptions {
  /** Required, so a POST can never be retried by a caller that forgot to say it was one. */
  request: RetryRequest;
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
  /** Attempts already made for this request before a worker restart; the budget continues from there. */
  attemptsMade?: number;
  /**
   * Waits longer than this are not slept in memory: the run stops with `stoppedBecause: 'deferred'` and
   * `retryAt`, for the durable runner to persist (a service worker may stop during a long sleep).
   */
  deferAfterMs?: number;
  now?: () => number;
  random?: RandomSource;
}

export interface RetryResult<R> {
  outcome: AttemptOutcome;
  /** Attempts made in total, including `attemptsMade`. */
  attempts: number;
  /** The last response, when the last attempt produced one. */
  response?: R;
  stoppedBecause: RetryStopReason | 'deferred';
  /** With 'deferred': when to make attempt `attempts + 1`. */
  retryAt?: number;
}

/** Carries a failed outcome through p-retry, which only retries on rejection. */
class FailedAttempt<R> extends Error {
  constructor(
    readonly outcome: AttemptOutcome,
    readonly response: R | undefined,
  ) {
    super(outcome.label);
  }
}

/**
 * Runs `attempt` until it succeeds, fails finally, or uses up `policy.maxAttempts`, with p-retry doing
 * the looping. p-retry cannot take a per-attempt delay (Retry-After), so its own delay is zero and
 * `shouldRetry` sleeps for the delay `nextRetry` chose, abortably. Resolves with the final outcome,
 * success or not; rejects with AttemptError ABORTED when `signal` aborts, and with whatever an attempt
 * threw that is not a transport failure (a bug must not be retried).
 */
export async function runWithRetry<R extends AttemptResponse>(attempt: (context: AttemptContext) => Promise<R>, policy: RetryPolicy, options: RunWithRetryOptions): Promise<RetryResult<R>> {
  const { signal, request, onRetry, random } = options;
  const now = options.now ?? Date.now;
  const attemptsMade = options.attemptsMade ?? 0;
  if (attemptsMade >= policy.maxAttempts) {
    throw new FerryError('RETRY_ATTEMPTS_EXHAUSTED', `All ${policy.maxAttempts} attempts were already made; the record belongs in the dead-letter list.`, { attemptsMade, maxAttempts: policy.maxAttempts });
  }
  let attempts = attemptsMade;
  let decision: RetryDecision | undefined;
  let deferredUntil: number | undefined;

  try {
    return await pRetry(
      async (n): Promise<RetryResult<R>> => {
        attempts = attemptsMade + n;
        let response: R;
        try {
          response = await attempt({ attempt: attempts, signal });
        } catch (error) {
          const outcome = classifyError(error, policy, signal, now());
          throw outcome ? new FailedAttempt<R>(outcome, undefined) : new StopRetrying(asError(error));
        }
        const outcome = classifyResponse(response, policy, now());
        if (outcome.kind === 'success') return { outcome, attempts, response, stoppedBecause: 'success' };
        throw new FailedAttempt(outcome, response);
      },
      {
        retries: policy.maxAttempts - 1 - attemptsMade,
        minTimeout: 0,
        maxTimeout: 0,
        signal,
        onFailedAttempt: ({ error }) => {
          decision = error instanceof FailedAttempt ? nextRetry({ policy, outcome: error.outcome, attempt: attempts, request, now: now(), random }) : undefined;
        },
        shouldRetry: async ({ error }) => {
          if (!decision?.retry || !(error instanceof FailedAttempt)) return false;
          const { nextAttempt, delayMs, retryAt, delaySource } = decision;
          onRetry?.({ attempt: attempts, nextAttempt, delayMs, retryAt, delaySource, outcome: error.outcome });
          if (options.deferAfterMs !== undefined && delayMs > options.deferAfterMs) {
            deferredUntil = retryAt;
            return false;
          }
          await sleep(delayMs, signal);
          return true;
        },
      },
    );
  } catch (error) {
    if (signal?.aborted) throw new AttemptError('ABORTED', undefined, { attempts }, { cause: signal.reason });
    if (!(error instanceof FailedAttempt)) throw error;
    const result: RetryResult<R> = { outcome: error.outcome, attempts, stoppedBecause: stopReason(decision, deferredUntil) };
    if (error.response !== undefined) result.response = error.response as R;
    if (deferredUntil !== undefined) result.retryAt = deferredUntil;
    return result;
  }
}

function stopReason(decision: RetryDecision | undefined, deferredUntil: number | undefined): RetryResult<unknown>['stoppedBecause'] {
  if (deferredUntil !== undefined) return 'deferred';
  // p-retry stops on its own budget without asking shouldRetry; nextRetry agrees it is exhausted.
  return decision && !decision.retry ? decision.reason : 'exhausted';
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
