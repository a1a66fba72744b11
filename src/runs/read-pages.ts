/**
 * A paginated read: the delivery step's http node has `pagination`. For one job (a record or a batch,
 * rendered as any delivery, Idempotency-Key included) the rendered request is page 1, and the HTTP
 * integration's paginate() derives the pages after it until the step's complete-when rule or the
 * natural end (no next link, no cursor, an empty page).
 *
 * - Each page is sent by sendBatch exactly as a delivery is: the step's retry policy, the host's
 *   circuit breaker, one audit entry per attempt (page-request.ts builds its request). The retry
 *   budget is per page and, like a job's, continues across claims (job-attempts.ts): every stored
 *   page resets it, so a long read is not failed by a few retries spread over many pages.
 * - Each page read is stored before the next one is requested (save-page.ts): its results, its audit
 *   entries and the job's checkpoint, in one transaction. A job claimed again (a retry later, a
 *   worker that stopped) continues from its checkpoint and never reads a stored page again.
 * - Results: resultProcessing runs once per ITEM (the values at the pagination's `itemsPath`), each
 *   stored under its own rendered key: a key such as `api_results_{{id}}` names one record, and a page
 *   is only how the server happened to split them. With no `itemsPath` the page's body is its one
 *   item. A key that renders alike for two items keeps the later one.
 * - A page that is not delivered settles the job as a delivery's failure would (settle-job.ts) with
 *   the read's progress in the outcome's `details.read`: a retry due later or an open circuit puts it
 *   back to pending, checkpoint kept; a final failure dead-letters it. A breaker's `useCache` acts as
 *   `queue` here: pages are not cached, the checkpoint is what survives.
 * - A read that fails on its own terms (PAGINATION_LOOP, INVALID_NEXT_LINK, PAGINATION_OFF_ORIGIN,
 *   PAGINATION_CHECKPOINT_HAS_CREDENTIAL, PAGINATION_TOO_MANY_PAGES) is final: dead-lettered, with
 *   the pages read so far stored.
 * - Counts: `sent` adds the job's input records when its read completes (the unit of `extracted`
 *   and `failed`, so a run's verdict reads the same as for a write); `retried` adds each page's
 *   retries as the page is stored. Pages and items are in the checkpoint and the done outcome.
 * - A claim reads for at most `readSliceMs`, then gives the job back due at once, checkpoint saved;
 *   a drive whose signal aborts does the same between pages.
 */
import { FerryError, isFerryError } from '../errors/ferry-error';
import { paginate, type HttpAttempt, type PageCheckpoint, type SendAttempt } from '../integrations';
import type { NewAuditEntry } from '../storage/audit';
import type { CheckpointTo, ClaimedJob } from '../storage/job-queue';
import type { JobCheckpoint, JobOutcome } from '../storage/rows';
import type { DeliveryPlan } from './delivery-plan';
import { attemptBook } from './job-attempts';
import { pageRequest } from './page-request';
import type { RenderedDelivery } from './render-delivery';
import type { RunContext } from './run-context';
import { savePage } from './save-page';
import { sendBatch, type SendOutcome } from './send-batch';
import type { JobWork } from './settle-job';
import type { SettleWriter } from './settle-writer';
import { processAllDelivered, resultScope } from './store-results';
import type { RunDeps } from './types';

/** The guard against a read that never ends, when the step sets no `completeWhen.maxPages` of its own. */
export const DEFAULT_MAX_PAGES = 1_000;
export const DEFAULT_READ_SLICE_MS = 20_000;
/** resultProcessing problems kept for a read's outcome: enough to see what is wrong. */
const MAX_PROBLEMS = 20;

export interface ReadLane {
  /** Attempts already made at the page the job stands at (job-attempts.ts). */
  attemptsMade: number;
  signal: AbortSignal;
  /** The requests of the page in hand; emptied as each page is stored. */
  audit: NewAuditEntry[];
  writer: SettleWriter;
}

/**
 * What the read came to: a page that was not delivered, for settleJob; a final failure, to
 * dead-letter; or the job already settled (done, or given back between pages).
 */
export type ReadResult = { work: JobWork; sent: SendOutcome } | JobOutcome | { settled: Promise<void> };

export function isPaginatedRead(plan: DeliveryPlan): boolean {
  return plan.kind === 'http' && plan.step.http.pagination !== undefined;
}

class PageNotDelivered extends Error {
  constructor(readonly page: RenderedDelivery, readonly sent: SendOutcome) {
    super(sent.kind);
  }
}

