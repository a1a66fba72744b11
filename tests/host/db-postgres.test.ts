/**
 * `db.*` on PostgreSQL over real frames against the real server on 127.0.0.1:5432 (database `test`,
 * trust auth; `.ci/run` starts it), as a least-privilege role of this run's own (tests/support/pg-role.ts) in a
 * schema of its own, both dropped afterwards: every operation, the three conflict modes, a failed
 * batch rolled back, the error codes, pool exhaustion and recovery, a > 1 MiB select through
 * $/chunk, JSONB round trips, a connection killed mid-batch, connections returned clean, calls
 * cancelled on the server, and the warning about a role (the superuser `postgres`) with rights
 * beyond its tables.
 */
import { createServer } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol';
import { hostsForEachTest, type HostProcess } from './host-process';
import { adminClient, createTestRole, PG_SERVER, type TestRole } from '../support/pg-role';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const startHost = hostsForEachTest({ assertCleanStdout: true });
let admin: pg.Client;
let testRole: TestRole;
let SCHEMA: string;
let connectionConfig: Json;
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

/** Resolves once `test` holds, asking again every 25 ms; fails after `timeoutMs`. */
async function until(what: string, test: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  admin = await adminClient();
  testRole = await createTestRole(admin, 'ferry_pg');
  SCHEMA = testRole.schema;
  connectionConfig = { type: 'postgresql', ...testRole.login, ssl: false, poolSize: 4 };
});

