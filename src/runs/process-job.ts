/**
 * One claimed job from render to settlement. The drive keeps its lease while it is rendered and
 * sent; losing it (another claimer took the job) or the drive's signal aborts the request in hand.
 * The returned promise is the job's settlement, which the lane does not wait for (settle-writer.ts).
 * A step with `pagination` reads its pages instead (read-pages.ts), storing each as it goes.
 *
 * Errors that are not delivery outcomes are final for the batch and dead-letter it with their
 * message: a template that cannot render for it, a missing credential, a request that cannot be
 * built, a response that is not GraphQL. Retrying would fail the same way; a replay after the fix
 * sends it with its original key. Two are not about the batch and only postpone it: a locked vault
 * (it waits for the user to unlock it) and a storage error while reading credentials. A failure while
 * settling (storage) is different again: the request may have gone through, so the job is left to
 * its lease, and sent again with the same key after it.
 */
import { FerryError, isFerryError } from '../errors/ferry-error';
import type { NewAuditEntry } from '../storage/audit';
import type { ClaimedJob } from '../storage/job-queue';
import type { JobOutcome } from '../storage/rows';
import type { HeldLeases } from './held-leases';
import { attemptBook, attemptsBefore } from './job-attempts';
import { isPaginatedRead, readPages } from './read-pages';
import { renderDelivery } from './render-delivery';
import type { RunContext } from './run-context';
import { sendBatch, type SendOutcome } from './send-batch';
import { deadLetter, settleJob, type JobWork } from './settle-job';
import type { SettleWriter } from './settle-writer';
import type { RunDeps } from './types';

/**
 * Errors that say nothing about the batch: it waits this long and is tried again, its attempts
 * untouched. OAUTH_REFRESH_UNAVAILABLE: the token endpoint is down or busy while the token expired.
 */
const POSTPONING_CODES = new Set(['VAULT_LOCKED', 'STORAGE_OPEN_FAILED', 'OAUTH_REFRESH_UNAVAILABLE']);
/** IndexedDB failures (as Dexie names them) that come and go: a closed connection, a busy or full disk. */
const TRANSIENT_STORAGE_ERRORS = new Set(['DatabaseClosedError', 'OpenFailedError', 'TransactionInactiveError', 'UnknownError', 'AbortError', 'TimeoutError', 'QuotaExceededError']);
export const POSTPONE_MS = 60_000;

export interface JobLane {
  held: HeldLeases;
  writer: SettleWriter;
  signal?: AbortSignal;
}

/** Sends the job; resolves to its settlement in progress once the request is done with. */
export async function processJob(deps: RunDeps, context: RunContext | Error, job: ClaimedJob, lane: JobLane): Promise<{ settled: Promise<void> }> {
  const { signal, held, writer } = lane;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  held.watch(job, () => controller.abort(new FerryError('JOB_LEASE_LOST', `The lease on job ${job.id} was lost; another worker has it now.`, { jobId: job.id })));
  const audit: NewAuditEntry[] = [];
  try {
    const attemptsMade = attemptsBefore(job);
    let result: Delivery | JobOutcome | Postponed | Settled;
    try {
      result = await deliver(deps, context, job, { attemptsMade, signal: controller.signal, audit, writer });
    } catch (error) {
      result = failureOf(error, job, attemptsMade, deps);
    }
    const settled =
      'settled' in result ? result.settled
      : 'sent' in result ? settleJob(result.work, result.sent)
      : 'postponeUntil' in result ? writer.submit({ job: { job, to: { status: 'pending', at: result.postponeUntil, outcome: result.outcome } }, audit })
      : deadLetter({ deps, job, audit, writer }, result);
    return { settled };
  } finally {
    // Handed over: the settlement commits long before a lease could run out.
    held.drop(job);
    signal?.removeEventListener('abort', onAbort);
  }
}

interface Delivery {
  work: JobWork;
  sent: SendOutcome;
}

interface Postponed {
  postponeUntil: number;
  outcome: JobOutcome;
}

/** A paginated read that settled the job itself (read-pages.ts). */
interface Settled {
  settled: Promise<void>;
}

/**
 * Renders and sends the batch, or reads its pages when the step paginates; a JobOutcome instead when
 * it must be dead-lettered without sending.
 */
async function deliver(deps: RunDeps, context: RunContext | Error, job: ClaimedJob, run: { attemptsMade: number; signal: AbortSignal; audit: NewAuditEntry[]; writer: SettleWriter }): Promise<Delivery | JobOutcome | Settled> {
  if (context instanceof Error) throw context;
  const { plan } = context;
  if (run.attemptsMade >= plan.policy.maxAttempts) return exhausted(job, run.attemptsMade, plan.policy.maxAttempts);
  const rendered = await renderDelivery(plan, job, context.source, deps);
  if (isPaginatedRead(plan)) return readPages(deps, context, job, rendered, run);
  const sent = await sendBatch(plan, rendered, { runId: context.runId, pipelineId: context.pipelineId, attemptsMade: run.attemptsMade, signal: run.signal, audit: run.audit }, deps);
  return { work: { deps, job, plan, rendered, audit: run.audit, writer: run.writer }, sent };
}

/** Only for a job whose earlier claims died mid-request often enough to use up the attempts. */
function exhausted(job: ClaimedJob, attemptsMade: number, maxAttempts: number): JobOutcome {
  return {
    label: 'retries_exhausted',
    message: `This batch was claimed ${job.attempts} times and its attempts (${attemptsMade} of ${maxAttempts}) are used up, some by workers that stopped mid-request. Replay the dead letter to try again.`,
    details: { ...attemptBook(job, attemptsMade), ...readOf(job) },
  };
}

function failureOf(error: unknown, job: ClaimedJob, attemptsMade: number, deps: RunDeps): JobOutcome | Postponed {
  const details = { ...attemptBook(job, attemptsMade), ...readOf(job) };
  if (isFerryError(error)) {
    // FerryError messages are written to be shown and stored: they never quote a secret.
    const outcome = { label: error.code.toLowerCase(), message: error.message, details: { ...details, code: error.code } };
    if (POSTPONING_CODES.has(error.code)) return { postponeUntil: (deps.now ?? Date.now)() + POSTPONE_MS, outcome };
    return outcome;
  }
  deps.onError?.(error);
  const name = error instanceof Error ? error.name : typeof error;
  if (TRANSIENT_STORAGE_ERRORS.has(name)) {
    return { postponeUntil: (deps.now ?? Date.now)() + POSTPONE_MS, outcome: { label: 'storage_unavailable', message: `Ferry's storage failed (${name}) while preparing this batch; it will be tried again.`, details } };
  }
  // Anything else is a bug; its message might hold a URL with a key in it, so only its name is kept.
  return { label: 'internal_error', message: `An internal error (${name}) stopped this batch; see the background's console.`, details };
}

/** A paginated read's progress as it was claimed, so a dead letter says how far the read got. */
function readOf(job: ClaimedJob): { read?: ClaimedJob['checkpoint'] } {
  return job.checkpoint ? { read: job.checkpoint } : {};
}