export async function readPages(deps: RunDeps, context: RunContext, job: ClaimedJob, first: RenderedDelivery, lane: ReadLane): Promise<ReadResult> {
  const { plan } = context;
  const pagination = plan.kind === 'http' ? plan.step.http.pagination : undefined;
  if (!pagination || !first.request) throw new Error('readPages: not a paginated http step');
  const where = `${plan.location}.pagination`;
  const limit = pagination.completeWhen?.maxPages === undefined ? (deps.maxPages ?? DEFAULT_MAX_PAGES) : undefined;
  const sliceEnds = performance.now() + (deps.readSliceMs ?? DEFAULT_READ_SLICE_MS);
  const now = deps.now ?? Date.now;
  let progress: JobCheckpoint = job.checkpoint ?? { next: null, pages: 0, items: 0 };
  /** Attempts made at the page in hand, earlier claims included. */
  let made = lane.attemptsMade;
  let delivered: SendOutcome | undefined;
  const final = (error: FerryError): JobOutcome => ({ label: error.code.toLowerCase(), message: error.message, details: { ...attemptBook(job, made), code: error.code, read: progress } });

  if (limit !== undefined && progress.next && progress.pages >= limit) return final(tooManyPages(where, limit));
  const send: SendAttempt = async (node) => {
    const page = pageRequest(first, node, progress.pages, deps);
    const sent = await sendBatch(plan, page, { runId: context.runId, pipelineId: context.pipelineId, attemptsMade: made, signal: lane.signal, audit: lane.audit }, deps);
    made = sent.attempts;
    if (sent.kind !== 'delivered') throw new PageNotDelivered(page, sent);
    delivered = sent;
    return sent.response as HttpAttempt;
  };

  try {
    const pages = paginate({ request: first.request, pagination, ...(progress.next ? { from: progress.next } : {}), send, isSuccess: () => true, signal: lane.signal });
    for await (const page of pages) {
      const sent = delivered!;
      const processed = processAllDelivered(plan, page.items, resultScope(plan, deps));
      refuseCredential(page.checkpoint, first.scrub, where);
      progress = withProblems({ next: page.checkpoint, pages: page.index + 1, items: progress.items + page.items.length, ...(progress.resultProblems ? { resultProblems: progress.resultProblems } : {}) }, processed.problems);
      const last = page.checkpoint === null;
      const pause = !last && (lane.signal.aborted || performance.now() >= sliceEnds);
      const counts = { retried: sent.retries, ...(last ? { sent: job.records.length } : {}) };
      const target = (read: JobCheckpoint): CheckpointTo => {
        if (last) return { status: 'done', outcome: { label: 'success', httpStatus: page.attempt.status, details: { ...attemptBook(job, sent.attempts), ...totals(read) } } };
        const book = attemptBook(job, 0); // the next page has made no attempt yet
        // Still reading: this claim is not settled, so if its worker dies on the next page, the next
        // claim counts it as one attempt at that page (job-attempts.ts), as for any claim that died.
        if (!pause) return { status: 'inFlight', outcome: { label: 'reading', details: { ...book, claims: job.attempts - 1, read } } };
        const why = lane.signal.aborted ? 'the worker is stopping' : 'this claim used its time, so other jobs get a turn';
        return { status: 'pending', at: now(), outcome: { label: 'read_paused', message: `Paused after page ${read.pages} (${why}); the read continues from page ${read.pages + 1}.`, details: { ...book, read } } };
      };
      try {
        await savePage(deps.repos, { job, checkpoint: progress, to: target(progress), counts, audit: [...lane.audit], results: processed.results });
      } catch (error) {
        if (isFerryError(error, 'JOB_LEASE_LOST') || processed.results.length === 0) throw error;
        // As the settle writer does: results that cannot be stored (quota) are noted and the page saved
        // without them, rather than read again and again.
        progress = withProblems(progress, [`page ${progress.pages}: ${processed.results.length} results were not stored (${error instanceof Error ? error.name : 'unknown error'})`]);
        await savePage(deps.repos, { job, checkpoint: progress, to: target(progress), counts, audit: [...lane.audit], results: [] });
      }
      lane.audit.length = 0;
      made = 0;
      if (last || pause) return { settled: Promise.resolve() };
      if (limit !== undefined && progress.pages >= limit) return final(tooManyPages(where, limit));
    }
    throw new Error('paginate ended without a last page');
  } catch (error) {
    if (error instanceof PageNotDelivered) {
      const readPlan: DeliveryPlan = plan.fallback === 'useCache' ? { ...plan, fallback: 'queue' } : plan;
      return { work: { deps, job, plan: readPlan, rendered: error.page, audit: lane.audit, writer: lane.writer, details: { read: progress } }, sent: error.sent };
    }
    // A lost claim stores nothing more: whoever holds the job now reads on from the checkpoint.
    if (isFerryError(error, 'JOB_LEASE_LOST')) return { settled: Promise.reject(error) };
    if (isFerryError(error)) return final(error);
    throw error;
  }
}

function tooManyPages(where: string, limit: number): FerryError {
  return new FerryError(
    'PAGINATION_TOO_MANY_PAGES',
    `${where}: read ${limit} pages and the server still points at a next one; Ferry stops there rather than read forever. If the resource really has more pages, set ${where}.completeWhen.maxPages to the most pages to read (the read then completes there); otherwise check the complete-when rules. The pages read so far are stored.`,
    { limit, location: `${where}.completeWhen.maxPages` },
  );
}

/**
 * A checkpoint is stored and shown (a dead letter's outcome), so a next link or cursor that carries
 * one of the step's credentials (a server echoing a token passed in `query`) is refused, not stored.
 */
function refuseCredential(next: PageCheckpoint | null, scrub: (text: string) => string, where: string): void {
  if (!next) return;
  const value = 'nextUrl' in next ? next.nextUrl : 'cursor' in next ? next.cursor : undefined;
  if (value === undefined || scrub(value) === value) return;
  throw new FerryError(
    'PAGINATION_CHECKPOINT_HAS_CREDENTIAL',
    `${where}: the server's ${'nextUrl' in next ? 'next-page link' : 'cursor'} after page ${next.pages} contains one of the step's credentials, and Ferry stores where a read stands but never a credential. Pass the key as "auth": {"type": "apiKey", "in": "query", ...} (it is taken out of stored links and added to each page) or in a header. The pages stored before it stay stored.`,
    { page: next.pages },
  );
}

function withProblems(read: JobCheckpoint, problems: readonly string[]): JobCheckpoint {
  if (problems.length === 0) return read;
  return { ...read, resultProblems: [...(read.resultProblems ?? []), ...problems].slice(0, MAX_PROBLEMS) };
}

/** What a finished read's outcome says about it. */
function totals(read: JobCheckpoint): Record<string, unknown> {
  return { pages: read.pages, items: read.items, ...(read.resultProblems ? { resultProblems: read.resultProblems } : {}) };
}
