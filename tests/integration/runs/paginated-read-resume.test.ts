import 'fake-indexeddb/auto';
/**
 * A paginated read that is interrupted: a 429 or 500 mid-read, a read that fails for good and is
 * replayed, a drive that is stopped, a worker that dies holding the job. Each time the job continues
 * from its checkpoint, so the server sees every page after a stored one requested exactly once more
 * at most: the page that was interrupted, never one that was stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive, startRun } from '../../../src/runs';
import { sendJson, sleep } from '../../support/servers/respond';
import { paginationRoutes } from '../../support/servers/rest-pagination';
import { startRestServer, type RestServer, type RouteHandler } from '../../support/servers/rest-server';
import { driveUntilIdle, harness, type Harness } from './harness';
import { ids, readPipeline, requestsTo } from './read-pipeline';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer();
});
afterAll(() => server.close());

interface Scripted {
  status: number;
  headers?: Record<string, string>;
}

/** /pages/page (items in `results`, total_pages, is_last) with failures scripted per page number. */
function flakyPages(path: string, script: Record<number, Scripted[]>, storm?: { page: number; response: Scripted }): void {
  const pages: RouteHandler = (req, res, ctx) => {
    const page = Number(ctx.url.searchParams.get('page') ?? 1);
    const failure = storm?.page === page ? storm.response : script[page]?.shift();
    if (failure) return sendJson(res, failure.status, { error: `scripted ${failure.status}` }, failure.headers);
    return paginationRoutes['/pages/page']!(req, res, ctx);
  };
  server.route(path, pages);
}

const pageRead = (path: string, step: Record<string, unknown> = {}) => readPipeline(server.origin, path, { type: 'page', itemsPath: 'results', completeWhen: { totalPagesPath: 'total_pages' } }, step);
const pagesSeen = (path: string) => requestsTo(server, path).map((r) => Number(r.query.page?.[0]));

async function storedIds(h: Harness): Promise<number[]> {
  return (await h.repos.results.list('item_')).map((r) => (r.value as { id: number }).id).sort((a, b) => a - b);
}

