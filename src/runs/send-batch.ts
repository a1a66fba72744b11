/**
 * Sends one job's rendered request: each attempt goes through the host's circuit breaker, inside
 * runWithRetry, and is audited. Short retry waits are slept here; longer ones (above deferAfterMs) end
 * the loop with a time for the queue to keep, because the worker may stop during a long sleep.
 * Attempts continue the job's count across claims (`attemptsMade`), so the retry budget spans them.
 */
import { isFerryError } from '../errors/ferry-error';
import { isHostAttempt, type GraphQLAttempt, type HostAttempt, type HttpAttempt } from '../integrations';
import { circuitOpenError, classifyError, classifyResponse, isAttemptError, runWithRetry, type AttemptContext, type AttemptOutcome, type BreakerRefusal, type RetryStopReason } from '../resilience';
import type { NewAuditEntry } from '../storage/audit';
import { auditEntry } from './audit-attempt';
import type { DeliveryPlan } from './delivery-plan';
import type { RenderedDelivery } from './render-delivery';
import type { RunDeps } from './types';

export type DeliveryResponse = HttpAttempt | GraphQLAttempt | HostAttempt;

/** `attempts`: requests made in all, earlier claims included; `retries`: how many of this claim's were retries. */
interface Counted {
  attempts: number;
  retries: number;
}

export type SendOutcome = Counted &
  (
    | { kind: 'delivered'; response: DeliveryResponse }
    /** A retry is due at `at`: persist it instead of sleeping. */
    | { kind: 'retryLater'; at: number; outcome: AttemptOutcome }
    /** The breaker refused the call (no request was made for it); the fallback decides. */
    | { kind: 'circuitOpen'; refusal: BreakerRefusal }
    | { kind: 'failed'; outcome: AttemptOutcome; stoppedBecause: RetryStopReason }
    /** The drive's signal aborted mid-job: give the job back. */
    | { kind: 'aborted' }
  );

export const DEFAULT_DEFER_AFTER_MS = 15_000;

export interface SendContext {
  runId: string;
  pipelineId: string;
  attemptsMade: number;
  signal: AbortSignal;
  /** Each request's audit entry is added here, to be committed with the job's settlement. */
  audit: NewAuditEntry[];
}

export async function sendBatch(plan: DeliveryPlan, rendered: RenderedDelivery, context: SendContext, deps: RunDeps): Promise<SendOutcome> {
  const now = deps.now ?? Date.now;
  let refusal: BreakerRefusal | undefined;
  let made = 0;
  let retries = 0;
  const count = (attempt: number) => {
    made += 1;
    if (attempt > 1) retries += 1;
  };

  const attempt = async ({ attempt: n, signal }: AttemptContext): Promise<DeliveryResponse> => {
    const started = performance.now();
    let execution;
    try {
      execution = await deps.breakers.execute(rendered.url, (breakerSignal) => rendered.send(breakerSignal), { ...(signal ? { signal } : {}), ...(plan.breaker ? { config: plan.breaker } : {}) });
    } catch (error) {
      // INVALID_REQUEST is thrown before anything is sent: not an attempt, nothing to audit.
      if (!isFerryError(error, 'INVALID_REQUEST')) {
        count(n);
        const label = classifyError(error, plan.policy, signal, now())?.label ?? (isFerryError(error) ? error.code.toLowerCase() : 'internal_error');
        const durationMs = isFerryError(error) && typeof error.details?.durationMs === 'number' ? error.details.durationMs : performance.now() - started;
        context.audit.push(auditEntry(context, rendered.target, { attempt: n, durationMs, outcome: label }, now(), deps.recordAuditBodies?.() ?? false));
      }
      throw error;
    }
    if (!execution.allowed) {
      refusal = execution;
      throw circuitOpenError(execution);
    }
    count(n);
    const response = execution.value;
    const at = now();
    // A host call has no status: it answered (a failure is thrown and audited above).
    const record = isHostAttempt(response) ? { attempt: n, durationMs: response.durationMs, outcome: 'success' } : { attempt: n, status: response.status, durationMs: response.durationMs, outcome: classifyResponse(response, plan.policy, at).label };
    context.audit.push(auditEntry(context, rendered.target, record, at, deps.recordAuditBodies?.() ?? false));
    return response;
  };

  let result;
  try {
    result = await runWithRetry(attempt, plan.policy, {
      request: rendered.retryRequest,
      signal: context.signal,
      attemptsMade: context.attemptsMade,
      deferAfterMs: deps.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS,
      now,
      ...(deps.random ? { random: deps.random } : {}),
    });
  } catch (error) {
    if (context.signal.aborted && isAttemptError(error, 'ABORTED')) return { kind: 'aborted', attempts: context.attemptsMade + made, retries };
    throw error;
  }
  const counted = { attempts: context.attemptsMade + made, retries };
  if (result.stoppedBecause === 'success' && result.response) return { kind: 'delivered', response: result.response, ...counted };
  if (refusal && result.outcome.code === 'CIRCUIT_OPEN') return { kind: 'circuitOpen', refusal, ...counted };
  if (result.stoppedBecause === 'deferred' && result.retryAt !== undefined) return { kind: 'retryLater', at: result.retryAt, outcome: result.outcome, ...counted };
  return { kind: 'failed', outcome: result.outcome, stoppedBecause: result.stoppedBecause === 'deferred' ? 'exhausted' : result.stoppedBecause, ...counted };
}
