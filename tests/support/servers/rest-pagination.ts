/**
 * The REST server's paginated routes: one dataset ({ id: 1..total }) served four ways, so tests can
 * check that every kind of pagination yields each item exactly once and in order.
 */
import { sendJson } from './respond';
import type { RouteHandler } from './rest-server';

function slice(url: URL, page: number): { items: { id: number }[]; totalPages: number } {
  const per = Number(url.searchParams.get('per') ?? 3);
  const total = Number(url.searchParams.get('total') ?? 7);
  const start = (page - 1) * per;
  const items = Array.from({ length: Math.max(0, Math.min(per, total - start)) }, (_, i) => ({ id: start + i + 1 }));
  return { items, totalPages: Math.ceil(total / per) };
}

function pageParam(url: URL): number {
  return Number(url.searchParams.get('page') ?? 1);
}

/** The same URL with another page number, so `per` and `total` carry over as a real API's links do. */
function withPage(url: URL, page: number): URL {
  const next = new URL(url);
  next.searchParams.set('page', String(page));
  return next;
}

export const paginationRoutes: Record<string, RouteHandler> = {
  '/pages/link': (_req, res, { url }) => {
    const page = pageParam(url);
    const { items, totalPages } = slice(url, page);
    const links = [`<${withPage(url, 1).href}>; rel="first"`];
    if (page < totalPages) links.push(`<${withPage(url, page + 1).href}>; rel="next"`);
    sendJson(res, 200, { items }, { link: links.join(', ') });
  },
  '/pages/body-link': (_req, res, { url }) => {
    const page = pageParam(url);
    const { items, totalPages } = slice(url, page);
    const next = withPage(url, page + 1);
    sendJson(res, 200, { data: items, links: { next: page < totalPages ? `${next.pathname}${next.search}` : null } });
  },
  '/pages/cursor': (_req, res, { url }) => {
    // An opaque cursor, as real APIs hand out: base64 of the next page number.
    const cursor = url.searchParams.get('cursor');
    const page = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8')) : 1;
    const { items, totalPages } = slice(url, page);
    const nextCursor = page < totalPages ? Buffer.from(String(page + 1)).toString('base64url') : null;
    sendJson(res, 200, { items, meta: { next_cursor: nextCursor } });
  },
  '/pages/page': (_req, res, { url }) => {
    const page = pageParam(url);
    const { items, totalPages } = slice(url, page);
    sendJson(res, 200, { results: items, total_pages: totalPages, is_last: page >= totalPages, has_more: page < totalPages });
  },
};
