/**
 * Records what sending a job came to, each case in one storage transaction (shared with other jobs'
 * settlements through the settle writer, see settle-writer.ts):
 * - delivered: results processed and stored, then the job is done (`sent` += its records);
 * - a retry due later (backoff, Retry-After): the job waits in the queue until then;
 * - circuit open: `queue` waits for the breaker's retry time without spending an attempt, `useCache`
 *   serves a GET from the last good response, `fail` (or nothing cached) dead-letters the batch;
 * - failed for good (final outcome, attempts exhausted): the batch goes to the dead-letter list with
 *   its original Idempotency-Key (`failed` += its records);
 * - aborted: given back, due at once.
 */
import { inferRecordLayout, isHostAttempt, recordResults, type GraphQLAttempt, type HostAttempt, type HttpAttempt } from '../integrations';
import { pgRoleWarning, type PgRoleWarning } from '../protocol/db-methods';
import { circuitOpenError, type AttemptOutcome, type RetryStopReason } from '../resilience';
import type { ClaimedJob } from '../storage/job-queue';
import type { JobOutcome } from '../storage/rows';
import type { NewAuditEntry } from '../storage/audit';
import type { SettleTo } from '../storage/job-queue';
import type { RunCountsDelta } from '../storage/run-counts';
import { attemptBook, type AttemptBook } from './job-attempts';
import type { DeliveryPlan } from './delivery-plan';
import type { RenderedDelivery } from './render-delivery';
import type { SendOutcome } from './send-batch';
import { settlePartially } from './settle-partial';
import { recordLabel } from './record-label';
import { processAllDelivered, processDelivered, resultScope, type ResultScope } from './store-results';
import type { Settlement, SettleWriter } from './settle-writer';
import type { RunDeps } from './types';

export interface JobWork {
  deps: RunDeps;
  job: ClaimedJob;
  plan: DeliveryPlan;
  rendered: RenderedDelivery;
  /** The audit entries of the job's requests, committed with its settlement. */
  audit: readonly NewAuditEntry[];
  writer: SettleWriter;
  /** Added to every outcome's details (a paginated read's progress, read-pages.ts). */
  details?: Record<string, unknown>;
}

const DEFAULT_CACHE_TTL_MS = 60 * 60_000;

/** Resolves once the job's settlement is committed. */
export async function settleJob(work: JobWork, sent: SendOutcome): Promise<void> {
  const { deps, job, plan, rendered } = work;
  const book = { ...attemptBook(job, sent.attempts), ...work.details };
  const retried = sent.retries;
  const retry = (at: number, outcome: JobOutcome) => submit(work, { status: 'pending', at, outcome }, { retried });
  switch (sent.kind) {
    case 'delivered':
      if (isHostAttempt(sent.response)) return settleHost(work, sent.response, book, retried);
      return plan.kind === 'graphql' ? settleGraphql(work, sent.response as GraphQLAttempt, book, retried) : settleHttp(work, sent.response as HttpAttempt, book, retried);
    case 'retryLater':
      return retry(sent.at, outcomeOf(sent.outcome, book, rendered.scrub));
    case 'aborted':
      return retry((deps.now ?? Date.now)(), { label: 'aborted', message: 'Stopped before this batch settled; it will be sent again with the same Idempotency-Key.', details: { ...book } });
    case 'circuitOpen': {
      const open: JobOutcome = { label: 'circuit_open', message: circuitOpenError(sent.refusal).message, details: { ...book, retryAt: sent.refusal.retryAt } };
      // Refused only because another lane's half-open probe is in flight: the host may be fine, so
      // wait for the probe's verdict whatever the fallback (failing these would be a false failure).
      if (plan.fallback === 'queue' || sent.refusal.state === 'halfOpen') return retry(sent.refusal.retryAt, open);
      if (plan.fallback === 'useCache' && rendered.cacheKey && (await serveFromCache(work, rendered.cacheKey, book, retried))) return;
      return deadLetter(work, open, retried);
    }
    case 'failed':
      return deadLetter(work, { ...outcomeOf(sent.outcome, book, rendered.scrub), message: failureMessage(rendered, sent.outcome, sent.stoppedBecause, sent.attempts) }, retried);
  }
}

