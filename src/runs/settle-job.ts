/**
 * Records what sending a job came to, each case in one storage transaction:
 * - delivered: results processed and stored, then the job is done (`sent` += its records);
 * - a retry due later (backoff, Retry-After): the job waits in the queue until then;
 * - circuit open: `queue` waits for the breaker's retry time without spending an attempt, `useCache`
 *   serves a GET from the last good response, `fail` (or nothing cached) dead-letters the batch;
 * - failed for good (final outcome, attempts exhausted): the batch goes to the dead-letter list with
 *   its original Idempotency-Key (`failed` += its records);
 * - aborted: given back, due at once.
 */
import { inferRecordLayout, recordResults, type GraphQLAttempt, type HttpAttempt } from '../integrations';
import { circuitOpenError, type AttemptOutcome, type RetryStopReason } from '../resilience';
import type { ClaimedJob } from '../storage/job-queue';
import type { JobOutcome } from '../storage/rows';
import { attemptBook } from './job-attempts';
import type { DeliveryPlan } from './delivery-plan';
import type { RenderedDelivery } from './render-delivery';
import type { SendOutcome } from './send-batch';
import { settlePartially } from './settle-partial';
import { storeResult } from './store-results';
import type { RunDeps } from './types';

export interface JobWork {
  deps: RunDeps;
  job: ClaimedJob;
  plan: DeliveryPlan;
  rendered: RenderedDelivery;
}

const DEFAULT_CACHE_TTL_MS = 60 * 60_000;

export async function settleJob(work: JobWork, sent: SendOutcome): Promise<void> {
  const { deps, job, plan, rendered } = work;
  const { jobs } = deps.repos;
  const book = attemptBook(job, sent.attempts);
  const retried = sent.retries;
  switch (sent.kind) {
    case 'delivered':
      return plan.kind === 'graphql' ? settleGraphql(work, sent.response as GraphQLAttempt, book, retried) : settleHttp(work, sent.response as HttpAttempt, book, retried);
    case 'retryLater':
      return jobs.retryAt(job, sent.at, outcomeOf(sent.outcome, book), { counts: { retried } });
    case 'aborted':
      return jobs.retryAt(job, (deps.now ?? Date.now)(), { label: 'aborted', message: 'Stopped before this batch settled; it will be sent again with the same Idempotency-Key.', details: { ...book } }, { counts: { retried } });
    case 'circuitOpen': {
      const open: JobOutcome = { label: 'circuit_open', message: circuitOpenError(sent.refusal).message, details: { ...book, retryAt: sent.refusal.retryAt } };
      // Refused only because another lane's half-open probe is in flight: the host may be fine, so
      // wait for the probe's verdict whatever the fallback (failing these would be a false failure).
      if (plan.fallback === 'queue' || sent.refusal.state === 'halfOpen') return jobs.retryAt(job, sent.refusal.retryAt, open, { counts: { retried } });
      if (plan.fallback === 'useCache' && rendered.cacheKey && (await serveFromCache(work, rendered.cacheKey, book, retried))) return;
      return deadLetter(work, open, retried);
    }
    case 'failed':
      return deadLetter(work, { ...outcomeOf(sent.outcome, book), message: failureMessage(rendered, sent.outcome, sent.stoppedBecause, sent.attempts) }, retried);
  }
}

export function deadLetter(work: Pick<JobWork, 'deps' | 'job'>, outcome: JobOutcome, retried = 0): Promise<void> {
  return work.deps.repos.deadLetters.add(work.job, outcome, { counts: { failed: work.job.records.length, retried } }).then(() => undefined);
}

async function settleHttp(work: JobWork, response: HttpAttempt, book: ReturnType<typeof attemptBook>, retried: number): Promise<void> {
  const { deps, job, plan, rendered } = work;
  const problems = await storeResult(plan, response.body, deps);
  if (rendered.cacheKey) {
    const cached = { key: rendered.cacheKey, url: `${rendered.target.host}${rendered.target.path}`, status: response.status, headers: response.headers, body: JSON.stringify(response.body ?? null) };
    try {
      await deps.repos.responseCache.put(cached, deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS);
    } catch (error) {
      // A cache that cannot be written (quota) must not turn a delivered batch into a re-send.
      problems.push(`the response was not cached: ${error instanceof Error ? error.name : 'unknown error'}`);
    }
  }
  const details = { ...book, ...(problems.length > 0 ? { resultProblems: problems } : {}) };
  await deps.repos.jobs.markDone(job, { outcome: { label: 'success', httpStatus: response.status, details }, counts: { sent: job.records.length, retried } });
}

