/**
 * A real GraphQL-over-HTTP server for integration tests (graphql-http, the reference
 * implementation), on 127.0.0.1 only, over the schema in graphql-schema.ts. Besides /graphql:
 *   /graphql-500       answers 500 with a GraphQL error body (a crashed gateway)
 *   /graphql-500-text  answers 500 with plain text
 *   /graphql-html      answers 200 with an HTML page (a login wall or proxy)
 *   /graphql-slow?ms=N waits N ms, then serves the request normally
 *   /graphql-429       answers 429 with Retry-After: 3
 * Every request is recorded with its headers and GraphQL params.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createHandler } from 'graphql-http/lib/use/http';
import { listenOnLoopback } from './listen';
import { sendJson, sleep } from './respond';
import { rootValue, schema, type GraphQLStore } from './graphql-schema';

export interface GraphQLRecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  query?: string;
  variables?: Record<string, unknown> | null;
}

export interface GraphQLTestServer {
  origin: string;
  /** `${origin}/graphql` */
  endpoint: string;
  store: GraphQLStore;
  requests: GraphQLRecordedRequest[];
  close(): Promise<void>;
}

export async function startGraphQLServer(): Promise<GraphQLTestServer> {
  const store: GraphQLStore = { records: [] };
  const requests: GraphQLRecordedRequest[] = [];
  const handler = createHandler({
    schema,
    rootValue: rootValue(store),
    // Called with the parsed params, so recording here leaves the body for graphql-http to read.
    context: (req, params) => {
      const record = requests.findLast((r) => r.headers === req.raw.headers);
      if (record) Object.assign(record, { query: params.query, variables: params.variables ?? null });
      return { authorization: req.raw.headers.authorization };
    },
  });
  const listening = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, headers: req.headers });
    switch (url.pathname) {
      case '/graphql':
        return handler(req, res);
      case '/graphql-slow':
        await sleep(Number(url.searchParams.get('ms') ?? 1000), req);
        if (!req.socket.destroyed) await handler(req, res);
        return;
      case '/graphql-500':
        return sendJson(res, 500, { errors: [{ message: 'upstream crashed' }] }, { 'content-type': 'application/graphql-response+json' });
      case '/graphql-500-text':
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      case '/graphql-html':
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Please log in</body></html>');
      case '/graphql-429':
        return sendJson(res, 429, { errors: [{ message: 'slow down' }] }, { 'retry-after': '3' });
      default:
        return sendJson(res, 404, { error: 'no such route' });
    }
  });
  return { origin: listening.origin, endpoint: `${listening.origin}/graphql`, store, requests, close: listening.close };
}