/** Moves the job to the dead-letter list (its own transaction); the job's audit entries are written beside it. */
export async function deadLetter(work: Pick<JobWork, 'deps' | 'job' | 'audit' | 'writer'>, outcome: JobOutcome, retried = 0): Promise<void> {
  await Promise.all([
    work.deps.repos.deadLetters.add(work.job, outcome, { counts: { failed: work.job.records.length, retried } }),
    work.audit.length > 0 ? work.writer.submit({ audit: work.audit }) : undefined,
  ]);
}

function submit(work: JobWork, to: SettleTo, counts: RunCountsDelta, extras: Pick<Settlement, 'results' | 'cache'> = {}): Promise<void> {
  return work.writer.submit({ job: { job: work.job, to, counts }, audit: work.audit, ...extras });
}

function settleHttp(work: JobWork, response: HttpAttempt, book: AttemptBook, retried: number): Promise<void> {
  const { deps, job, plan, rendered } = work;
  const { results, problems } = processDelivered(plan, response.body, resultScopeOf(work));
  const cache = rendered.cacheKey
    ? { response: { key: rendered.cacheKey, url: `${rendered.target.host}${rendered.target.path}`, status: response.status, headers: response.headers, body: JSON.stringify(response.body ?? null) }, ttlMs: deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS }
    : undefined;
  const details = { ...book, ...(problems.length > 0 ? { resultProblems: problems } : {}) };
  return submit(work, { status: 'done', outcome: { label: 'success', httpStatus: response.status, details } }, { sent: job.records.length, retried }, { results, ...(cache ? { cache } : {}) });
}

/**
 * A host call's answer: its result goes through resultProcessing like a response body, and its
 * scalar facts (rows inserted, updated and ignored, the file written and its size) are kept on the
 * outcome, so a run's history says what landed where. A select's rows are not: they can be large,
 * and resultProcessing is how they are kept. A PostgreSQL role with rights beyond its tables (a
 * superuser, server files, programs) is the outcome's message, so the run's batches say so.
 */
function settleHost(work: JobWork, response: HostAttempt, book: AttemptBook, retried: number): Promise<void> {
  const { results, problems } = processDelivered(work.plan, response.body, resultScopeOf(work));
  const role = roleWarningOf(response.body);
  const details = { ...book, [response.method]: scalarFacts(response.body), ...(role ? { roleRisks: role.risks.join(', ') } : {}), ...(problems.length > 0 ? { resultProblems: problems } : {}) };
  const outcome: JobOutcome = { label: 'success', ...(role ? { message: work.rendered.scrub(role.message) } : {}), details };
  return submit(work, { status: 'done', outcome }, { sent: work.job.records.length, retried }, { results });
}

function roleWarningOf(body: unknown): PgRoleWarning | undefined {
  const warning = (body as { roleWarning?: unknown } | null)?.roleWarning;
  return pgRoleWarning.safeParse(warning).data;
}

function scalarFacts(body: unknown): Record<string, string | number | boolean> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof entry[1])));
}

/** The breaker's useCache fallback for a GET: the last good response stands in for a fresh one. */
async function serveFromCache(work: JobWork, cacheKey: string, book: AttemptBook, retried: number): Promise<boolean> {
  const { deps, job, plan } = work;
  const hit = await deps.repos.responseCache.getStale(cacheKey);
  if (!hit || typeof hit.entry.body !== 'string') return false;
  const { results, problems } = processDelivered(plan, JSON.parse(hit.entry.body) as unknown, resultScopeOf(work));
  const details = { ...book, cachedAt: hit.entry.storedAt, fresh: hit.fresh, ...(problems.length > 0 ? { resultProblems: problems } : {}) };
  await submit(work, { status: 'done', outcome: { label: 'served_from_cache', httpStatus: hit.entry.status, details } }, { sent: job.records.length, retried }, { results });
  return true;
}

