import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { FerryDB } from './db';
import type { RunRow } from './rows';
import { SCHEMA, type SchemaVersion } from './schema';
import { testDb, uniqueDbName } from './test-db.test-support';

const run = (id: string): RunRow => ({
  id, pipelineId: 'p1', status: 'queued', createdAt: 1, updatedAt: 1,
  counts: { extracted: 0, rejected: 0, sent: 0, failed: 0, retried: 0 },
});

const LATEST = SCHEMA[SCHEMA.length - 1]!.version;
const V1 = SCHEMA.filter((v) => v.version === 1);

/** A test-only next version: a new index on runs and a field every existing run gains. */
const NEXT: SchemaVersion = {
  version: LATEST + 1,
  stores: { runs: 'id, status, [pipelineId+createdAt], updatedAt' },
  upgrade: (tx) => tx.table('runs').toCollection().modify((row: Record<string, unknown>) => {
    row.label = `run ${String(row.id)}`;
  }),
};

describe('ferry database', () => {
  it('opens at the latest version with every table', async () => {
    const db = await testDb();
    expect(db.verno).toBe(LATEST);
    expect(db.tables.map((t) => t.name).sort()).toEqual([
      'apiKeys', 'audit', 'breakerState', 'credentials', 'deadLetters', 'envVars', 'integrations', 'jobs', 'keys', 'oauthConnections', 'pipelines', 'rejects', 'responseCache', 'results', 'runDefinitions', 'runs', 'settings', 'vaultState',
    ]);
  });

  it('upgrades a version 1 database to the latest and keeps all of its data', async () => {
    const name = uniqueDbName();
    const v1 = await testDb(name, V1);
    expect(v1.verno).toBe(1);
    await v1.runs.bulkAdd([run('a'), run('b')]);
    await v1.pipelines.add({ id: 'p1', name: 'Contacts', updatedAt: 1, document: { version: 1 } });
    await v1.deadLetters.add({ runId: 'a', pipelineId: 'p1', jobId: 1, records: [{ x: 1 }], idempotencyKey: 'k', attempts: 3, lastOutcome: { label: 'server_error' }, createdAt: 1 });
    await v1.audit.add({ runId: 'a', at: 1, method: 'POST', host: 'api.test', path: '/v1', durationMs: 1, attempt: 1, outcome: 'success' });
    v1.close();

    const v2 = await testDb(name);
    expect(v2.verno).toBe(LATEST);
    expect((await v2.runs.toArray()).map((r) => r.id).sort()).toEqual(['a', 'b']);
    expect(await v2.pipelines.get('p1')).toMatchObject({ name: 'Contacts', document: { version: 1 } });
    expect(await v2.deadLetters.where('runId').equals('a').toArray()).toMatchObject([{ idempotencyKey: 'k', records: [{ x: 1 }] }]);
    expect(await v2.audit.where('runId').equals('a').count()).toBe(1);
    // The new table is there and empty, and works.
    expect(await v2.envVars.count()).toBe(0);
    await v2.envVars.put({ name: 'API_BASE', value: 'https://api.test', createdAt: 2, updatedAt: 2 });
    expect(await v2.envVars.get('API_BASE')).toMatchObject({ value: 'https://api.test' });
  });

  it('upgrades a version 2 database to version 3: run definitions move out of the run rows, nothing else changes', async () => {
    const name = uniqueDbName();
    const v2 = await testDb(name, SCHEMA.filter((v) => v.version <= 2));
    const definition = { pipeline: { id: 'p1', steps: [] }, source: { url: 'https://shop.test/' }, env: { API_BASE: 'https://api.test' } };
    await v2.runs.bulkAdd([{ ...run('a'), counts: { ...run('a').counts, sent: 3 }, definition } as RunRow, run('b')]);
    v2.close();

    const v3 = await testDb(name);
    expect(await v3.runDefinitions.toArray()).toEqual([{ runId: 'a', ...definition }]);
    const a = await v3.runs.get('a');
    expect(a).toMatchObject({ id: 'a', counts: { sent: 3 } });
    expect(a).not.toHaveProperty('definition');
    expect(await v3.runs.get('b')).toEqual(run('b'));
  });

  it('upgrades a version 3 database to version 4: the vault keeps its key and credentials, the lock and OAuth tables start empty', async () => {
    const name = uniqueDbName();
    const v3 = await testDb(name, SCHEMA.filter((v) => v.version <= 3));
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode('secret'));
    await v3.keys.add({ id: 'vault.data.1', key, createdAt: 1 });
    await v3.credentials.add({ name: 'apiToken', ciphertext, iv, keyId: 'vault.data.1', last4: '', createdAt: 1, updatedAt: 1 });
    await v3.runs.add(run('a'));
    v3.close();

    const v4 = await testDb(name, SCHEMA.filter((v) => v.version <= 4));
    expect(v4.verno).toBe(4);
    const stored = (await v4.keys.get('vault.data.1'))!;
    expect(stored.key.extractable).toBe(false);
    const row = (await v4.credentials.get('apiToken'))!;
    expect(new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: row.iv }, stored.key, row.ciphertext))).toBe('secret');
    expect(await v4.runs.get('a')).toEqual(run('a'));
    expect(await v4.vaultState.count()).toBe(0);
    expect(await v4.oauthConnections.count()).toBe(0);
    await v4.vaultState.put({ id: 'settings', autoLockMinutes: 15, updatedAt: 2 });
    expect(await v4.vaultState.get('settings')).toMatchObject({ autoLockMinutes: 15 });
  });

  it('upgrades a version 4 database to version 5: an empty integrations table, nothing else changes', async () => {
    const name = uniqueDbName();
    const v4old = await testDb(name, SCHEMA.filter((v) => v.version <= 4));
    await v4old.runs.add(run('a'));
    await v4old.envVars.put({ name: 'API_BASE', value: 'https://api.test', createdAt: 1, updatedAt: 1 });
    v4old.close();

    const v5 = await testDb(name, SCHEMA.filter((v) => v.version <= 5));
    expect(v5.verno).toBe(5);
    expect(await v5.runs.get('a')).toEqual(run('a'));
    expect(await v5.envVars.get('API_BASE')).toMatchObject({ value: 'https://api.test' });
    expect(await v5.integrations.count()).toBe(0);
    await v5.integrations.put({ id: 'crm', name: 'CRM', kind: 'rest', config: { baseUrl: 'https://crm.test' }, createdAt: 2, updatedAt: 2 });
    expect(await v5.integrations.where('kind').equals('rest').primaryKeys()).toEqual(['crm']);
  });

  it('upgrades a version 5 database to version 6: audit entries, credentials and connections stay, API keys and settings start empty', async () => {
    const name = uniqueDbName();
    const v5old = await testDb(name, SCHEMA.filter((v) => v.version <= 5));
    await v5old.audit.add({ runId: 'a', at: 1, method: 'POST', host: 'api.test', path: '/v1', durationMs: 1, attempt: 1, outcome: 'success' });
    await v5old.oauthConnections.add({ name: 'svc' } as never);
    await v5old.runs.add(run('a'));
    v5old.close();

    const v6 = await testDb(name, SCHEMA.filter((v) => v.version <= 6));
    expect(v6.verno).toBe(6);
    expect(await v6.audit.where('runId').equals('a').toArray()).toMatchObject([{ method: 'POST', outcome: 'success' }]);
    expect(await v6.oauthConnections.get('svc')).toEqual({ name: 'svc' });
    expect(await v6.runs.get('a')).toEqual(run('a'));
    expect(await v6.apiKeys.count()).toBe(0);
    expect(await v6.settings.count()).toBe(0);
    await v6.apiKeys.put({ name: 'k', baseUrl: 'https://api.test', auth: { in: 'header', name: 'X-API-Key' }, config: {}, createdAt: 1, rotatedAt: 1 });
    await v6.settings.put({ key: 'audit.retentionDays', value: 7, updatedAt: 1 });
    expect(await v6.apiKeys.get('k')).toMatchObject({ baseUrl: 'https://api.test' });
    expect(await v6.settings.get('audit.retentionDays')).toMatchObject({ value: 7 });
  });

  it('upgrades to a later version and keeps its data', async () => {
    const name = uniqueDbName();
    const v1 = await testDb(name);
    await v1.runs.bulkAdd([run('a'), run('b')]);
    await v1.jobs.add({ runId: 'a', seq: 0, status: 'pending', records: [{ x: 1 }], idempotencyKey: 'k', attempts: 0, nextAttemptAt: 0, createdAt: 1, updatedAt: 1 });
    v1.close();

    const v2 = await testDb(name, [...SCHEMA, NEXT]);
    expect(v2.verno).toBe(LATEST + 1);
    const runs = await v2.runs.orderBy('updatedAt').toArray();
    expect(runs.map((r) => [r.id, (r as RunRow & { label?: string }).label])).toEqual([['a', 'run a'], ['b', 'run b']]);
    expect(await v2.jobs.where('[runId+seq]').equals(['a', 0]).first()).toMatchObject({ idempotencyKey: 'k', records: [{ x: 1 }] });
  });

  it('names a failed migration as a FerryError and leaves the data at the old version', async () => {
    const name = uniqueDbName();
    const v1 = await testDb(name);
    await v1.runs.add(run('a'));
    v1.close();

    const broken: SchemaVersion = { version: LATEST + 1, stores: {}, upgrade: () => Promise.reject(new Error('bad migration')) };
    const failure = await testDb(name, [...SCHEMA, broken]).catch((e: unknown) => e);
    expect(isFerryError(failure, 'STORAGE_OPEN_FAILED')).toBe(true);

    const again = await testDb(name);
    expect(again.verno).toBe(LATEST);
    expect(await again.runs.get('a')).toMatchObject({ id: 'a' });
  });

  it('still opens a database that a newer Ferry upgraded (after a downgrade)', async () => {
    const name = uniqueDbName();
    const v2 = await testDb(name, [...SCHEMA, NEXT]);
    await v2.runs.add(run('a'));
    v2.close();
    const v1 = await testDb(name);
    expect(await v1.runs.get('a')).toMatchObject({ id: 'a' });
  });

  it('a database object declares the same schema without opening', () => {
    const db = new FerryDB(uniqueDbName());
    expect(db.isOpen()).toBe(false);
    expect(db.tables.length).toBe(18);
  });
});
