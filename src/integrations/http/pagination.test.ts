import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error';
import { paginate, type Page, type PaginateOptions } from './pagination';
import type { HttpAttempt, HttpRequestNode } from './types';

function attempt(body: unknown, headers: Record<string, string> = {}, status = 200): HttpAttempt {
  return { status, ok: status < 300, headers, body, durationMs: 1, url: 'https://api.test/x', redirected: false };
}

/** A fake attempt function that answers from a script and records the requests it was given. */
function script(...answers: HttpAttempt[]) {
  const sent: HttpRequestNode[] = [];
  const send = (node: HttpRequestNode) => {
    sent.push(node);
    const next = answers.shift();
    return next ? Promise.resolve(next) : Promise.reject(new Error('no more answers'));
  };
  return { sent, send };
}

async function all(options: PaginateOptions): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of paginate(options)) pages.push(page);
  return pages;
}

describe('paginate', () => {
  it('follows body next links, resolving relative ones and dropping the first request query', async () => {
    const { sent, send } = script(attempt({ items: [1, 2], next: '/x?page=2' }), attempt({ items: [3], next: null }));
    const pages = await all({ request: { url: 'https://api.test/x', query: { per: 2 } }, pagination: { type: 'nextLink', nextPath: 'next', itemsPath: 'items' }, send });
    expect(pages.map((p) => [p.index, p.items, p.checkpoint])).toEqual([
      [0, [1, 2], { nextUrl: 'https://api.test/x?page=2', pages: 1 }],
      [1, [3], null],
    ]);
    expect(sent[1]).toEqual({ url: 'https://api.test/x?page=2', query: undefined });
  });

  it('never checkpoints a query API key or userinfo from a next link', async () => {
    const auth = { type: 'apiKey', in: 'query', name: 'key', value: 's3cret' } as const;
    const { send } = script(attempt([1], { link: '<https://u:p@api.test/x?page=2&key=s3cret>; rel="next"' }), attempt([]));
    const [first] = await all({ request: { url: 'https://api.test/x', auth }, pagination: { type: 'nextLink' }, send });
    expect(first!.checkpoint).toEqual({ nextUrl: 'https://api.test/x?page=2', pages: 1 });
  });

  it('sends cursors as a query parameter and stops when the cursor is gone', async () => {
    const { sent, send } = script(attempt({ data: [1], cursor: 'abc' }), attempt({ data: [2], cursor: 42 }), attempt({ data: [3], cursor: '' }));
    const pages = await all({ request: { url: 'https://api.test/x', query: { limit: 1 } }, pagination: { type: 'cursor', cursorPath: 'cursor', param: 'after', itemsPath: 'data' }, send });
    expect(pages.map((p) => p.checkpoint)).toEqual([{ cursor: 'abc', pages: 1 }, { cursor: '42', pages: 2 }, null]);
    expect(sent.map((n) => n.query)).toEqual([{ limit: 1 }, { limit: 1, after: 'abc' }, { limit: 1, after: '42' }]);
  });

  it('counts pages from start and stops at the first empty page by default', async () => {
    const { sent, send } = script(attempt([1]), attempt([2]), attempt([]));
    const pages = await all({ request: { url: 'https://api.test/x' }, pagination: { type: 'page', param: 'p', start: 0 }, send });
    expect(sent.map((n) => n.query)).toEqual([{ p: 0 }, { p: 1 }, { p: 2 }]);
    expect(pages.at(-1)).toMatchObject({ index: 2, items: [], checkpoint: null });
  });

  it.each([
    ['truePath', { truePath: 'last' }, { items: [1], last: true }],
    ['falsePath', { falsePath: 'has_more' }, { items: [1], has_more: false }],
    ['totalPagesPath', { totalPagesPath: 'meta.pages' }, { items: [1], meta: { pages: 2 } }],
    ['maxPages', { maxPages: 2 }, { items: [1] }],
  ])('completes by %s', async (_name, completeWhen, second) => {
    const { sent, send } = script(attempt({ items: [0], last: false, has_more: true, meta: { pages: 2 } }), attempt(second), attempt({ items: [9] }));
    const pages = await all({ request: { url: 'https://api.test/x' }, pagination: { type: 'page', param: 'page', itemsPath: 'items', completeWhen }, send });
    expect(pages.map((p) => p.checkpoint)).toEqual([{ page: 2, pages: 1 }, null]);
    expect(sent).toHaveLength(2);
  });

  it('resumes from a checkpoint, counting earlier pages toward maxPages', async () => {
    const { sent, send } = script(attempt({ items: [7] }), attempt({ items: [8] }));
    const pages = await all({ request: { url: 'https://api.test/x' }, pagination: { type: 'page', param: 'page', itemsPath: 'items', completeWhen: { maxPages: 5 } }, from: { page: 4, pages: 3 }, send });
    expect(sent.map((n) => n.query)).toEqual([{ page: 4 }, { page: 5 }]);
    expect(pages.map((p) => [p.index, p.checkpoint])).toEqual([
      [3, { page: 5, pages: 4 }],
      [4, null],
    ]);
  });

  it('ends with PAGE_FAILED, carrying the checkpoint to retry from, when a page is not a success', async () => {
    const { send } = script(attempt({ items: [1], c: 'x' }), attempt({ error: 'boom' }, {}, 500));
    const pages: Page[] = [];
    const error = await (async () => {
      for await (const page of paginate({ request: { url: 'https://api.test/x?key=s3cret' }, pagination: { type: 'cursor', cursorPath: 'c', param: 'c', itemsPath: 'items' }, send })) pages.push(page);
    })().catch((e: unknown) => e);
    expect(pages).toHaveLength(1);
    expect(isFerryError(error, 'PAGE_FAILED')).toBe(true);
    expect(error).toMatchObject({ message: 'page 2 of https://api.test/x answered 500', details: { status: 500, page: 1, checkpoint: { cursor: 'x', pages: 1 } } });
  });

  it('refuses a next link that points back at the same page', async () => {
    const { send } = script(attempt({ next: '/x?p=2' }), attempt({ next: '/x?p=2' }));
    const run = all({ request: { url: 'https://api.test/x' }, pagination: { type: 'nextLink', nextPath: 'next' }, send });
    await expect(run).rejects.toMatchObject({ code: 'PAGINATION_LOOP' });
  });

  it('refuses a checkpoint of another kind', async () => {
    const { send } = script(attempt([]));
    await expect(all({ request: { url: 'https://api.test/x' }, pagination: { type: 'page', param: 'p' }, from: { cursor: 'c', pages: 1 }, send })).rejects.toMatchObject({ code: 'INVALID_CHECKPOINT' });
  });
});