/**
 * Per-record results of a GraphQL batch: the records that went through are processed and counted
 * sent; failed ones are dead-lettered with their reasons (the whole job when all failed, else a
 * letter of their own: see settle-partial.ts). GraphQL errors inside a 200 are final: retrying the
 * same input would fail the same way.
 */
async function settleGraphql(work: JobWork, response: GraphQLAttempt, book: AttemptBook, retried: number): Promise<void> {
  const { deps, job, plan } = work;
  if (plan.kind !== 'graphql') return;
  const count = job.records.length;
  const results = recordResults(response, count, inferRecordLayout(plan.step.graphqlConfig.query, count), plan.operation.payloadErrorsField ? { payloadErrorsField: plan.operation.payloadErrorsField } : {});
  const processed = processAllDelivered(plan, results.flatMap((r) => (r.ok ? [r.data] : [])), resultScopeOf(work));
  const failed = results.filter((r) => !r.ok);
  const done: JobOutcome = { label: 'success', httpStatus: response.status, details: { ...book, ...(processed.problems.length > 0 ? { resultProblems: processed.problems } : {}) } };
  if (failed.length === 0) return submit(work, { status: 'done', outcome: done }, { sent: count, retried }, { results: processed.results });
  // The server's error text may echo what it was sent, a token included.
  // `index` is the record's place in this request; `recordIndex` its place in the run, when known.
  const reasons = failed.map((r) => ({ index: r.index, ...(job.recordIndexes?.[r.index] !== undefined ? { recordIndex: job.recordIndexes[r.index] } : {}), reason: r.ok ? '' : work.rendered.scrub(r.reason) }));
  const failedOutcome: JobOutcome = {
    label: 'graphql_error', httpStatus: response.status,
    message: reasons.map((r) => `${recordLabel(job, r.index)}: ${r.reason}`).join('; '),
    details: { ...book, records: reasons },
  };
  if (failed.length === count) return deadLetter(work, failedOutcome, retried);
  await settlePartially(deps.repos.db, deps.now ?? Date.now, job, {
    doneOutcome: done,
    failedRecords: failed.map((r) => job.records[r.index]),
    ...(job.recordIndexes ? { failedRecordIndexes: failed.map((r) => job.recordIndexes![r.index]!) } : {}),
    failedOutcome: { ...failedOutcome, details: { ...failedOutcome.details, records: reasons.map((r, i) => ({ ...r, index: i, batchIndex: r.index })) } },
    counts: { sent: count - failed.length, failed: failed.length, retried },
  });
  await work.writer.submit({ audit: work.audit, results: processed.results });
}

function resultScopeOf({ deps, plan }: JobWork): ResultScope {
  return resultScope(plan, deps);
}

function outcomeOf(outcome: AttemptOutcome, book: AttemptBook, scrub: (text: string) => string): JobOutcome {
  return {
    label: outcome.label,
    ...(outcome.status !== undefined ? { httpStatus: outcome.status } : {}),
    ...(outcome.message !== undefined ? { message: scrub(outcome.message) } : {}),
    details: { ...book, ...(outcome.code ? { code: outcome.code } : {}) },
  };
}

function failureMessage(rendered: RenderedDelivery, outcome: AttemptOutcome, stopped: RetryStopReason, attempts: number): string {
  const { method, host, path } = rendered.target;
  const what = outcome.status !== undefined ? `answered ${outcome.status} (${outcome.label})` : `failed: ${outcome.label}`;
  const why =
    stopped === 'exhausted' ? `after ${attempts} attempt${attempts === 1 ? '' : 's'}, the most the retry policy allows`
    : stopped === 'not_idempotent' ? 'and was not retried: the request is not safe to repeat'
    : 'and is not retried (a final outcome)';
  // The host's own message says what to fix (the missing table, the folder outside the roots).
  const said = outcome.message ? ` (${rendered.scrub(outcome.message).replace(/\.$/, '')})` : '';
  return `${method} ${host}${path} ${what}${said} ${why}. Replay the dead letter once the cause is fixed.`;
}
