import 'fake-indexeddb/auto';
/**
 * Paginated reads in a durable run against a real local server: every kind of pagination and every
 * complete-when rule, each page stored (its items' results, its audit entries, the job's checkpoint)
 * before the next is requested, the maxPages guard, and a next link that would leak a credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive, startRun } from '../../../src/runs';
import { startRestServer, type RestServer } from '../../support/servers/rest-server';
import { API_TOKEN, driveUntilIdle, harness, type Harness } from './harness';
import { ids, readPipeline, requestsTo } from './read-pipeline';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer();
});
afterAll(() => server.close());

async function storedIds(h: Harness): Promise<number[]> {
  return (await h.repos.results.list('item_')).map((r) => (r.value as { id: number }).id).sort((a, b) => a - b);
}

describe('a paginated read', () => {
  it('follows the Link header rel="next": each page once, every item stored under its own key, each page its own Idempotency-Key', async () => {
    const h = await harness();
    const start = server.requests.length;
    const runId = await startRun(h.deps, { pipeline: readPipeline(server.origin, '/pages/link', { type: 'nextLink', itemsPath: 'items' }), records: [{ per: 3, total: 7 }] });
    await driveUntilIdle(h);

    const seen = requestsTo(server, '/pages/link', start);
    expect(seen.map((r) => r.query.page?.[0] ?? null)).toEqual([null, '2', '3']);
    expect(seen.map((r) => r.headers['idempotency-key'])).toEqual([`${runId}:0`, `${runId}:0:page-2`, `${runId}:0:page-3`]);
    // A next link is complete on its own; the step's headers (and credentials) still go with every page.
    expect(seen.every((r) => r.headers.authorization === `Bearer ${API_TOKEN}`)).toBe(true);
    expect(await storedIds(h)).toEqual(ids(7));
    expect(await h.repos.results.get('item_4')).toMatchObject({ value: { id: 4 } });

    const [job] = await h.repos.jobs.listByRun(runId);
    expect(job).toMatchObject({ status: 'done', checkpoint: { next: null, pages: 3, items: 7 }, lastOutcome: { label: 'success', httpStatus: 200, details: { pages: 3, items: 7, attemptsMade: 1 } } });
    // `sent` counts the input records whose read completed, as `failed` and `extracted` do.
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { extracted: 1, sent: 1, failed: 0, retried: 0 } });
    const audit = await h.repos.audit.listByRun(runId);
    expect(audit.map((a) => [a.method, a.path, a.status, a.attempt, a.outcome])).toEqual(Array(3).fill(['GET', '/pages/link', 200, 1, 'success']));
  });

  it('follows a relative next link from the body, one read per record', async () => {
    const h = await harness();
    const start = server.requests.length;
    const runId = await startRun(h.deps, {
      pipeline: readPipeline(server.origin, '/pages/body-link', { type: 'nextLink', nextPath: 'links.next', itemsPath: 'data' }),
      records: [{ per: 2, total: 5 }, { per: 4, total: 9 }],
    });
    await driveUntilIdle(h);
    const seen = requestsTo(server, '/pages/body-link', start);
    expect(seen.map((r) => `${r.query.total?.[0]}:${r.query.page?.[0] ?? 1}`)).toEqual(['5:1', '5:2', '5:3', '9:1', '9:2', '9:3']);
    expect(await storedIds(h)).toEqual(ids(9));
    const jobs = await h.repos.jobs.listByRun(runId);
    expect(jobs.map((j) => j.lastOutcome?.details)).toEqual([expect.objectContaining({ pages: 3, items: 5 }), expect.objectContaining({ pages: 3, items: 9 })]);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { extracted: 2, sent: 2 } });
  });

  it('passes each cursor from meta.next_cursor once, until there is none', async () => {
    const h = await harness();
    const start = server.requests.length;
    const runId = await startRun(h.deps, { pipeline: readPipeline(server.origin, '/pages/cursor', { type: 'cursor', cursorPath: 'meta.next_cursor', itemsPath: 'items' }), records: [{ per: 3, total: 7 }] });
    await driveUntilIdle(h);
    const cursors = requestsTo(server, '/pages/cursor', start).map((r) => r.query.cursor?.[0] ?? null);
    const encoded = (page: number) => Buffer.from(String(page)).toString('base64url');
    expect(cursors).toEqual([null, encoded(2), encoded(3)]);
    expect(await storedIds(h)).toEqual(ids(7));
    expect((await h.repos.jobs.listByRun(runId))[0]).toMatchObject({ status: 'done', checkpoint: { next: null, pages: 3 } });
  });

  it.each([
    ['an empty page (the default for page numbers)', undefined, ['1', '2', '3', '4'], 7],
    ['truePath is_last', { truePath: 'is_last' }, ['1', '2', '3'], 7],
    ['falsePath has_more', { falsePath: 'has_more' }, ['1', '2', '3'], 7],
    ['totalPagesPath total_pages', { totalPagesPath: 'total_pages' }, ['1', '2', '3'], 7],
    ['maxPages 2 (a complete read, not a failure)', { maxPages: 2 }, ['1', '2'], 6],
  ])('counts page numbers and completes on %s', async (_rule, completeWhen, pages, items) => {
    const h = await harness();
    const start = server.requests.length;
    const pagination = { type: 'page', itemsPath: 'results', ...(completeWhen ? { completeWhen } : {}) };
    const runId = await startRun(h.deps, { pipeline: readPipeline(server.origin, '/pages/page', pagination), records: [{ per: 3, total: 7 }] });
    await driveUntilIdle(h);
    expect(requestsTo(server, '/pages/page', start).map((r) => r.query.page?.[0])).toEqual(pages);
    expect(await storedIds(h)).toEqual(ids(items));
    expect((await h.repos.jobs.listByRun(runId))[0]).toMatchObject({ status: 'done', lastOutcome: { label: 'success', details: { pages: pages.length, items } } });
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1 } });
  });

  it('a claim reads for readSliceMs, then gives the job back with its checkpoint, and the next claim continues', async () => {
    const h = await harness({ deps: { readSliceMs: 0 } });
    const start = server.requests.length;
    const runId = await startRun(h.deps, { pipeline: readPipeline(server.origin, '/pages/page', { type: 'page', itemsPath: 'results', completeWhen: { truePath: 'is_last' } }), records: [{ per: 3, total: 7 }] });
    // One drive: the job is claimed three times, a page each, and nothing is read twice.
    expect(await drive(h.deps, { owner: 'w1' })).toEqual({ processed: 3 });
    expect(requestsTo(server, '/pages/page', start).map((r) => r.query.page?.[0])).toEqual(['1', '2', '3']);
    expect((await h.repos.jobs.listByRun(runId))[0]).toMatchObject({ status: 'done', attempts: 3, lastOutcome: { details: { attemptsMade: 1, claims: 3, pages: 3, items: 7 } } });
    expect(await storedIds(h)).toEqual(ids(7));
  });

  it('stops an endless read at maxPages (the guard), dead-lettering it with a message naming the setting and the pages kept', async () => {
    const h = await harness({ deps: { maxPages: 3 } });
    const start = server.requests.length;
    const runId = await startRun(h.deps, { pipeline: readPipeline(server.origin, '/pages/page', { type: 'page', itemsPath: 'results' }), records: [{ per: 1, total: 1_000_000 }] });
    await driveUntilIdle(h);
    expect(requestsTo(server, '/pages/page', start)).toHaveLength(3);
    expect(await storedIds(h)).toEqual([1, 2, 3]);
    const [letter] = await h.repos.deadLetters.list({ runId });
    expect(letter!.lastOutcome).toMatchObject({ label: 'pagination_too_many_pages', details: { code: 'PAGINATION_TOO_MANY_PAGES', read: { next: { page: 4, pages: 3 }, pages: 3, items: 3 } } });
    expect(letter!.lastOutcome.message).toMatch(/^steps\[0\]\.http\.pagination: read 3 pages and the server still points at a next one; .* set steps\[0\]\.http\.pagination\.completeWhen\.maxPages to the most pages to read/);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'failed', counts: { sent: 0, failed: 1 } });
  });

  it('a page whose results cannot be stored (quota) is saved without them, the problem noted, and not read again', async () => {
    const h = await harness();
    const putAll = h.repos.results.putAll.bind(h.repos.results);
    let full = true;
    h.repos.results.putAll = async (entries) => {
      if (full && entries.length > 0) {
        full = false;
        throw Object.assign(new Error('the disk is full'), { name: 'QuotaExceededError' });
      }
      return putAll(entries);
    };
    const start = server.requests.length;
    const runId = await startRun(h.deps, { pipeline: readPipeline(server.origin, '/pages/page', { type: 'page', itemsPath: 'results', completeWhen: { truePath: 'is_last' } }), records: [{ per: 3, total: 7 }] });
    await driveUntilIdle(h);
    expect(requestsTo(server, '/pages/page', start).map((r) => r.query.page?.[0])).toEqual(['1', '2', '3']);
    expect(await storedIds(h)).toEqual([4, 5, 6, 7]);
    expect((await h.repos.jobs.listByRun(runId))[0]).toMatchObject({ status: 'done', lastOutcome: { details: { pages: 3, items: 7, resultProblems: ['page 1: 3 results were not stored (QuotaExceededError)'] } } });
    expect(await h.repos.audit.listByRun(runId)).toHaveLength(3);
  });

  it('keeps the first 20 resultProcessing problems of a read in its outcome', async () => {
    const h = await harness();
    const pipeline = readPipeline(server.origin, '/pages/page', { type: 'page', itemsPath: 'results', completeWhen: { truePath: 'is_last' } }, {
      resultProcessing: { extractFields: ['id', 'sku'], storage: { type: 'local', key: 'item_{{id}}' } },
    });
    const runId = await startRun(h.deps, { pipeline, records: [{ per: 5, total: 30 }] });
    await driveUntilIdle(h);
    const [job] = await h.repos.jobs.listByRun(runId);
    const problems = job!.lastOutcome!.details!.resultProblems as string[];
    expect(problems).toHaveLength(20);
    expect(problems[0]).toBe('sku: the response has no sku');
    expect(await storedIds(h)).toEqual(ids(30)); // a missing field is a problem, not a lost item
  });

  it('never stores a next link that carries a credential: the read is refused and the link kept nowhere', async () => {
    const h = await harness();
    // The Link header echoes every query parameter, the token passed in `query` included.
    const pipeline = readPipeline(server.origin, '/pages/link', { type: 'nextLink', itemsPath: 'items' }, {}, { query: { per: 3, access_token: '{{credentials.apiToken}}' } });
    const runId = await startRun(h.deps, { pipeline, records: [{}] });
    await driveUntilIdle(h);
    const [letter] = await h.repos.deadLetters.list({ runId });
    expect(letter!.lastOutcome).toMatchObject({ label: 'pagination_checkpoint_has_credential' });
    expect(letter!.lastOutcome.message).toMatch(/steps\[0\]\.http\.pagination: the server's next-page link after page 1 contains one of the step's credentials/);
    const [job] = await h.repos.jobs.listByRun(runId);
    expect(JSON.stringify([job, letter])).not.toContain(API_TOKEN);
  });
});