/** The breaker's useCache fallback for a GET: the last good response stands in for a fresh one. */
async function serveFromCache(work: JobWork, cacheKey: string, book: ReturnType<typeof attemptBook>, retried: number): Promise<boolean> {
  const { deps, job, plan } = work;
  const hit = await deps.repos.responseCache.getStale(cacheKey);
  if (!hit || typeof hit.entry.body !== 'string') return false;
  const problems = await storeResult(plan, JSON.parse(hit.entry.body) as unknown, deps);
  const details = { ...book, cachedAt: hit.entry.storedAt, fresh: hit.fresh, ...(problems.length > 0 ? { resultProblems: problems } : {}) };
  await deps.repos.jobs.markDone(job, { outcome: { label: 'served_from_cache', httpStatus: hit.entry.status, details }, counts: { sent: job.records.length, retried } });
  return true;
}

/**
 * Per-record results of a GraphQL batch: the records that went through are processed and counted
 * sent; failed ones are dead-lettered with their reasons (the whole job when all failed, else a
 * letter of their own: see settle-partial.ts). GraphQL errors inside a 200 are final: retrying the
 * same input would fail the same way.
 */
async function settleGraphql(work: JobWork, response: GraphQLAttempt, book: ReturnType<typeof attemptBook>, retried: number): Promise<void> {
  const { deps, job, plan } = work;
  if (plan.kind !== 'graphql') return;
  const count = job.records.length;
  const results = recordResults(response, count, inferRecordLayout(plan.step.graphqlConfig.query, count), plan.operation.payloadErrorsField ? { payloadErrorsField: plan.operation.payloadErrorsField } : {});
  const problems: string[] = [];
  for (const result of results) if (result.ok) problems.push(...(await storeResult(plan, result.data, deps)));
  const failed = results.filter((r) => !r.ok);
  const done: JobOutcome = { label: 'success', httpStatus: response.status, details: { ...book, ...(problems.length > 0 ? { resultProblems: problems } : {}) } };
  if (failed.length === 0) return deps.repos.jobs.markDone(job, { outcome: done, counts: { sent: count, retried } });
  const reasons = failed.map((r) => ({ index: r.index, reason: r.ok ? '' : r.reason }));
  const failedOutcome: JobOutcome = {
    label: 'graphql_error', httpStatus: response.status,
    message: reasons.map((r) => `record ${r.index}: ${r.reason}`).join('; '),
    details: { ...book, records: reasons },
  };
  if (failed.length === count) return deadLetter(work, failedOutcome, retried);
  return settlePartially(deps.repos.db, deps.now ?? Date.now, job, {
    doneOutcome: done,
    failedRecords: failed.map((r) => job.records[r.index]),
    failedOutcome: { ...failedOutcome, details: { ...failedOutcome.details, records: reasons.map((r, i) => ({ ...r, index: i, batchIndex: r.index })) } },
    counts: { sent: count - failed.length, failed: failed.length, retried },
  });
}

function outcomeOf(outcome: AttemptOutcome, book: ReturnType<typeof attemptBook>): JobOutcome {
  return { label: outcome.label, ...(outcome.status !== undefined ? { httpStatus: outcome.status } : {}), details: { ...book, ...(outcome.code ? { code: outcome.code } : {}) } };
}

function failureMessage(rendered: RenderedDelivery, outcome: AttemptOutcome, stopped: RetryStopReason, attempts: number): string {
  const { method, host, path } = rendered.target;
  const what = outcome.status !== undefined ? `answered ${outcome.status} (${outcome.label})` : `failed: ${outcome.label}`;
  const why =
    stopped === 'exhausted' ? `after ${attempts} attempt${attempts === 1 ? '' : 's'}, the most the retry policy allows`
    : stopped === 'not_idempotent' ? 'and was not retried: the request is not safe to repeat'
    : 'and is not retried (a final outcome)';
  return `${method} ${host}${path} ${what} ${why}. Replay the dead letter once the cause is fixed.`;
}
