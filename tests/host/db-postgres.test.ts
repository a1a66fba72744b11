/**
 * `db.*` on PostgreSQL over real frames against the real server on 127.0.0.1:5432 (database `test`,
 * trust auth; `.ci/run` starts it). Everything happens in a schema of this run's own
 * (`ferry_pg_<random>`), dropped with CASCADE afterwards: every operation, the three conflict modes,
 * a failed batch rolled back, the error codes, pool exhaustion and recovery, a > 1 MiB select through
 * $/chunk, JSONB round trips, and a connection killed mid-batch.
 */
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol';
import { hostsForEachTest, type HostProcess } from './host-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SCHEMA = `ferry_pg_${process.pid}_${Date.now().toString(36)}`;
const server = { host: '127.0.0.1', port: 5432, database: 'test', username: 'postgres' };
const connectionConfig = { type: 'postgresql', ...server, ssl: false, poolSize: 4 };
const startHost = hostsForEachTest({ assertCleanStdout: true });
let admin: pg.Client;
let nextId = 1;

async function ok(host: HostProcess, method: string, params: Json, timeoutMs = 20_000): Promise<Json> {
  const response = await host.call(nextId++, method, { connectionConfig, ...params }, timeoutMs);
  expect(response.error, JSON.stringify(response.error)).toBeUndefined();
  return response.result;
}

async function fails(host: HostProcess, method: string, params: Json, timeoutMs = 20_000): Promise<Json> {
  const response = await host.call(nextId++, method, { connectionConfig, ...params }, timeoutMs);
  expect(response.result, 'expected an error').toBeUndefined();
  return response.error;
}

async function count(table: string): Promise<number> {
  return Number((await admin.query(`SELECT count(*) AS n FROM ${SCHEMA}.${table}`)).rows[0].n);
}

beforeAll(async () => {
  admin = new pg.Client({ ...server, user: server.username });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
});

afterAll(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin?.end();
});

