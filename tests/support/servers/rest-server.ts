/**
 * A configurable REST server for integration tests, on 127.0.0.1 only. It records every request
 * (method, path, query, headers, raw body) and serves built-in routes that each exercise one
 * behaviour; tests add their own with `route()`.
 *
 *   /echo                     answers { method, path, query, headers, contentType, body } with the
 *                             body parsed by content-type (JSON, urlencoded, multipart, else text)
 *   /status/:code             that status with a JSON body; ?retryAfter=S sets Retry-After
 *   /slow?ms=N                waits N ms before the headers; /slow-body?ms=N sends headers, then waits
 *   /redirect?to=P&status=S   a redirect to P (302 by default)
 *   /json /text /binary /bad-json /empty   fixed bodies (binary: bytes 0..255; empty: 204)
 *   /pages/link?page=N        Link header rel="next" pagination        items in { items }
 *   /pages/body-link?page=N   links.next in the body (relative URL)    items in { data }
 *   /pages/cursor?cursor=C    meta.next_cursor in the body              items in { items }
 *   /pages/page?page=N        total_pages, is_last, has_more in body    items in { results }
 * Pages hold `per` items (default 3) of `total` (default 7): { id: 1..total }.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from './listen';
import { paginationRoutes } from './rest-pagination';
import { multiMap, sendJson, sleep } from './respond';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RouteContext {
  url: URL;
  body: Buffer;
  origin: string;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => void | Promise<void>;

export interface RestServer {
  origin: string;
  requests: RecordedRequest[];
  /** Adds or replaces the handler for an exact path. */
  route(path: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

export async function startRestServer(): Promise<RestServer> {
  const requests: RecordedRequest[] = [];
  const routes = new Map<string, RouteHandler>(Object.entries({ ...builtInRoutes, ...paginationRoutes }));
  const listening = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', listening.origin);
    const body = await readAll(req);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: multiMap(url.searchParams), headers: req.headers, body });
    const handler = routes.get(url.pathname) ?? (url.pathname.startsWith('/status/') ? statusRoute : undefined);
    if (!handler) return sendJson(res, 404, { error: 'no such route' });
    try {
      await handler(req, res, { url, body, origin: listening.origin });
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    }
  });
  return {
    origin: listening.origin,
    requests,
    route: (path, handler) => void routes.set(path, handler),
    close: listening.close,
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const statusRoute: RouteHandler = (_req, res, { url }) => {
  const status = Number(url.pathname.slice('/status/'.length));
  const retryAfter = url.searchParams.get('retryAfter');
  sendJson(res, status, { status }, retryAfter ? { 'retry-after': retryAfter } : {});
};

const builtInRoutes: Record<string, RouteHandler> = {
  '/echo': async (req, res, { url, body }) => {
    const contentType = req.headers['content-type'] ?? '';
    sendJson(res, 200, {
      method: req.method,
      path: url.pathname,
      query: multiMap(url.searchParams),
      headers: req.headers,
      contentType,
      body: await parseBody(body, contentType),
    });
  },
  '/slow': async (req, res, { url }) => {
    await sleep(Number(url.searchParams.get('ms') ?? 1000), req);
    if (!req.socket.destroyed) sendJson(res, 200, { slow: true });
  },
  '/slow-body': async (req, res, { url }) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"slow":');
    await sleep(Number(url.searchParams.get('ms') ?? 1000), req);
    if (!req.socket.destroyed) res.end('true}');
  },
  '/redirect': (_req, res, { url }) => {
    res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to') ?? '/echo' }).end();
  },
  '/json': (_req, res) => sendJson(res, 200, { hello: 'world', n: 1 }),
  '/text': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('plain text ✓'),
  '/binary': (_req, res) => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) }).end(bytes);
  },
  '/bad-json': (_req, res) => void res.writeHead(502, { 'content-type': 'application/json' }).end('<html>Bad gateway</html>'),
  '/empty': (_req, res) => void res.writeHead(204).end(),
};

async function parseBody(body: Buffer, contentType: string): Promise<unknown> {
  if (body.length === 0) return null;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return JSON.parse(body.toString('utf8')) as unknown;
  if (type === 'application/x-www-form-urlencoded') return multiMap(new URLSearchParams(body.toString('utf8')));
  if (type === 'multipart/form-data') {
    // undici's Request parses multipart the way a real server framework would.
    const form = await new Request('http://parse.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
    const fields: Record<string, unknown[]> = {};
    for (const [name, value] of form.entries()) {
      const entry = typeof value === 'string' ? value : { filename: value.name, type: value.type, size: value.size, base64: Buffer.from(await value.arrayBuffer()).toString('base64') };
      (fields[name] ??= []).push(entry);
    }
    return fields;
  }
  return body.toString('utf8');
}
