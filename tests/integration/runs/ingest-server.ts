/**
 * The loopback API most run tests deliver to: one REST server per file, and a fresh ingest API
 * (requests, applied records, scripted failures) routed at `/v1/data` for every test.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createIngestApi, type IngestApi } from '../../support/servers/ingest-api';
import { startRestServer, type RestServer } from '../../support/servers/rest-server';

export interface IngestServer {
  rest: RestServer;
  api: IngestApi;
}

export function ingestServerPerTest(path = '/v1/data'): IngestServer {
  const server = {} as IngestServer;
  beforeAll(async () => {
    server.rest = await startRestServer();
  });
  afterAll(() => server.rest.close());
  beforeEach(() => {
    server.api = createIngestApi();
    server.rest.route(path, server.api.handler);
  });
  return server;
}
