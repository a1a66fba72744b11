import { FerryError } from '../../errors/ferry-error';
import { getPath } from '../shared/body-path';
import { redact } from '../shared/redact';
import { isComplete } from './complete-when';
import { nextFromLinkHeader } from './link-header';
import type { Page, PageCheckpoint, PaginateOptions, PaginationConfig } from './pagination-types';
import { sendHttpRequest } from './request';
import type { HttpAttempt, HttpRequestNode } from './types';
import { buildUrl } from './url';

export type { CompleteWhen, Page, PageCheckpoint, PaginateOptions, PaginationConfig, SendAttempt } from './pagination-types';

/**
 * Reads a paginated resource one page at a time, yielding each page with the checkpoint of the next,
 * so a durable runner can persist progress between pages and resume with `from` after the service
 * worker stopped. Each page is one call of `send` (retries and breakers live in that function).
 * A page that is not a success ends the read with FerryError PAGE_FAILED; its details carry the
 * checkpoint to retry it from.
 */
export async function* paginate(options: PaginateOptions): AsyncGenerator<Page, void, undefined> {
  const { request, pagination } = options;
  const send = options.send ?? sendHttpRequest;
  const isSuccess = options.isSuccess ?? ((attempt: HttpAttempt) => attempt.ok);
  const rules = pagination.type === 'page' && !pagination.completeWhen ? { emptyItems: true } : (pagination.completeWhen ?? {});
  let current: PageCheckpoint | undefined = options.from ?? (pagination.type === 'page' ? { page: pagination.start ?? 1, pages: 0 } : undefined);

  for (;;) {
    const node = requestFor(request, pagination, current);
    const attempt = await send(node, { ...(options.signal ? { signal: options.signal } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
    const index = current?.pages ?? 0;
    if (!isSuccess(attempt)) {
      throw new FerryError('PAGE_FAILED', `page ${index + 1} of ${redact(node.url)} answered ${attempt.status}`, { status: attempt.status, page: index, checkpoint: current ?? null });
    }
    const items = itemsOf(attempt.body, pagination.itemsPath);
    const pages = index + 1;
    const next = isComplete(rules, attempt.body, items, pages) ? null : nextCheckpoint(pagination, node, attempt, current, pages);
    if (next && current && sameTarget(next, current)) {
      throw new FerryError('PAGINATION_LOOP', `page ${pages} of ${redact(node.url)} points back at itself; stopping instead of looping forever`, { page: index });
    }
    yield { index, attempt, items, checkpoint: next };
    if (!next) return;
    current = next;
  }
}

/** The request for the page a checkpoint designates (the first page when there is none). */
function requestFor(first: HttpRequestNode, pagination: PaginationConfig, at: PageCheckpoint | undefined): HttpRequestNode {
  if (!at) return first;
  if ('nextUrl' in at && pagination.type === 'nextLink') {
    // The next link is complete on its own: the server put every parameter it needs in it.
    return { ...first, url: at.nextUrl, query: undefined };
  }
  if ('cursor' in at && pagination.type === 'cursor') return { ...first, query: { ...first.query, [pagination.param]: at.cursor } };
  if ('page' in at && pagination.type === 'page') return { ...first, query: { ...first.query, [pagination.param]: at.page } };
  throw new FerryError('INVALID_CHECKPOINT', `the checkpoint does not fit ${pagination.type} pagination`, { type: pagination.type });
}

function nextCheckpoint(pagination: PaginationConfig, node: HttpRequestNode, attempt: HttpAttempt, current: PageCheckpoint | undefined, pages: number): PageCheckpoint | null {
  switch (pagination.type) {
    case 'nextLink': {
      const link = pagination.nextPath !== undefined ? getPath(attempt.body, pagination.nextPath) : nextFromLinkHeader(attempt.headers.link);
      if (typeof link !== 'string' || link === '') return null;
      return { nextUrl: checkpointUrl(link, node), pages };
    }
    case 'cursor': {
      const cursor = getPath(attempt.body, pagination.cursorPath);
      if (cursor === null || cursor === undefined || cursor === '' || cursor === false) return null;
      return { cursor: String(cursor), pages };
    }
    case 'page':
      return { page: (current && 'page' in current ? current.page : (pagination.start ?? 1)) + 1, pages };
  }
}

/**
 * A next link made absolute against the page's own URL, minus what must not be persisted: userinfo
 * and a query API key (both are re-applied from `auth` on every request, never stored).
 */
function checkpointUrl(link: string, node: HttpRequestNode): string {
  let url: URL;
  try {
    url = new URL(link, buildUrl(node.url, node.query));
  } catch {
    throw new FerryError('INVALID_NEXT_LINK', `the next-page link of ${redact(node.url)} is not a valid URL`);
  }
  url.username = '';
  url.password = '';
  if (node.auth?.type === 'apiKey' && node.auth.in === 'query') url.searchParams.delete(node.auth.name);
  return url.href;
}

function itemsOf(body: unknown, path: string | undefined): unknown[] {
  const value = getPath(body, path);
  if (Array.isArray(value)) return value;
  return value === null || value === undefined ? [] : [value];
}

function sameTarget(a: PageCheckpoint, b: PageCheckpoint): boolean {
  if ('nextUrl' in a && 'nextUrl' in b) return a.nextUrl === b.nextUrl;
  if ('cursor' in a && 'cursor' in b) return a.cursor === b.cursor;
  return false;
}