describe('db.* on PostgreSQL', () => {
  it('inserts the seed block, creating the table with types (jsonb, timestamptz, bigint, boolean), and round-trips JSONB', async () => {
    const host = startHost();
    const table = `${SCHEMA}.extracted_data`;
    const metadata = { tags: ['x', 'ü'], n: 1, nested: { ok: true, none: null } };
    const seed = {
      operation: 'insert',
      table,
      data: { url: 'https://a.test/1', title: 'One', content: 'text', extracted_at: '2025-01-02T00:00:00Z', metadata, views: 3, score: 1.5, live: true },
      onConflict: 'update',
      conflictTarget: 'url',
    };
    expect(await ok(host, 'db.insert', seed)).toEqual({ inserted: 1, updated: 0, ignored: 0, tableCreated: true });
    expect(await ok(host, 'db.insert', { ...seed, data: { ...seed.data, title: 'One again' } })).toEqual({ inserted: 0, updated: 1, ignored: 0, tableCreated: false });
    const types = await admin.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'extracted_data' ORDER BY ordinal_position`, [SCHEMA]);
    expect(Object.fromEntries(types.rows.map((r) => [r.column_name, r.data_type]))).toEqual({
      url: 'text', title: 'text', content: 'text', extracted_at: 'timestamp with time zone', metadata: 'jsonb', views: 'bigint', score: 'double precision', live: 'boolean',
    });
    const selected = await ok(host, 'db.select', { query: `SELECT title, metadata, extracted_at, views, score, live, metadata->'tags'->>1 AS tag FROM ${table} WHERE metadata @> $1::jsonb`, parameters: ['{"n":1}'] });
    expect(selected).toEqual({
      columns: ['title', 'metadata', 'extracted_at', 'views', 'score', 'live', 'tag'],
      rows: [{ title: 'One again', metadata, extracted_at: '2025-01-02T00:00:00.000Z', views: 3, score: 1.5, live: true, tag: 'ü' }],
      rowCount: 1,
    });
    expect((await host.call(nextId++, 'system.info')).result.capabilities).toContain('db');
  });

  it('keeps the three conflict modes apart with exact counts, judging on the primary key when no target is given', async () => {
    const host = startHost();
    const table = `${SCHEMA}.items`;
    await ok(host, 'db.execute', { query: `CREATE TABLE IF NOT EXISTS ${table} (sku text PRIMARY KEY, price double precision NOT NULL, qty integer)` });
    expect(await ok(host, 'db.insert', { table, data: { sku: 'a', price: 1, qty: 1 } })).toMatchObject({ inserted: 1 });
    const unique = await fails(host, 'db.insert', { table, data: { sku: 'a', price: 2 } });
    expect(unique).toMatchObject({ code: ErrorCode.DbUniqueViolation, data: { codeName: 'DbUniqueViolation', sqlstate: '23505', table: 'items', rowIndex: 0 } });
    expect(unique.message).toMatch(/onConflict/);
    expect(await ok(host, 'db.insert', { table, data: [{ sku: 'a', price: 3 }, { sku: 'b', price: 4 }], onConflict: 'ignore' })).toMatchObject({ inserted: 1, ignored: 1, updated: 0 });
    // The same key twice in one call: the later record wins, as it does row by row.
    expect(await ok(host, 'db.insert', { table, data: [{ sku: 'a', price: 5 }, { sku: 'c', price: 6 }, { sku: 'c', price: 7, qty: 2 }], onConflict: 'update' })).toMatchObject({ inserted: 1, updated: 2, ignored: 0 });
    const rows = await ok(host, 'db.select', { query: `SELECT sku, price, qty FROM ${table} ORDER BY sku` });
    expect(rows.rows).toEqual([{ sku: 'a', price: 5, qty: 1 }, { sku: 'b', price: 4, qty: null }, { sku: 'c', price: 7, qty: 2 }]);
    expect(await ok(host, 'db.execute', { query: `UPDATE ${table} SET qty = :qty WHERE price > :min`, parameters: { qty: 9, min: 4.5 } })).toEqual({ changes: 2 });
  });

  it('selects with the seed query ($1, $2), named parameters, and pages with a cursor', async () => {
    const host = startHost();
    const table = `${SCHEMA}.seeded`;
    await ok(host, 'db.batchInsert', { table, data: [1, 2, 3].map((d) => ({ url: 'u', extracted_at: `2025-01-0${d}`, n: d })) });
    const seedQuery = `\n    SELECT * FROM ${table}\n    WHERE url = $1\n    AND extracted_at > $2\n    ORDER BY extracted_at DESC\n    LIMIT 10\n    `;
    expect((await ok(host, 'db.select', { operation: 'select', query: seedQuery, parameters: ['u', '2025-01-01'] })).rows.map((r: Json) => r.n)).toEqual([3, 2]);
    for (const style of [':', '@', '$']) {
      const named = await ok(host, 'db.select', { query: `SELECT n FROM ${table} WHERE n >= ${style}min AND n <= ${style}min + 5 ORDER BY n`, parameters: { min: 2 }, rowMode: 'array' });
      expect(named).toEqual({ columns: ['n'], rows: [[2], [3]], rowCount: 2 });
    }
    const first = await ok(host, 'db.select', { query: `SELECT n FROM ${table} ORDER BY n`, maxRows: 2, rowMode: 'array' });
    expect(first).toMatchObject({ rows: [[1], [2]], rowCount: 2 });
    const second = await ok(host, 'db.select', { query: `SELECT n FROM ${table} ORDER BY n`, maxRows: 2, rowMode: 'array', cursor: first.nextCursor });
    expect(second).toEqual({ columns: ['n'], rows: [[3]], rowCount: 1 });
    expect(await fails(host, 'db.select', { query: `DELETE FROM ${table}` })).toMatchObject({ code: ErrorCode.DbQueryFailed });
    const writing = await fails(host, 'db.select', { query: `WITH d AS (DELETE FROM ${table} RETURNING n) SELECT * FROM d` });
    expect(writing).toMatchObject({ code: ErrorCode.DbQueryFailed, message: expect.stringMatching(/read-only/) });
    expect(await fails(host, 'db.select', { query: `SELECT n FROM ${table} FOR UPDATE` })).toMatchObject({ code: ErrorCode.DbQueryFailed, message: expect.stringMatching(/FOR UPDATE/) });
    expect(await fails(host, 'db.select', { query: `SELECT n, pg_advisory_lock(1) FROM ${table}` })).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused, data: { function: 'pg_advisory_lock' } });
    expect(await count('seeded')).toBe(3);
  });

  it('answers DbBadParameter, DbTableNotFound, DbColumnNotFound and DbSchemaChangeRefused with what to fix', async () => {
    const host = startHost();
    const table = `${SCHEMA}.t`;
    await ok(host, 'db.insert', { table, data: { id: 1, name: 'x' } });
    expect(await fails(host, 'db.select', { query: `SELECT * FROM ${table} WHERE id = $1 AND id = $2`, parameters: [1] })).toMatchObject({ code: ErrorCode.DbBadParameter, message: 'The query has 2 parameters but 1 was given' });
    const typed = await fails(host, 'db.select', { query: `SELECT * FROM ${table} WHERE id = $1`, parameters: ['not a number'] });
    expect(typed).toMatchObject({ code: ErrorCode.DbBadParameter, data: { sqlstate: '22P02' } });
    expect(typed.message).toMatch(/check the parameters/);
    const noTable = await fails(host, 'db.select', { query: `SELECT * FROM ${SCHEMA}.nope` });
    expect(noTable).toMatchObject({ code: ErrorCode.DbTableNotFound, data: { sqlstate: '42P01', table: `${SCHEMA}.nope` } });
    expect(await fails(host, 'db.insert', { table: `${SCHEMA}.nope`, data: { a: 1 }, createTable: false })).toMatchObject({ code: ErrorCode.DbTableNotFound });
    expect(await fails(host, 'db.insert', { table, data: [{ id: 2, name: 'y' }, { id: 3, name: 'z', extra: 1 }] })).toMatchObject({ code: ErrorCode.DbColumnNotFound, data: { sqlstate: '42703', column: 'extra', rowIndex: 1 } });
    expect(await fails(host, 'db.insert', { table: `${SCHEMA}.t"; DROP SCHEMA ${SCHEMA} CASCADE; --`, data: { a: 1 } })).toMatchObject({ code: ErrorCode.DbInvalidIdentifier });
    expect(await fails(host, 'db.execute', { query: `DROP TABLE ${table}` })).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused });
    expect(await fails(host, 'db.execute', { query: "SET search_path = 'x'" })).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused });
    expect(await fails(host, 'db.execute', { query: `DELETE FROM ${table}; DROP TABLE ${table}` })).toMatchObject({ code: ErrorCode.DbQueryFailed });
    expect(await fails(host, 'db.select', { query: 'SELEC 1' })).toMatchObject({ code: ErrorCode.DbQueryFailed });
    const evil = "x'); DROP TABLE t; --";
    await ok(host, 'db.insert', { table, data: { id: 4, name: evil } });
    expect((await ok(host, 'db.select', { query: `SELECT name FROM ${table} WHERE name = $1`, parameters: [evil] })).rows).toEqual([{ name: evil }]);
    expect(await count('t')).toBe(2);
  });

  it('rolls back a whole batch when one row breaks NOT NULL, keeping earlier batches; ignore and update per batch', async () => {
    const host = startHost();
    const table = `${SCHEMA}.bulk_data`;
    await ok(host, 'db.execute', { query: `CREATE TABLE IF NOT EXISTS ${table} (id bigint PRIMARY KEY, name text NOT NULL)` });
    const data = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: i === 7 ? null : `n${i}` }));
    const error = await fails(host, 'db.batchInsert', { operation: 'batchInsert', table, batchSize: 5, data, conflictResolution: 'ignore' });
    expect(error).toMatchObject({ code: ErrorCode.DbConstraintViolation, data: { sqlstate: '23502', batchIndex: 1, rowIndex: 7, committedBatches: 1, committedRows: 5 } });
    expect(error.message).toMatch(/Batch 1 \(rows 5-9\) was rolled back/);
    expect((await admin.query(`SELECT count(*)::int AS n, max(id)::int AS top FROM ${table}`)).rows).toEqual([{ n: 5, top: 5 }]);
    const again = await ok(host, 'db.batchInsert', { table, batchSize: 4, data: data.map((r) => ({ ...r, name: 'x' })), conflictResolution: 'ignore' });
    expect(again).toMatchObject({ inserted: 5, ignored: 5, updated: 0, total: 10, tableCreated: false });
    expect(again.batches.map((b: Json) => [b.rows, b.inserted, b.ignored])).toEqual([[4, 0, 4], [4, 3, 1], [2, 2, 0]]);
    expect(await ok(host, 'db.batchInsert', { table, data: [{ id: 1, name: 'new' }, { id: 99, name: 'z' }], conflictResolution: 'update' })).toMatchObject({ inserted: 1, updated: 1 });
    expect((await admin.query(`SELECT name FROM ${table} WHERE id = 1`)).rows).toEqual([{ name: 'new' }]);
  });

  it('writes a record table { columns, rows } exactly as the same records (types, jsonb, conflicts, row index), and refuses a malformed one with -32602', async () => {
    const host = startHost();
    const records = Array.from({ length: 25 }, (_, i) => ({ id: i, name: `n${i}`, score: i / 2, live: i % 2 === 0, at: `2025-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`, meta: i === 3 ? { tags: ['x', 'ü'] } : null }));
    const columns = ['id', 'name', 'score', 'live', 'at', 'meta'];
    const table = { columns, rows: records.map((r) => columns.map((c) => r[c as keyof typeof r])) };
    expect(await ok(host, 'db.batchInsert', { table: `${SCHEMA}.as_records`, data: records, batchSize: 10 })).toMatchObject({ inserted: 25, tableCreated: true });
    const result = await ok(host, 'db.batchInsert', { table: `${SCHEMA}.as_table`, data: table, batchSize: 10 });
    expect(result).toMatchObject({ inserted: 25, total: 25, tableCreated: true });
    expect(result.batches.map((b: Json) => b.rows)).toEqual([10, 10, 5]);
    const types = async (t: string) => (await admin.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, [SCHEMA, t])).rows;
    expect(await types('as_table')).toEqual(await types('as_records'));
    const all = async (t: string) => (await admin.query(`SELECT * FROM ${SCHEMA}.${t} ORDER BY id`)).rows;
    expect(await all('as_table')).toEqual(await all('as_records'));
    expect((await admin.query(`SELECT meta FROM ${SCHEMA}.as_table WHERE id = 3`)).rows).toEqual([{ meta: { tags: ['x', 'ü'] } }]);

    const keyed = `${SCHEMA}.keyed`;
    await ok(host, 'db.execute', { query: `CREATE TABLE IF NOT EXISTS ${keyed} (sku text PRIMARY KEY, price double precision NOT NULL)` });
    expect(await ok(host, 'db.insert', { table: keyed, data: { columns: ['price', 'sku'], rows: [[1, 'a'], [2, 'b']] } })).toMatchObject({ inserted: 2 });
    // "update" with a key repeated inside the call: the later row wins, counts stay exact.
    expect(await ok(host, 'db.insert', { table: keyed, data: { columns: ['price', 'sku'], rows: [[3, 'a'], [4, 'c'], [5, 'c']] }, onConflict: 'update' })).toMatchObject({ inserted: 1, updated: 2 });
    expect((await admin.query(`SELECT sku, price FROM ${keyed} ORDER BY sku`)).rows).toEqual([{ sku: 'a', price: 3 }, { sku: 'b', price: 2 }, { sku: 'c', price: 5 }]);
    const broken = await fails(host, 'db.batchInsert', { table: keyed, data: { columns: ['sku', 'price'], rows: [['d', 1], ['e', 1], ['f', null]] }, batchSize: 2 });
    expect(broken).toMatchObject({ code: ErrorCode.DbConstraintViolation, data: { sqlstate: '23502', batchIndex: 1, rowIndex: 2, committedRows: 2 } });

    const bad = async (data: unknown) => {
      const error = await fails(host, 'db.batchInsert', { table: keyed, data });
      expect(error.code).toBe(ErrorCode.InvalidParams);
      return error.data.issues.map((i: Json) => i.path);
    };
    expect(await bad({ columns: ['sku', 'price'], rows: [['g', 1], ['h']] })).toEqual(['params.data.rows[1]']);
    expect(await bad({ columns: 2, rows: [['g', 1]] })).toEqual(['params.data.columns']);
    expect(await bad({ columns: ['sku', 'price'], rows: [['g', 1], null] })).toEqual(['params.data.rows[1]']);
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${keyed}`)).rows).toEqual([{ n: 5 }]);
  });

  it('streams a select of more than 1 MiB intact through $/chunk', async () => {
    const host = startHost();
    const table = `${SCHEMA}.big`;
    const data = Array.from({ length: 6000 }, (_, i) => ({ i, text: `row ${i} ` + 'é'.repeat(150) + ' 😀 "quoted" \\' }));
    expect((await ok(host, 'db.batchInsert', { table, data, batchSize: 2500 })).batches).toHaveLength(3);
    const framesBefore = host.frames.length;
    const all = await ok(host, 'db.select', { query: `SELECT i, text FROM ${table} ORDER BY i` });
    expect(JSON.stringify(all).length).toBeGreaterThan(1024 * 1024);
    expect(host.frames.length - framesBefore).toBeGreaterThan(1);
    expect(all.rows).toEqual(data);
  });

  it('answers DbConnectionUnavailable for a refused port, an unknown database or user, never showing the password', async () => {
    const host = startHost();
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const password = 'hunter2-secret-pw';
    const refused = await fails(host, 'db.select', { connectionConfig: { ...connectionConfig, port: closed, password }, query: 'SELECT 1' });
    expect(refused).toMatchObject({ code: ErrorCode.DbConnectionUnavailable, data: { sqlstate: 'ECONNREFUSED' } });
    expect(refused.message).toContain(`127.0.0.1:${closed}`);
    expect(refused.message).toMatch(/check host and port/);
    const noDb = await fails(host, 'db.select', { connectionConfig: { ...connectionConfig, database: `${SCHEMA}_missing`, password }, query: 'SELECT 1' });
    expect(noDb).toMatchObject({ code: ErrorCode.DbConnectionUnavailable, data: { sqlstate: '3D000' } });
    expect(noDb.message).toMatch(/check the database name/);
    const noUser = await fails(host, 'db.select', { connectionConfig: { ...connectionConfig, username: `${SCHEMA}_nobody`, password }, query: 'SELECT 1' });
    expect(noUser.code).toBe(ErrorCode.DbConnectionUnavailable);
    expect(noUser.message).toMatch(/username and password/);
    const template = await fails(host, 'db.select', { connectionConfig: { ...connectionConfig, host: '{{env.DB_HOST}}', password: '{{credentials.dbPassword}}' }, query: 'SELECT 1' });
    expect(template).toMatchObject({ code: ErrorCode.DbConnectionUnavailable, data: { field: 'host' } });
    await host.stop();
    for (const text of [JSON.stringify(host.messages), host.stderr, host.logText()]) expect(text).not.toContain(password);
  });

  it('waits for a free connection up to acquireTimeout, answers DbPoolExhausted, then recovers', async () => {
    const host = startHost();
    const pool = { connectionConfig: { ...connectionConfig, poolSize: 1 }, connectionPool: { maxConnections: 1, acquireTimeout: 400, idleTimeout: 1000, keepAlive: true } };
    const slowId = nextId++;
    host.send({ jsonrpc: '2.0', id: slowId, method: 'db.select', params: { ...pool, query: 'SELECT pg_sleep(1.5) IS NULL AS slept' } });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const exhausted = await fails(host, 'db.select', { ...pool, query: 'SELECT 1 AS one' });
    expect(exhausted).toMatchObject({ code: ErrorCode.DbPoolExhausted, data: { codeName: 'DbPoolExhausted', poolSize: 1, acquireTimeout: 400 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(exhausted.message).toMatch(/acquireTimeout/);
    expect((await host.responseTo(slowId, 10_000)).result.rows).toEqual([{ slept: false }]);
    expect((await ok(host, 'db.select', { ...pool, query: 'SELECT 1 AS one' })).rows).toEqual([{ one: 1 }]);
  });

  it('rolls back the batch whose connection is killed (pg_terminate_backend) and serves the next call on a fresh connection', async () => {
    const host = startHost();
    const table = `${SCHEMA}.dropped`;
    await admin.query(`CREATE TABLE ${table} (id bigint PRIMARY KEY, name text)`);
    // Row 7 makes the INSERT of batch 1 sleep inside its transaction, long enough to kill its backend.
    await admin.query(`CREATE FUNCTION ${SCHEMA}.slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 7 THEN PERFORM pg_sleep(5); END IF; RETURN NEW; END $$`);
    await admin.query(`CREATE TRIGGER slow_row BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${SCHEMA}.slow_row()`);
    const id = nextId++;
    const data = Array.from({ length: 15 }, (_, i) => ({ id: i + 1, name: `n${i}` }));
    host.send({ jsonrpc: '2.0', id, method: 'db.batchInsert', params: { connectionConfig, table, batchSize: 5, data } });
    let pid: number | undefined;
    for (let tries = 0; tries < 100 && pid === undefined; tries += 1) {
      await new Promise((r) => setTimeout(r, 50));
      // Only the backend asleep on row 7 (batch 1): batch 0's INSERT is active too, for an instant.
      const found = await admin.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'ferry-host' AND state = 'active' AND wait_event = 'PgSleep' AND query LIKE $1`, [`INSERT INTO "${SCHEMA}"."dropped"%`]);
      pid = found.rows[0]?.pid;
    }
    expect(pid).toBeDefined();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const error = (await host.responseTo(id, 10_000)).error;
    expect(error).toMatchObject({ code: ErrorCode.DbConnectionUnavailable, data: { batchIndex: 1, committedRows: 5, connectionLost: true } });
    expect(error.message).toMatch(/rolled back/);
    expect((await admin.query(`SELECT count(*)::int AS n, max(id)::int AS top FROM ${table}`)).rows).toEqual([{ n: 5, top: 5 }]);
    await admin.query(`DROP TRIGGER slow_row ON ${table}`);
    const rest = await ok(host, 'db.batchInsert', { table, batchSize: 5, data, conflictResolution: 'ignore' });
    expect(rest).toMatchObject({ inserted: 10, ignored: 5 });
    expect(await count('dropped')).toBe(15);
  });
});
