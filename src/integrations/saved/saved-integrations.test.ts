import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error';
import { createRepositories } from '../../storage/repositories';
import { testDb } from '../../storage/test-db.test-support';
import { integrationHealth, readBreakerState } from './health';
import { breakerKeyOf, joinUrl } from './render';
import { integrationIssues, parseIntegration } from './schema';

const rest = (config: Record<string, unknown>) => ({ id: 'crm', name: 'CRM', kind: 'rest', config });
const messages = (value: unknown) => integrationIssues(value).map((i) => i.message);

describe('saved integration schema', () => {
  it('accepts each kind with credential references', () => {
    expect(parseIntegration(rest({ baseUrl: '{{env.CRM_BASE}}/v1', headers: { 'X-Client': 'ferry', Authorization: 'Bearer {{credentials.crmToken}}' }, auth: { type: 'apiKey', in: 'query', name: 'key', value: '{{credentials.crmKey}}' }, healthPath: '/health' }))).toMatchObject({ kind: 'rest' });
    expect(parseIntegration({ id: 'shop-gql', name: 'Shop', kind: 'graphql', config: { endpoint: 'https://shop.test/graphql', auth: { type: 'bearer', token: '{{credentials.shopToken}}' } } })).toMatchObject({ kind: 'graphql' });
    expect(parseIntegration({ id: 'warehouse', name: 'Warehouse', kind: 'database', config: { connectionConfig: { type: 'postgresql', host: '{{env.DB_HOST}}', port: '{{env.DB_PORT}}', database: 'wh', username: '{{credentials.dbUser}}', password: '{{credentials.dbPassword}}' }, connectionPool: { maxConnections: 5 } } })).toMatchObject({ kind: 'database' });
  });

  it('refuses a secret written out, in auth, in a secret-looking header and in a database password, naming each path', () => {
    expect(messages(rest({ baseUrl: 'https://crm.test', auth: { type: 'bearer', token: 'sk-live-123' } }))).toEqual([
      'config.auth.token: expected a credential reference such as "{{credentials.apiToken}}" (secrets live in the credential store, not in the pipeline), got a value (not shown)',
    ]);
    expect(messages(rest({ baseUrl: 'https://crm.test', headers: { 'X-Api-Key': 'abc123' } }))[0]).toMatch(/^config\.headers\["X-Api-Key"\]: expected a credential reference/);
    expect(messages({ id: 'db', name: 'DB', kind: 'database', config: { connectionConfig: { type: 'postgresql', password: 'hunter2' } } })[0]).toMatch(/^config\.connectionConfig\.password: expected a credential reference/);
  });

  it('names bad ids, URLs, health paths, unknown keys and kinds in the pipelines’ words', () => {
    expect(messages({ ...rest({ baseUrl: 'ftp://x', healthPath: 'health', timeout: 1 }), id: 'Not OK' })).toEqual([
      'id: expected an id of lower-case letters, digits, "-" and "_" (at most 64), such as "crm-api", got "Not OK"',
      'config.baseUrl: expected an absolute http or https URL such as "https://api.example.com/v1/data" (templates allowed), got "ftp://x"',
      'config.healthPath: expected a path such as "/health" (starting with "/" or "?"), got "health"',
      'config.timeout: unknown key; expected one of the keys "baseUrl", "headers", "auth", "healthPath"',
    ]);
    expect(messages({ id: 'x', name: 'X', kind: 'soap', config: {} })[0]).toBe('kind: expected an integration: {"id": ..., "name": ..., "kind": "rest" | "graphql" | "database", "config": {...}}, got "soap"');
    expect(() => parseIntegration(rest({}))).toThrow(/The integration has a problem:\n- config\.baseUrl: expected an absolute http or https URL/);
  });

  it('joins a base URL and a path with one slash', () => {
    expect(joinUrl('https://a.test/v1/', '/health')).toBe('https://a.test/v1/health');
    expect(joinUrl('https://a.test/v1', 'health')).toBe('https://a.test/v1/health');
    expect(joinUrl('https://a.test/v1', '?ping=1')).toBe('https://a.test/v1?ping=1');
    expect(joinUrl('https://a.test/v1', undefined)).toBe('https://a.test/v1');
  });
});

