/**
 * One claimed job from render to settlement. The lease is renewed while it runs; losing it (another
 * claimer took the job) or the drive's signal aborts the request in hand.
 *
 * Errors that are not delivery outcomes are final for the batch and dead-letter it with their
 * message: a template that cannot render for it, a missing credential, a request that cannot be
 * built, a response that is not GraphQL. Retrying would fail the same way; a replay after the fix
 * sends it with its original key. A failure while settling (storage) is different: the request may
 * have gone through, so the job is left to its lease, and sent again with the same key after it.
 */
import { FerryError, isFerryError } from '../errors/ferry-error';
import type { ClaimedJob } from '../storage/job-queue';
import type { JobOutcome } from '../storage/rows';
import { attemptBook, attemptsBefore } from './job-attempts';
import { keepLease } from './lease-keeper';
import { renderDelivery } from './render-delivery';
import type { RunContext } from './run-context';
import { sendBatch, type SendOutcome } from './send-batch';
import { deadLetter, settleJob, type JobWork } from './settle-job';
import type { RunDeps } from './types';

export async function processJob(deps: RunDeps, context: RunContext | Error, job: ClaimedJob, signal?: AbortSignal): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const lostLease = () => controller.abort(new FerryError('JOB_LEASE_LOST', `The lease on job ${job.id} was lost; another worker has it now.`, { jobId: job.id }));
  // Renewed for as long as the claim granted (the queue's lease unless deps.leaseMs overrides it).
  const leaseMs = Math.max(1, job.leaseUntil - job.updatedAt);
  const keeper = keepLease(deps.repos.jobs, job, leaseMs, lostLease, deps.onError);
  try {
    const attemptsMade = attemptsBefore(job);
    let result: Delivery | JobOutcome;
    try {
      result = await deliver(deps, context, job, attemptsMade, controller.signal);
    } catch (error) {
      result = failureOf(error, job, attemptsMade, deps);
    }
    if ('sent' in result) await settleJob(result.work, result.sent);
    else await deadLetter({ deps, job }, result);
  } catch (error) {
    // JOB_LEASE_LOST: someone else settles it. Anything else: the lease runs out and the job is retried.
    deps.onError?.(error);
  } finally {
    keeper.stop();
    signal?.removeEventListener('abort', onAbort);
  }
}

interface Delivery {
  work: JobWork;
  sent: SendOutcome;
}

/** Renders and sends the batch; a JobOutcome instead when it must be dead-lettered without sending. */
async function deliver(deps: RunDeps, context: RunContext | Error, job: ClaimedJob, attemptsMade: number, signal: AbortSignal): Promise<Delivery | JobOutcome> {
  if (context instanceof Error) throw context;
  const { plan } = context;
  if (attemptsMade >= plan.policy.maxAttempts) return exhausted(job, attemptsMade, plan.policy.maxAttempts);
  const rendered = await renderDelivery(plan, job, context.source, deps);
  const sent = await sendBatch(plan, rendered, { runId: context.runId, pipelineId: context.pipelineId, attemptsMade, signal }, deps);
  return { work: { deps, job, plan, rendered }, sent };
}

/** Only for a job whose earlier claims died mid-request often enough to use up the attempts. */
function exhausted(job: ClaimedJob, attemptsMade: number, maxAttempts: number): JobOutcome {
  return {
    label: 'retries_exhausted',
    message: `This batch was claimed ${job.attempts} times and its attempts (${attemptsMade} of ${maxAttempts}) are used up, some by workers that stopped mid-request. Replay the dead letter to try again.`,
    details: { ...attemptBook(job, attemptsMade) },
  };
}

function failureOf(error: unknown, job: ClaimedJob, attemptsMade: number, deps: RunDeps): JobOutcome {
  const details = { ...attemptBook(job, attemptsMade) };
  if (isFerryError(error)) {
    // FerryError messages are written to be shown and stored: they never quote a secret.
    return { label: error.code.toLowerCase(), message: error.message, details: { ...details, code: error.code } };
  }
  deps.onError?.(error);
  // Anything else is a bug; its message might hold a URL with a key in it, so only its name is kept.
  return { label: 'internal_error', message: `An internal error (${error instanceof Error ? error.name : typeof error}) stopped this batch; see the background's console.`, details };
}
