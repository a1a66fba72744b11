/**
 * Paginated reads for run tests: a GET of one of the REST server's paginated routes
 * (tests/support/servers/rest-pagination.ts), each record setting how the dataset is cut (`per`
 * items a page, `total` items), every item kept under `item_<id>` by resultProcessing.
 */
import type { RecordedRequest, RestServer } from '../../support/servers/rest-server';

export function readPipeline(origin: string, path: string, pagination: Record<string, unknown>, step: Record<string, unknown> = {}, http: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    id: 'paginated-read',
    name: 'Paginated read from a local API',
    source: { type: 'supplied' },
    steps: [
      {
        http: {
          method: 'GET',
          url: `${origin}${path}`,
          query: { per: '{{extracted.per}}', total: '{{extracted.total}}' },
          headers: { Authorization: 'Bearer {{credentials.apiToken}}' },
          pagination,
          ...http,
        },
        resultProcessing: { extractFields: ['id'], storage: { type: 'local', key: 'item_{{id}}' } },
        ...step,
      },
    ],
  };
}

/** The requests the server saw for `path` since `from` (an index into its request log). */
export function requestsTo(server: RestServer, path: string, from = 0): RecordedRequest[] {
  return server.requests.slice(from).filter((r) => r.path === path);
}

export const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