describe('a paginated read that is interrupted', () => {
  it('429 with Retry-After on page 3: the job waits with its checkpoint, then continues from page 3; pages 1 and 2 are never read again', async () => {
    const h = await harness();
    flakyPages('/flaky/429', { 3: [{ status: 429, headers: { 'retry-after': '2' } }] });
    const runId = await startRun(h.deps, { pipeline: pageRead('/flaky/429'), records: [{ per: 2, total: 9 }] });
    const t0 = h.clock.now();

    expect(await drive(h.deps, { owner: 'w1' })).toEqual({ processed: 1, nextDueAt: t0 + 2_000 });
    const [waiting] = await h.repos.jobs.listByRun(runId);
    const read = { next: { page: 3, pages: 2 }, pages: 2, items: 4 };
    expect(waiting).toMatchObject({ status: 'pending', nextAttemptAt: t0 + 2_000, checkpoint: read, lastOutcome: { label: 'rate_limit_exceeded', httpStatus: 429, details: { attemptsMade: 1, read } } });
    expect(await storedIds(h)).toEqual([1, 2, 3, 4]); // pages 1 and 2 were stored before page 3 was asked for

    h.clock.set(t0 + 2_000);
    expect(await drive(h.deps, { owner: 'w2' })).toEqual({ processed: 1 });
    expect(pagesSeen('/flaky/429')).toEqual([1, 2, 3, 3, 4, 5]);
    expect(await storedIds(h)).toEqual(ids(9));
    expect((await h.repos.jobs.listByRun(runId))[0]).toMatchObject({ status: 'done', checkpoint: { next: null, pages: 5, items: 9 }, lastOutcome: { label: 'success', details: { attemptsMade: 1, pages: 5, items: 9 } } });
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1, retried: 1, failed: 0 } });
    const audit = await h.repos.audit.listByRun(runId);
    expect(audit.map((a) => [a.attempt, a.status])).toEqual([[1, 200], [1, 200], [1, 429], [2, 200], [1, 200], [1, 200]]);
  });

  it('500s on page 2 use that page\'s retries, not the read\'s: two failures, then page 2 and the rest, each stored page read once', async () => {
    const h = await harness();
    flakyPages('/flaky/500', { 2: [{ status: 500 }, { status: 503 }] });
    const runId = await startRun(h.deps, { pipeline: pageRead('/flaky/500'), records: [{ per: 3, total: 9 }] });
    await driveUntilIdle(h);
    expect(pagesSeen('/flaky/500')).toEqual([1, 2, 2, 2, 3]);
    expect(await storedIds(h)).toEqual(ids(9));
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1, retried: 2 } });
  });

  it('a page that fails for good dead-letters the job with its checkpoint; a replay reads again from page 1', async () => {
    const h = await harness();
    const storm = { page: 2, response: { status: 500 } };
    flakyPages('/flaky/storm', {}, storm);
    const runId = await startRun(h.deps, { pipeline: pageRead('/flaky/storm'), records: [{ per: 3, total: 9 }] });
    await driveUntilIdle(h);

    expect(pagesSeen('/flaky/storm')).toEqual([1, 2, 2, 2]); // maxAttempts 3 for page 2; page 1 read once
    const [letter] = await h.repos.deadLetters.list({ runId });
    expect(letter).toMatchObject({ idempotencyKey: `${runId}:0`, records: [{ per: 3, total: 9 }] });
    expect(letter!.lastOutcome).toMatchObject({ label: 'server_error', httpStatus: 500, details: { attemptsMade: 3, read: { next: { page: 2, pages: 1 }, pages: 1, items: 3 } } });
    expect(letter!.lastOutcome.message).toMatch(/answered 500 \(server_error\) after 3 attempts/);
    expect(await storedIds(h)).toEqual([1, 2, 3]);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'failed', counts: { sent: 0, failed: 1 }, error: { code: 'RUN_NOTHING_DELIVERED' } });

    storm.page = 0;
    const service = h.service('worker-2');
    expect(await service.replayDeadLetters({ runId })).toEqual({ replayed: 1 });
    await service.drive();
    // A cursor or a next link may have expired by the time of a replay: it starts over, and the
    // results of the pages read again replace their own keys.
    expect(pagesSeen('/flaky/storm').slice(4)).toEqual([1, 2, 3]);
    expect(await storedIds(h)).toEqual(ids(9));
    expect(await service.getRun(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1, failed: 1 }, deadLetters: 0 });
  });

  it('a drive stopped mid-read gives the job back with its stored cursor, and the next worker continues from it', async () => {
    const h = await harness();
    const controller = new AbortController();
    const encoded = (page: number) => Buffer.from(String(page)).toString('base64url');
    let hang = true;
    server.route('/stopping/cursor', async (req, res, ctx) => {
      if (hang && ctx.url.searchParams.get('cursor') === encoded(3)) {
        controller.abort(); // the worker is told to stop while page 3 is in flight
        await sleep(10_000, req); // ends when the client gives up the request
        return;
      }
      return paginationRoutes['/pages/cursor']!(req, res, ctx);
    });
    const runId = await startRun(h.deps, { pipeline: readPipeline(server.origin, '/stopping/cursor', { type: 'cursor', cursorPath: 'meta.next_cursor', itemsPath: 'items' }), records: [{ per: 2, total: 7 }] });
    const t0 = h.clock.now();

    expect(await drive(h.deps, { owner: 'w1', signal: controller.signal })).toEqual({ processed: 1, nextDueAt: t0 });
    const [stopped] = await h.repos.jobs.listByRun(runId);
    expect(stopped).toMatchObject({ status: 'pending', checkpoint: { next: { cursor: encoded(3), pages: 2 }, pages: 2, items: 4 }, lastOutcome: { label: 'aborted' } });
    expect(await storedIds(h)).toEqual([1, 2, 3, 4]);

    hang = false;
    expect(await drive(h.deps, { owner: 'w2' })).toEqual({ processed: 1 });
    expect(requestsTo(server, '/stopping/cursor').map((r) => r.query.cursor?.[0] ?? null)).toEqual([null, encoded(2), encoded(3), encoded(3), encoded(4)]);
    expect(await storedIds(h)).toEqual(ids(7));
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1 } });
  });

  it('a worker that dies holding the job: once its lease expires another owner continues from the stored checkpoint; the dead one stores nothing after', async () => {
    const h = await harness();
    let releaseDead: () => void = () => undefined;
    const deadRequestArrived = new Promise<void>((arrived) => {
      let first = true;
      server.route('/dying/page', async (req, res, ctx) => {
        if (first && ctx.url.searchParams.get('page') === '3') {
          first = false;
          arrived();
          // The first worker's request for page 3 is answered only after the next worker finished.
          await new Promise<void>((resume) => (releaseDead = resume));
        }
        return paginationRoutes['/pages/page']!(req, res, ctx);
      });
    });
    const runId = await startRun(h.deps, { pipeline: pageRead('/dying/page'), records: [{ per: 2, total: 9 }] });

    const dead = drive(h.deps, { owner: 'worker-that-died' });
    try {
      await deadRequestArrived;
      await resumeAfterDeath(h, runId);
    } finally {
      releaseDead();
      await dead;
    }
    expect(h.errors).toEqual([expect.objectContaining({ code: 'JOB_LEASE_LOST' })]);
    const [after] = await h.repos.jobs.listByRun(runId);
    expect(after).toMatchObject({ status: 'done', checkpoint: { next: null, pages: 5 } });
    expect(after!.leaseOwner).toBeUndefined();
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1 } });
    // Its page 3 request was made, so it is audited (last, when it was answered); nothing else of it was kept.
    const audit = await h.repos.audit.listByRun(runId);
    expect(audit.map((a) => a.attempt)).toEqual([1, 1, 2, 1, 1, 1]);
  });
});

/** The next owner, once the dead worker's lease is over: it continues from page 3. */
async function resumeAfterDeath(h: Harness, runId: string): Promise<void> {
  const [held] = await h.repos.jobs.listByRun(runId);
  expect(held).toMatchObject({ status: 'inFlight', leaseOwner: 'worker-that-died', checkpoint: { next: { page: 3, pages: 2 }, pages: 2, items: 4 } });

  h.clock.set(held!.leaseUntil!);
  expect(await drive(h.deps, { owner: 'worker-2' })).toEqual({ processed: 1 });
  expect(pagesSeen('/dying/page')).toEqual([1, 2, 3, 3, 4, 5]);
  expect(await storedIds(h)).toEqual(ids(9));
  expect((await h.repos.jobs.listByRun(runId))[0]).toMatchObject({ status: 'done', attempts: 2, lastOutcome: { details: { claims: 2, pages: 5, items: 9 } } });
  // The dead claim counted as one attempt at page 3: the next owner's request for it was attempt 2.
  expect((await h.repos.audit.listByRun(runId)).map((a) => a.attempt)).toEqual([1, 1, 2, 1, 1]);
}