afterAll(async () => {
  await testRole?.drop();
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

  it('refuses a page past FERRY_HOST_MAX_RESULT_BYTES while fetching, saying the limit and what to do; smaller pages still run', async () => {
    const host = startHost({ env: { FERRY_HOST_MAX_RESULT_BYTES: String(25 * 1024 * 1024) } });
    const query = "SELECT g AS i, repeat('x', 10000000) AS big FROM generate_series(1, 12) AS g";
    const error = await fails(host, 'db.select', { query });
    expect(error.code).toBe(ErrorCode.DbQueryFailed);
    expect(error.message).toMatch(/over 25 MiB after 2 rows.*FERRY_HOST_MAX_RESULT_BYTES.*lower maxRows, select fewer or smaller columns.*cursor/);
    expect(error.data).toMatchObject({ maxResultBytes: 25 * 1024 * 1024, rowsCollected: 2 });
    const page = await ok(host, 'db.select', { query, maxRows: 2, rowMode: 'array' });
    expect(page.rows.map((r: Json[]) => [r[0], r[1].length])).toEqual([[1, 10_000_000], [2, 10_000_000]]);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect((await ok(host, 'db.select', { query: 'SELECT 1 AS one' })).rows).toEqual([{ one: 1 }]);
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

describe('connections go back to the pool clean', () => {
  const onePool = () => ({ connectionConfig: { ...connectionConfig, poolSize: 1 }, connectionPool: { maxConnections: 1, acquireTimeout: 20_000 } });
  const backendOf = async (host: HostProcess) => (await ok(host, 'db.select', { ...onePool(), query: 'SELECT pg_backend_pid() AS pid' })).rows[0].pid as number;
  const stateOf = async (pid: number) => (await admin.query<{ state: string | null; xact: boolean }>('SELECT state, backend_xid IS NOT NULL OR xact_start IS NOT NULL AS xact FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0];

  it('session state a call leaves (a sequence\'s currval) is gone on the next call on the same connection', async () => {
    // The SQL gate refuses TEMP tables, SET and the like; currval is session state an ordinary
    // insert leaves behind, so it shows whether the connection came back reset.
    const host = startHost();
    const pid = await backendOf(host);
    const table = `${SCHEMA}.counted_${process.pid}`;
    await ok(host, 'db.execute', { ...onePool(), query: `CREATE TABLE ${table} (id serial PRIMARY KEY, name text)`, allowSchemaChanges: true });
    await ok(host, 'db.execute', { ...onePool(), query: `INSERT INTO ${table} (name) VALUES ('a')` });
    const error = await fails(host, 'db.select', { ...onePool(), query: `SELECT currval(pg_get_serial_sequence($1, 'id')) AS last`, parameters: [table] });
    // 55000: "currval of sequence ... is not yet defined in this session", on the same backend.
    expect(error).toMatchObject({ data: { sqlstate: '55000' } });
    const after = await ok(host, 'db.select', { ...onePool(), query: `SELECT pg_backend_pid() AS pid, current_setting('search_path') AS path` });
    expect(after.rows).toEqual([{ pid, path: SCHEMA }]);
  });

  it('a failed select and a failed batch leave no transaction, open or aborted, behind', async () => {
    const host = startHost();
    const pid = await backendOf(host);
    expect(await fails(host, 'db.select', { ...onePool(), query: 'SELECT 1 / (random() * 0)::int AS boom' })).toMatchObject({ code: ErrorCode.DbQueryFailed, data: { sqlstate: '22012' } });
    // The response comes after the connection went back: it is idle, outside any transaction.
    expect(await stateOf(pid)).toEqual({ state: 'idle', xact: false });
    const table = `${SCHEMA}.strict_once`;
    await ok(host, 'db.execute', { ...onePool(), query: `CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL)`, allowSchemaChanges: true });
    expect(await fails(host, 'db.batchInsert', { ...onePool(), table, data: [{ id: 1, name: 'a' }, { id: 2, name: null }] })).toMatchObject({ code: ErrorCode.DbConstraintViolation });
    expect(await stateOf(pid)).toEqual({ state: 'idle', xact: false });
    expect(await ok(host, 'db.insert', { ...onePool(), table, data: { id: 3, name: 'c' } })).toMatchObject({ inserted: 1 });
    expect((await admin.query(`SELECT id FROM ${table}`)).rows).toEqual([{ id: 3 }]);
    expect(await backendOf(host)).toBe(pid);
  });

  it('$/cancelRequest cancels a running pg_sleep(30) on the server, and the same connection serves the next call', async () => {
    const host = startHost();
    const pid = await backendOf(host);
    const id = nextId++;
    host.send({ jsonrpc: '2.0', id, method: 'db.select', params: { ...onePool(), query: 'SELECT pg_sleep(30) IS NULL AS slept' } });
    // A select runs through a cursor: the sleep happens in FETCH, so the wait event tells, not the query text.
    const sleeping = async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND wait_event = 'PgSleep'`, [pid])).rowCount === 1;
    await until('the backend runs pg_sleep', sleeping);
    host.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } });
    expect((await host.responseTo(id)).error).toMatchObject({ code: ErrorCode.RequestCancelled });
    await until('pg_sleep no longer runs on that backend', async () => !(await sleeping()));
    await until('the backend is idle outside a transaction', async () => (await stateOf(pid))?.state === 'idle' && !(await stateOf(pid))!.xact);
    const next = await ok(host, 'db.select', { ...onePool(), query: 'SELECT pg_backend_pid() AS pid, 1 AS one' }, 10_000);
    expect(next.rows).toEqual([{ pid, one: 1 }]);
  });

  it('a cancelled write mid-transaction is rolled back, and a call cancelled while it waits for a connection never runs', async () => {
    const host = startHost();
    const table = `${SCHEMA}.cancelled_writes`;
    const marks = `${SCHEMA}.marks`;
    await ok(host, 'db.execute', { ...onePool(), query: `CREATE TABLE ${table} (id int, slow boolean)`, allowSchemaChanges: true });
    await ok(host, 'db.execute', { ...onePool(), query: `CREATE TABLE ${marks} (id int)`, allowSchemaChanges: true });
    const pid = await backendOf(host);
    // The INSERT sleeps inside its transaction (a subquery), holding the only connection.
    const writing = nextId++;
    host.send({ jsonrpc: '2.0', id: writing, method: 'db.execute', params: { ...onePool(), query: `INSERT INTO ${table} SELECT 1, pg_sleep(30) IS NULL` } });
    await until('the INSERT sleeps', async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE 'INSERT INTO%'`, [pid])).rowCount === 1);
    const waiting = nextId++;
    host.send({ jsonrpc: '2.0', id: waiting, method: 'db.execute', params: { ...onePool(), query: `INSERT INTO ${marks} VALUES (1)` } });
    host.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: waiting } });
    // acquireTimeout is 20 s: only the cancel can answer it now.
    expect((await host.responseTo(waiting)).error).toMatchObject({ code: ErrorCode.RequestCancelled });
    host.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: writing } });
    expect((await host.responseTo(writing)).error).toMatchObject({ code: ErrorCode.RequestCancelled });
    // The pool serves waiters in order: had the cancelled wait gone on, its INSERT would run before this.
    const next = await ok(host, 'db.select', { ...onePool(), query: `SELECT pg_backend_pid() AS pid, (SELECT count(*)::int FROM ${table}) AS written, (SELECT count(*)::int FROM ${marks}) AS marked` });
    expect(next.rows).toEqual([{ pid, written: 0, marked: 0 }]);
    expect(await stateOf(pid)).toEqual({ state: 'idle', xact: false });
  });
});

