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

/** A test-only next version: a new index on runs and a field every existing run gains. */
const V2: SchemaVersion = {
  version: 2,
  stores: { runs: 'id, status, [pipelineId+createdAt], updatedAt' },
  upgrade: (tx) => tx.table('runs').toCollection().modify((row: Record<string, unknown>) => {
    row.label = `run ${String(row.id)}`;
  }),
};

describe('ferry database', () => {
  it('opens at version 1 with every table', async () => {
    const db = await testDb();
    expect(db.verno).toBe(1);
    expect(db.tables.map((t) => t.name).sort()).toEqual([
      'audit', 'breakerState', 'credentials', 'deadLetters', 'jobs', 'keys', 'pipelines', 'rejects', 'responseCache', 'results', 'runs',
    ]);
  });

  it('upgrades a version 1 database to a later version and keeps its data', async () => {
    const name = uniqueDbName();
    const v1 = await testDb(name);
    await v1.runs.bulkAdd([run('a'), run('b')]);
    await v1.jobs.add({ runId: 'a', seq: 0, status: 'pending', records: [{ x: 1 }], idempotencyKey: 'k', attempts: 0, nextAttemptAt: 0, createdAt: 1, updatedAt: 1 });
    v1.close();

    const v2 = await testDb(name, [...SCHEMA, V2]);
    expect(v2.verno).toBe(2);
    const runs = await v2.runs.orderBy('updatedAt').toArray();
    expect(runs.map((r) => [r.id, (r as RunRow & { label?: string }).label])).toEqual([['a', 'run a'], ['b', 'run b']]);
    expect(await v2.jobs.where('[runId+seq]').equals(['a', 0]).first()).toMatchObject({ idempotencyKey: 'k', records: [{ x: 1 }] });
  });

  it('names a failed migration as a FerryError and leaves the data at the old version', async () => {
    const name = uniqueDbName();
    const v1 = await testDb(name);
    await v1.runs.add(run('a'));
    v1.close();

    const broken: SchemaVersion = { version: 2, stores: {}, upgrade: () => Promise.reject(new Error('bad migration')) };
    const failure = await testDb(name, [...SCHEMA, broken]).catch((e: unknown) => e);
    expect(isFerryError(failure, 'STORAGE_OPEN_FAILED')).toBe(true);

    const again = await testDb(name);
    expect(again.verno).toBe(1);
    expect(await again.runs.get('a')).toMatchObject({ id: 'a' });
  });

  it('still opens a database that a newer Ferry upgraded (after a downgrade)', async () => {
    const name = uniqueDbName();
    const v2 = await testDb(name, [...SCHEMA, V2]);
    await v2.runs.add(run('a'));
    v2.close();
    const v1 = await testDb(name);
    expect(await v1.runs.get('a')).toMatchObject({ id: 'a' });
  });

  it('a database object declares the same schema without opening', () => {
    const db = new FerryDB(uniqueDbName());
    expect(db.isOpen()).toBe(false);
    expect(db.tables.length).toBe(11);
  });
});
