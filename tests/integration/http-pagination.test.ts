/** Pagination of all three kinds against a real server, including a resume from a checkpoint. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paginate, type Page, type PageCheckpoint, type PaginateOptions } from '../../src/integrations/http/pagination';
import { sendHttpRequest } from '../../src/integrations/http/request';
import { startRestServer, type RestServer } from '../support/servers/rest-server';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer();
});
afterAll(() => server.close());

const ALL_IDS = [1, 2, 3, 4, 5, 6, 7];

async function collect(options: PaginateOptions, stopAfter = Infinity): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of paginate(options)) {
    pages.push(page);
    // Breaking out of for-await is how a runner stops mid-read (the worker is about to die).
    if (pages.length >= stopAfter) break;
  }
  return pages;
}

const ids = (pages: Page[]) => pages.flatMap((p) => (p.items as { id: number }[]).map((item) => item.id));

/** Reads two pages, "loses the worker", persists the checkpoint as JSON, and resumes from it. */
async function readWithRestart(options: PaginateOptions): Promise<{ before: Page[]; after: Page[]; saved: PageCheckpoint }> {
  const before = await collect(options, 2);
  const saved = JSON.parse(JSON.stringify(before.at(-1)!.checkpoint)) as PageCheckpoint;
  const after = await collect({ ...options, from: saved });
  return { before, after, saved };
}

describe('pagination against a real server', () => {
  it('follows Link headers rel="next" to the end', async () => {
    const pages = await collect({ request: { url: `${server.origin}/pages/link`, query: { per: 3 } }, pagination: { type: 'nextLink', itemsPath: 'items' } });
    expect(ids(pages)).toEqual(ALL_IDS);
    expect(pages.map((p) => p.checkpoint)).toEqual([{ nextUrl: `${server.origin}/pages/link?per=3&page=2`, pages: 1 }, { nextUrl: `${server.origin}/pages/link?per=3&page=3`, pages: 2 }, null]);
  });

  it('follows a relative next link from the body and resumes from its checkpoint', async () => {
    const options: PaginateOptions = { request: { url: `${server.origin}/pages/body-link`, query: { per: 2 } }, pagination: { type: 'nextLink', nextPath: 'links.next', itemsPath: 'data' } };
    const { before, after, saved } = await readWithRestart(options);
    expect(saved).toEqual({ nextUrl: `${server.origin}/pages/body-link?per=2&page=3`, pages: 2 });
    expect(ids(before)).toEqual([1, 2, 3, 4]);
    expect(ids(after)).toEqual([5, 6, 7]);
    expect(after.map((p) => p.index)).toEqual([2, 3]);
  });

  it('sends cursors from meta.next_cursor and resumes from a saved cursor with the API key re-applied', async () => {
    const start = server.requests.length;
    const options: PaginateOptions = {
      request: { url: `${server.origin}/pages/cursor`, query: { per: 3 }, auth: { type: 'apiKey', in: 'query', name: 'key', value: 'k1' } },
      pagination: { type: 'cursor', cursorPath: 'meta.next_cursor', param: 'cursor', itemsPath: 'items' },
    };
    const { before, after, saved } = await readWithRestart(options);
    expect(ids([...before, ...after])).toEqual(ALL_IDS);
    const firstCursor = (before[0]!.checkpoint as { cursor: string }).cursor;
    expect(saved).toEqual({ cursor: expect.any(String), pages: 2 });
    const sent = server.requests.slice(start);
    // First page without a cursor, then each cursor exactly once: the resume re-read nothing.
    expect(sent.map((r) => r.query.cursor?.[0] ?? null)).toEqual([null, firstCursor, (saved as { cursor: string }).cursor]);
    expect(sent.every((r) => r.query.key?.[0] === 'k1' && r.query.per?.[0] === '3')).toBe(true);
  });

  it('counts page numbers until page >= total_pages, and resumes mid-way', async () => {
    const options: PaginateOptions = {
      request: { url: `${server.origin}/pages/page`, query: { per: 2 } },
      pagination: { type: 'page', param: 'page', itemsPath: 'results', completeWhen: { totalPagesPath: 'total_pages' } },
    };
    const { before, after, saved } = await readWithRestart(options);
    expect(saved).toEqual({ page: 3, pages: 2 });
    expect(ids([...before, ...after])).toEqual(ALL_IDS);
    expect(after.at(-1)!.checkpoint).toBeNull();
  });

  it('stops on a boolean path, on empty items, and at maxPages', async () => {
    const base = { request: { url: `${server.origin}/pages/page`, query: { per: 3 } }, pagination: { type: 'page', param: 'page', itemsPath: 'results' } } as const;
    expect(ids(await collect({ ...base, pagination: { ...base.pagination, completeWhen: { truePath: 'is_last' } } }))).toEqual(ALL_IDS);
    const byEmpty = await collect(base);
    expect(ids(byEmpty)).toEqual(ALL_IDS);
    expect(byEmpty).toHaveLength(4); // the empty fourth page is how it knew
    expect(ids(await collect({ ...base, pagination: { ...base.pagination, completeWhen: { maxPages: 2 } } }))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sends every page through the attempt function it was given', async () => {
    let calls = 0;
    const pages = await collect({
      request: { url: `${server.origin}/pages/link`, query: { per: 4 } },
      pagination: { type: 'nextLink', itemsPath: 'items' },
      send: (node, options) => {
        calls++;
        return sendHttpRequest(node, options);
      },
    });
    expect(pages).toHaveLength(2);
    expect(calls).toBe(2);
  });

  it('ends with PAGE_FAILED when a page answers 500', async () => {
    const pages = collect({ request: { url: `${server.origin}/status/500` }, pagination: { type: 'page', param: 'page' } });
    await expect(pages).rejects.toMatchObject({ code: 'PAGE_FAILED', details: { status: 500, page: 0, checkpoint: { page: 1, pages: 0 } } });
  });
});
