import 'fake-indexeddb/auto';
/**
 * `integrations.test` for REST and GraphQL integrations against real servers on 127.0.0.1: the
 * request carries the integration's headers and auth with the credential resolved from the vault;
 * any status is "reachable", a 401 says the credentials were refused, a refused port says so, and
 * no answer ever contains the secret. The result is kept as the integration's last test.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationRoutes } from '../../src/background/integration-routes';
import type { HostCaller } from '../../src/integrations/host/call';
import type { MessageType, RequestOf, ResponseOf } from '../../src/messaging/contract';
import type { Route } from '../../src/messaging/router';
import { createRepositories, type Repositories } from '../../src/storage/repositories';
import { testDb } from '../../src/storage/test-db.test-support';
import { startGraphQLServer, type GraphQLTestServer } from '../support/servers/graphql-server';
import { listenOnLoopback, refusedPort, type Listening } from '../support/servers/listen';

const TOKEN = 'tok-5e1f9a77c2d84b06';
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let api: Listening;
let gql: GraphQLTestServer;

beforeAll(async () => {
  api = await listenOnLoopback((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/v1/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (req.url?.startsWith('/v1/secure')) {
      // Echoes what it was sent, as some servers do in their errors: the secret must not come back out.
      const ok = req.headers.authorization === `Bearer ${TOKEN}`;
      return void res.writeHead(ok ? 200 : 401, { 'content-type': 'text/plain' }).end(ok ? 'fine' : `bad token ${String(req.headers.authorization)}`);
    }
    res.writeHead(404).end('not here');
  });
  gql = await startGraphQLServer();
});
afterAll(async () => Promise.all([api.close(), gql.close()]));

async function setup() {
  const repos: Repositories = createRepositories(await testDb());
  await repos.vault.setCredential('apiToken', TOKEN);
  await repos.vault.setCredential('wrongToken', 'tok-wrong-000000000');
  const routes = integrationRoutes({ repos: async () => repos, host: {} as HostCaller });
  const call = async <T extends MessageType>(type: T, data: RequestOf<T>): Promise<ResponseOf<T>> => {
    const route = (routes as unknown as Record<string, Route<T>>)[type]!;
    expect(route.allow).toEqual(['extension-page']);
    return route.handle(data, {});
  };
  return { repos, call };
}

const rest = (id: string, config: Record<string, unknown>) => ({ integration: { id, name: id, kind: 'rest' as const, config: config as never } });

describe('integrations.test (REST and GraphQL)', () => {
  it('a GET to baseUrl + healthPath with the integration’s headers and the vault’s token; any status is reachable', async () => {
    const { call, repos } = await setup();
    await repos.env.set('CRM_BASE', api.origin);
    await call('integrations.save', rest('crm', { baseUrl: '{{env.CRM_BASE}}/v1', healthPath: '/health', headers: { 'X-Client': 'ferry' }, auth: { type: 'bearer', token: '{{credentials.apiToken}}' } }));
    const result = await call('integrations.test', { id: 'crm' });
    expect(result).toMatchObject({ ok: true, reachable: true, httpStatus: 200, detail: `Reachable: GET ${api.origin.replace('http://', '')}/v1/health answered 200` });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    const request = seen.findLast((r) => r.url === '/v1/health')!;
    expect(request.headers).toMatchObject({ 'x-client': 'ferry', authorization: `Bearer ${TOKEN}` });
    // Kept as the last test; health reports it with the breaker (closed: no run has tripped it).
    const [health] = await call('integrations.health', undefined);
    expect(health).toMatchObject({ id: 'crm', breaker: { key: api.origin.replace('http://', ''), state: 'closed' }, lastTest: { ok: true, httpStatus: 200 } });

    await call('integrations.save', rest('missing', { baseUrl: `${api.origin}/v1/nothing` }));
    expect(await call('integrations.test', { id: 'missing' })).toMatchObject({ ok: true, reachable: true, httpStatus: 404 });
  });

  it('a 401 is "reachable, credentials refused", and the refused token is not in the answer', async () => {
    const { call } = await setup();
    await call('integrations.save', rest('secure', { baseUrl: `${api.origin}/v1/secure`, auth: { type: 'bearer', token: '{{credentials.wrongToken}}' } }));
    const result = await call('integrations.test', { id: 'secure' });
    expect(result).toMatchObject({ ok: false, reachable: true, httpStatus: 401 });
    expect(result.detail).toMatch(/^Reachable, credentials refused \(GET .+\/v1\/secure answered 401\)$/);
    expect(result.error).toContain('check the auth settings');
    expect(JSON.stringify(result)).not.toContain('tok-wrong');
    expect(JSON.stringify(await call('integrations.list', undefined))).not.toContain('tok-');
    // With the right credential it passes.
    await call('integrations.save', rest('secure', { baseUrl: `${api.origin}/v1/secure`, auth: { type: 'bearer', token: '{{credentials.apiToken}}' } }));
    expect(await call('integrations.test', { id: 'secure' })).toMatchObject({ ok: true, httpStatus: 200 });
  });

  it('a refused port says it is not reachable, and what to check', async () => {
    const { call } = await setup();
    const port = await refusedPort();
    await call('integrations.save', rest('down', { baseUrl: `http://127.0.0.1:${port}/v1`, auth: { type: 'apiKey', in: 'query', name: 'key', value: '{{credentials.apiToken}}' } }));
    const result = await call('integrations.test', { id: 'down' });
    expect(result).toMatchObject({ ok: false, reachable: false, detail: 'Not reachable' });
    expect(result.error).toContain(`127.0.0.1:${port}`);
    expect(result.error).toContain('ECONNREFUSED');
    expect(result.error).toContain('Check that the server is running');
    expect(result.error).not.toContain(TOKEN);
  });

  it('a missing credential or variable is named, and nothing is sent', async () => {
    const { call } = await setup();
    const before = seen.length;
    await call('integrations.save', rest('nocred', { baseUrl: `${api.origin}/v1/health`, auth: { type: 'bearer', token: '{{credentials.nope}}' } }));
    expect(await call('integrations.test', { id: 'nocred' })).toMatchObject({ ok: false, detail: 'Not tested: a credential or variable is missing', error: expect.stringContaining('there is no credential named "nope"') });
    expect(seen.length).toBe(before);
    await expect(call('integrations.test', { id: 'gone' })).rejects.toThrow('There is no integration "gone"');
  });

  it('GraphQL: POSTs { __typename } with the bearer token', async () => {
    const { call } = await setup();
    await call('integrations.save', { integration: { id: 'gql', name: 'GraphQL', kind: 'graphql', config: { endpoint: gql.endpoint, auth: { type: 'bearer', token: '{{credentials.apiToken}}' } } } });
    const result = await call('integrations.test', { id: 'gql' });
    expect(result).toMatchObject({ ok: true, reachable: true, httpStatus: 200, detail: 'Reachable: POST { __typename } answered 200' });
    expect(gql.requests.at(-1)).toMatchObject({ query: '{ __typename }', headers: { authorization: `Bearer ${TOKEN}` } });
  });
});