describe('the login role', () => {
  const postgres = () => ({ type: 'postgresql', ...PG_SERVER, username: 'postgres', password: 'superuser-canary-3d1f', ssl: false });

  it('runs no pipeline SQL as the superuser `postgres` unless the connection allows it, and warns with every result, in db.inspectRole and once in the host log without the password', async () => {
    const host = startHost();
    // The pipeline's own SQL: refused, saying why and the two ways out.
    const refused = await fails(host, 'db.select', { connectionConfig: postgres(), query: 'SELECT 1 AS one' });
    expect(refused).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused, data: { reason: 'privilegedRole', role: 'postgres', risks: ['superuser'] } });
    expect(refused.message).toMatch(/as “postgres”, which is a superuser, so it does not run the pipeline's own SQL there/);
    expect(refused.message).toMatch(/"allowPrivilegedRole": true/);
    expect(await fails(host, 'db.execute', { connectionConfig: postgres(), query: `CREATE TABLE IF NOT EXISTS ${SCHEMA}.by_superuser (a int)` })).toMatchObject({ data: { reason: 'privilegedRole' } });
    // With the connection's explicit consent it runs, warned.
    const allowed = { ...postgres(), allowPrivilegedRole: true };
    const first = await ok(host, 'db.select', { connectionConfig: allowed, query: 'SELECT 1 AS one' });
    expect(first.rows).toEqual([{ one: 1 }]);
    expect(first.roleWarning).toMatchObject({ role: 'postgres', risks: ['superuser'] });
    expect(first.roleWarning.message).toMatch(/as “postgres”, which is a superuser: SQL in a pipeline can read and write any file on the database server, run programs there/);
    expect(first.roleWarning.message).toMatch(/only the rights the pipeline needs/);
    expect((await ok(host, 'db.execute', { connectionConfig: allowed, query: `CREATE TABLE IF NOT EXISTS ${SCHEMA}.by_superuser (a int)`, allowSchemaChanges: true })).roleWarning.risks).toEqual(['superuser']);
    // The host's own writes (validated names, bound values) run without it, warned.
    expect((await ok(host, 'db.insert', { connectionConfig: postgres(), table: `${SCHEMA}.by_superuser`, data: { a: 1 } })).roleWarning.role).toBe('postgres');
    expect(await ok(host, 'db.inspectRole', { connectionConfig: postgres() })).toMatchObject({ role: 'postgres', superuser: true, readServerFiles: true, executeServerProgram: true, warning: { risks: ['superuser'] } });
    await host.stop();
    const warnings = host.logText().split('\n').filter((line) => line.includes('login role holds rights beyond its tables'));
    // One line per pool: the connection with allowPrivilegedRole is a pool of its own.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('role=postgres');
    expect(warnings[0]).toContain('risks=superuser');
    expect(host.logText() + host.stderr).not.toContain('superuser-canary-3d1f');
  });

  it('says nothing for the least-privilege role; names pg_read_server_files membership, and notices when it is revoked', async () => {
    const host = startHost();
    const plain = await ok(host, 'db.select', { query: 'SELECT current_user::text AS who' });
    expect(plain).toEqual({ columns: ['who'], rows: [{ who: testRole.role }], rowCount: 1 });
    expect(await ok(host, 'db.inspectRole', {})).toEqual({ role: testRole.role, superuser: false, readServerFiles: false, writeServerFiles: false, executeServerProgram: false, createRole: false, bypassRls: false, standardConformingStrings: true, serverVersionNum: expect.any(Number) });

    const reader = await createTestRole(admin, 'ferry_reader', ['GRANT pg_read_server_files TO {role}']);
    try {
      const readerConfig = { ...connectionConfig, ...reader.login };
      expect(await fails(host, 'db.select', { connectionConfig: readerConfig, query: 'SELECT 1 AS one' })).toMatchObject({ data: { reason: 'privilegedRole', risks: ['readServerFiles'] } });
      const warned = await ok(host, 'db.insert', { connectionConfig: readerConfig, table: 'read_member', data: { a: 1 } });
      expect(warned.roleWarning).toMatchObject({ role: reader.role, risks: ['readServerFiles'] });
      expect(warned.roleWarning.message).toContain('can read files on the database server (member of pg_read_server_files)');
      await admin.query(`REVOKE pg_read_server_files FROM ${reader.role}`);
      // Checked afresh by db.inspectRole (Test connection), which also updates what the pool says.
      expect((await ok(host, 'db.inspectRole', { connectionConfig: readerConfig })).readServerFiles).toBe(false);
      expect((await ok(host, 'db.select', { connectionConfig: readerConfig, query: 'SELECT 1 AS one' })).roleWarning).toBeUndefined();
    } finally {
      await host.stop();
      await reader.drop();
    }
  });

  it('db.inspectRole on SQLite says there are no roles', async () => {
    const host = startHost();
    expect(await fails(host, 'db.inspectRole', { connectionConfig: undefined, connection: 'default' })).toMatchObject({ code: ErrorCode.DbQueryFailed, message: expect.stringMatching(/SQLite database has no roles/) });
  });
});