describe('Integrations repository', () => {
  it('saves, lists by name, refuses an existing id on create, keeps createdAt, drops the last test when the config changes, deletes', async () => {
    let now = 1;
    const repos = createRepositories(await testDb(), { now: () => now });
    await repos.integrations.save(rest({ baseUrl: 'https://crm.test' }), { create: true });
    await repos.integrations.save({ id: 'a-db', name: 'Analytics', kind: 'database', config: { connectionConfig: { type: 'sqlite', database: 'a.sqlite' } } });
    expect((await repos.integrations.list()).map((r) => r.name)).toEqual(['Analytics', 'CRM']);
    const exists = await repos.integrations.save(rest({ baseUrl: 'https://other.test' }), { create: true }).catch((e: unknown) => e);
    expect(isFerryError(exists, 'INTEGRATION_EXISTS')).toBe(true);
    const invalid = await repos.integrations.save(rest({ baseUrl: 'nope' })).catch((e: unknown) => e);
    expect(isFerryError(invalid, 'INTEGRATION_INVALID')).toBe(true);

    await repos.integrations.recordTest('crm', { ok: true, reachable: true, latencyMs: 3, detail: 'Reachable', at: 1 });
    now = 2;
    expect(await repos.integrations.save({ ...rest({ baseUrl: 'https://crm.test' }), name: 'CRM (prod)' })).toMatchObject({ createdAt: 1, updatedAt: 2, lastTest: { ok: true } });
    const changed = await repos.integrations.save(rest({ baseUrl: 'https://crm2.test' }));
    expect(changed.lastTest).toBeUndefined();
    expect(await repos.integrations.delete('crm')).toBe(true);
    expect(await repos.integrations.delete('crm')).toBe(false);
  });
});

describe('integration health', () => {
  const closed = JSON.stringify({ version: 1, kind: 'consecutive', policy: { ownState: { value: 0 }, breakerState: 0 } });
  const open = JSON.stringify({ version: 1, kind: 'consecutive', policy: { ownState: { value: 1, openedAt: 1234, attemptNo: 1 }, breakerState: 5 } });
  const halfOpen = JSON.stringify({ version: 1, kind: 'consecutive', policy: { ownState: { value: 1, openedAt: 0, attemptNo: 1 }, breakerState: 5 } });

  it('reads the persisted circuit state as cockatiel writes it', () => {
    expect(readBreakerState(closed)).toEqual({ state: 'closed' });
    expect(readBreakerState(open)).toEqual({ state: 'open', openedAt: 1234 });
    expect(readBreakerState(halfOpen)).toEqual({ state: 'halfOpen' });
    expect(readBreakerState('not json')).toEqual({ state: 'unknown' });
  });

  it('keys REST and GraphQL by the URL’s host (env resolved) and databases by db:<label>, as the runs do', async () => {
    const env = async (names: string[]) => Object.fromEntries(names.filter((n) => n === 'CRM_BASE' || n === 'DB_HOST').map((n) => [n, n === 'CRM_BASE' ? 'https://CRM.test:8443/v1' : '10.0.0.5']));
    expect(await breakerKeyOf(parseIntegration(rest({ baseUrl: '{{env.CRM_BASE}}/x' })), env)).toBe('crm.test:8443');
    expect(await breakerKeyOf(parseIntegration(rest({ baseUrl: '{{env.UNSET}}/x' })), env)).toBeUndefined();
    expect(await breakerKeyOf(parseIntegration({ id: 'g', name: 'G', kind: 'graphql', config: { endpoint: 'http://127.0.0.1:4000/graphql' } }), env)).toBe('127.0.0.1:4000');
    expect(await breakerKeyOf(parseIntegration({ id: 'd', name: 'D', kind: 'database', config: { connectionConfig: { type: 'postgresql', host: '{{env.DB_HOST}}', database: 'wh', password: '{{credentials.p}}' } } }), env)).toBe('db:postgresql:10.0.0.5:5432/wh');
    expect(await breakerKeyOf(parseIntegration({ id: 's', name: 'S', kind: 'database', config: { connectionConfig: { type: 'sqlite', database: 'Crm.sqlite' } } }), env)).toBe('db:sqlite:crm.sqlite');
  });

  it('reports each integration’s breaker from the store and its last test', async () => {
    const repos = createRepositories(await testDb());
    await repos.integrations.save(rest({ baseUrl: 'https://crm.test/v1' }));
    await repos.integrations.save({ id: 'db', name: 'DB', kind: 'database', config: { connectionConfig: { type: 'sqlite', database: 'x.sqlite' } } });
    await repos.integrations.save({ id: 'new', name: 'New', kind: 'graphql', config: { endpoint: 'https://new.test/graphql' } });
    await repos.db.breakerState.put({ host: 'crm.test', state: open, updatedAt: 5 });
    await repos.db.breakerState.put({ host: 'db:sqlite:x.sqlite', state: halfOpen, updatedAt: 6 });
    await repos.integrations.recordTest('db', { ok: false, reachable: false, latencyMs: 2, detail: 'Failed', error: 'no', at: 7 });
    const health = await integrationHealth(await repos.integrations.list(), { env: (n) => repos.env.values(n), breakerRow: (k) => repos.db.breakerState.get(k) });
    expect(health.map((h) => [h.id, h.breaker.state, h.breaker.key, h.lastTest?.ok])).toEqual([
      ['crm', 'open', 'crm.test', undefined],
      ['db', 'halfOpen', 'db:sqlite:x.sqlite', false],
      ['new', 'closed', 'new.test', undefined],
    ]);
  });
});
