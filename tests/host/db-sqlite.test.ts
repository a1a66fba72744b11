/**
 * `db.*` over real frames against real SQLite files in the host's temporary FERRY_HOME: every
 * operation, conflict modes, a failed batch rolled back, the error codes, > 1 MiB selects through
 * chunking, and injection attempts.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol';
import { hostsForEachTest, type HostProcess } from './host-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const startHost = hostsForEachTest({ assertCleanStdout: true });
let nextId = 1;

async function ok(host: HostProcess, method: string, params: unknown): Promise<Json> {
  const response = await host.call(nextId++, method, params);
  expect(response.error, JSON.stringify(response.error)).toBeUndefined();
  return response.result;
}

async function fails(host: HostProcess, method: string, params: unknown): Promise<Json> {
  const response = await host.call(nextId++, method, params);
  expect(response.result, 'expected an error').toBeUndefined();
  return response.error;
}

function openDefault(host: HostProcess): Database.Database {
  return new Database(path.join(host.home, 'data', 'ferry.sqlite'), { readonly: true });
}

describe('db.* on SQLite', () => {
  it('inserts the seed block into ferry.sqlite (WAL), creating the table from the record, JSON as text', async () => {
    const host = startHost();
    const seed = {
      operation: 'insert',
      table: 'extracted_data',
      data: { url: 'https://a.test/1', title: 'One', content: 'text', extracted_at: '2025-01-02T00:00:00Z', metadata: { tags: ['x'], n: 1 } },
      onConflict: 'update',
      conflictTarget: 'url',
    };
    expect(await ok(host, 'db.insert', seed)).toMatchObject({ inserted: 1, updated: 0, ignored: 0, lastInsertRowid: 1, tableCreated: true });
    expect(await ok(host, 'db.insert', { ...seed, data: { ...seed.data, title: 'One again' } })).toMatchObject({ inserted: 0, updated: 1, tableCreated: false });
    const info = await ok(host, 'system.info', {});
    expect(info.capabilities).toContain('db');
    const db = openDefault(host);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT title, metadata FROM extracted_data').all()).toEqual([{ title: 'One again', metadata: '{"tags":["x"],"n":1}' }]);
    const types = db.prepare("SELECT name, type FROM pragma_table_info('extracted_data')").all();
    expect(types).toContainEqual({ name: 'url', type: 'TEXT' });
    db.close();
  });

  it('keeps conflict modes apart: error answers DbUniqueViolation, ignore skips, update overwrites', async () => {
    const host = startHost();
    await ok(host, 'db.execute', { query: 'CREATE TABLE IF NOT EXISTS items (sku TEXT PRIMARY KEY, price REAL NOT NULL, qty INTEGER)' });
    await ok(host, 'db.insert', { table: 'items', data: { sku: 'a', price: 1, qty: 1 } });
    const unique = await fails(host, 'db.insert', { table: 'items', data: { sku: 'a', price: 2 } });
    expect(unique).toMatchObject({ code: ErrorCode.DbUniqueViolation, data: { codeName: 'DbUniqueViolation', sqliteCode: 'SQLITE_CONSTRAINT_PRIMARYKEY' } });
    expect(unique.message).toMatch(/onConflict/);
    expect(await ok(host, 'db.insert', { table: 'items', data: [{ sku: 'a', price: 3 }, { sku: 'b', price: 4 }], onConflict: 'ignore' })).toMatchObject({ inserted: 1, ignored: 1, updated: 0 });
    // No conflictTarget: "update" judges conflicts on the table's primary key.
    expect(await ok(host, 'db.insert', { table: 'items', data: [{ sku: 'a', price: 5 }, { sku: 'c', price: 6 }], onConflict: 'update' })).toMatchObject({ inserted: 1, updated: 1 });
    const rows = await ok(host, 'db.select', { query: 'SELECT sku, price, qty FROM items ORDER BY sku' });
    expect(rows).toEqual({ columns: ['sku', 'price', 'qty'], rows: [{ sku: 'a', price: 5, qty: 1 }, { sku: 'b', price: 4, qty: null }, { sku: 'c', price: 6, qty: null }], rowCount: 3 });
  });

  it('selects with the seed query ($1, $2) and with named parameters', async () => {
    const host = startHost();
    const data = [1, 2, 3].map((d) => ({ url: 'u', extracted_at: `2025-01-0${d}`, n: d }));
    await ok(host, 'db.batchInsert', { table: 'extracted_data', data });
    const seedQuery = '\n    SELECT * FROM extracted_data\n    WHERE url = $1\n    AND extracted_at > $2\n    ORDER BY extracted_at DESC\n    LIMIT 10\n    ';
    const result = await ok(host, 'db.select', { operation: 'select', query: seedQuery, parameters: ['u', '2025-01-01'] });
    expect(result.rows.map((r: Json) => r.n)).toEqual([3, 2]);
    for (const style of [':', '@', '$']) {
      const named = await ok(host, 'db.select', { query: `SELECT n FROM extracted_data WHERE n >= ${style}min ORDER BY n`, parameters: { min: 2 }, rowMode: 'array' });
      expect(named).toEqual({ columns: ['n'], rows: [[2], [3]], rowCount: 2 });
    }
  });

  it('answers DbBadParameter, DbTableNotFound and DbColumnNotFound with what to fix', async () => {
    const host = startHost();
    await ok(host, 'db.insert', { table: 't', data: { a: 1 } });
    const few = await fails(host, 'db.select', { query: 'SELECT * FROM t WHERE a = $1 AND a = $2', parameters: [1] });
    expect(few).toMatchObject({ code: ErrorCode.DbBadParameter, message: 'The query has 2 parameters but 1 was given' });
    const missing = await fails(host, 'db.select', { query: 'SELECT * FROM t WHERE a = :a', parameters: { b: 1 } });
    expect(missing).toMatchObject({ code: ErrorCode.DbBadParameter, data: { missing: ['a'] } });
    const object = await host.call(nextId++, 'db.select', { query: 'SELECT $1', parameters: [{ x: 1 }] });
    expect(object.error.code).toBe(ErrorCode.InvalidParams);
    const noTable = await fails(host, 'db.select', { query: 'SELECT * FROM nope' });
    expect(noTable).toMatchObject({ code: ErrorCode.DbTableNotFound, data: { table: 'nope', codeName: 'DbTableNotFound' } });
    expect(await fails(host, 'db.insert', { table: 'nope', data: { a: 1 }, createTable: false })).toMatchObject({ code: ErrorCode.DbTableNotFound });
    expect(await fails(host, 'db.insert', { table: 't', data: { a: 1, b: 2 } })).toMatchObject({ code: ErrorCode.DbColumnNotFound, data: { column: 'b', rowIndex: 0 } });
    expect(await fails(host, 'db.select', { query: 'SELEC 1' })).toMatchObject({ code: ErrorCode.DbQueryFailed });
  });

  it('rolls back a whole batch when row 3 of 5 breaks NOT NULL, keeping earlier batches', async () => {
    const host = startHost();
    await ok(host, 'db.execute', { query: 'CREATE TABLE IF NOT EXISTS bulk_data (id INTEGER PRIMARY KEY, name TEXT NOT NULL)' });
    const data = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: i === 7 ? null : `n${i}` }));
    const error = await fails(host, 'db.batchInsert', { operation: 'batchInsert', table: 'bulk_data', batchSize: 5, data, conflictResolution: 'ignore' });
    expect(error).toMatchObject({ code: ErrorCode.DbConstraintViolation, data: { batchIndex: 1, rowIndex: 7, committedBatches: 1, committedRows: 5 } });
    expect(error.message).toMatch(/Batch 1 \(rows 5-9\) was rolled back/);
    const count = await ok(host, 'db.select', { query: 'SELECT count(*) AS n, max(id) AS top FROM bulk_data' });
    expect(count.rows).toEqual([{ n: 5, top: 5 }]);
    // The seed's batch block: conflictResolution "ignore" skips what is there, per-batch counts add up.
    const again = await ok(host, 'db.batchInsert', { table: 'bulk_data', batchSize: 4, data: data.map((r) => ({ ...r, name: 'x' })), conflictResolution: 'ignore' });
    expect(again).toMatchObject({ inserted: 5, ignored: 5, updated: 0, total: 10 });
    expect(again.batches.map((b: Json) => [b.rows, b.inserted, b.ignored])).toEqual([[4, 0, 4], [4, 3, 1], [2, 2, 0]]);
    const updated = await ok(host, 'db.batchInsert', { table: 'bulk_data', data: [{ id: 1, name: 'new' }, { id: 99, name: 'z' }], conflictResolution: 'update' });
    expect(updated).toMatchObject({ inserted: 1, updated: 1 });
  });

  it('writes a record table { columns, rows } exactly as the same records, and refuses a malformed one with -32602 and a path', async () => {
    const host = startHost();
    const records = Array.from({ length: 25 }, (_, i) => ({ id: i, name: `n${i}`, score: i / 2, live: i % 2 === 0, meta: i === 3 ? { tags: ['x'] } : null }));
    const columns = ['id', 'name', 'score', 'live', 'meta'];
    const table = { columns, rows: records.map((r) => columns.map((c) => r[c as keyof typeof r])) };
    expect(await ok(host, 'db.batchInsert', { table: 'as_records', data: records, batchSize: 10 })).toMatchObject({ inserted: 25, total: 25, tableCreated: true });
    const result = await ok(host, 'db.batchInsert', { table: 'as_table', data: table, batchSize: 10 });
    expect(result).toMatchObject({ inserted: 25, total: 25, tableCreated: true });
    expect(result.batches.map((b: Json) => b.rows)).toEqual([10, 10, 5]);
    const db = openDefault(host);
    const schema = (t: string) => db.prepare(`SELECT name, type FROM pragma_table_info('${t}')`).all();
    expect(schema('as_table')).toEqual(schema('as_records'));
    expect(db.prepare('SELECT * FROM as_table ORDER BY id').all()).toEqual(db.prepare('SELECT * FROM as_records ORDER BY id').all());
    db.close();
    // db.insert takes a table too; "update" finds the conflict target among the columns.
    await ok(host, 'db.execute', { query: 'CREATE TABLE IF NOT EXISTS keyed (sku TEXT PRIMARY KEY, price REAL)' });
    expect(await ok(host, 'db.insert', { table: 'keyed', data: { columns: ['price', 'sku'], rows: [[1, 'a'], [2, 'b']] } })).toMatchObject({ inserted: 2, tableCreated: false });
    expect(await ok(host, 'db.insert', { table: 'keyed', data: { columns: ['price', 'sku'], rows: [[3, 'a'], [4, 'c']] }, onConflict: 'update' })).toMatchObject({ inserted: 1, updated: 1 });
    expect((await ok(host, 'db.select', { query: 'SELECT sku, price FROM keyed ORDER BY sku', rowMode: 'array' })).rows).toEqual([['a', 3], ['b', 2], ['c', 4]]);
    // A row that breaks a constraint is named by its index in the call, as with records.
    const dup = await fails(host, 'db.batchInsert', { table: 'keyed', data: { columns: ['sku', 'price'], rows: [['d', 1], ['e', 1], ['a', 1]] }, batchSize: 2 });
    expect(dup).toMatchObject({ code: ErrorCode.DbUniqueViolation, data: { batchIndex: 1, rowIndex: 2, committedRows: 2 } });
    expect(await fails(host, 'db.insert', { table: 'keyed', data: { columns: ['sku', 'bad name'], rows: [['x', 1]] } })).toMatchObject({ code: ErrorCode.DbInvalidIdentifier });

    const bad = async (data: unknown) => {
      const error = await fails(host, 'db.batchInsert', { table: 'keyed', data });
      expect(error.code).toBe(ErrorCode.InvalidParams);
      return error.data.issues.map((i: Json) => i.path);
    };
    expect(await bad({ columns: ['sku', 'price'], rows: [['f', 1], ['g'], ['h', 1, 2]] })).toEqual(['params.data.rows[1]', 'params.data.rows[2]']);
    expect(await bad({ rows: [['f', 1]] })).toEqual(['params.data.columns']);
    expect(await bad({ columns: ['sku', 'sku'], rows: [['f', 'g']] })).toEqual(['params.data.columns[1]']);
    expect(await bad({ columns: ['sku'], rows: [['f']], extra: true })).toEqual(['params.data.extra']);
    expect(await bad([{ sku: 'f' }, 'g'])).toEqual(['params.data[1]']);
    const ragged = await fails(host, 'db.batchInsert', { table: 'keyed', data: { columns: ['sku', 'price'], rows: [['f', 1], ['g']] } });
    expect(ragged.message).toBe('Invalid params for db.batchInsert: params.data.rows[1]: Row has 1 values for 2 columns');
    // Nothing of the refused calls was written.
    expect((await ok(host, 'db.select', { query: 'SELECT count(*) AS n FROM keyed' })).rows).toEqual([{ n: 5 }]);
  });

  it('writes many rows a hundred per statement with the same counts, and still names the row that fails', async () => {
    const host = startHost();
    await ok(host, 'db.execute', { query: 'CREATE TABLE IF NOT EXISTS many (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT DEFAULT \'d\')' });
    const rows = (from: number, n: number): [number, string | null][] => Array.from({ length: n }, (_, i) => [from + i, `n${from + i}`]);
    expect(await ok(host, 'db.batchInsert', { table: 'many', data: { columns: ['id', 'name'], rows: rows(0, 30) } })).toMatchObject({ inserted: 30 });
    // ids 0-29 exist, and 100 comes twice: "ignore" skips 31 of 251, in groups and one by one alike.
    const ignore = await ok(host, 'db.batchInsert', { table: 'many', data: { columns: ['id', 'name'], rows: [...rows(0, 250), [100, 'again']] }, conflictResolution: 'ignore', batchSize: 1000 });
    expect(ignore).toMatchObject({ inserted: 220, ignored: 31, total: 251 });
    expect((await ok(host, 'db.select', { query: 'SELECT name FROM many WHERE id = 100' })).rows).toEqual([{ name: 'n100' }]);
    // Records whose fields change mid-call: each run keeps its own columns (and defaults apply).
    const mixed = [...rows(1000, 150).map(([id, name]) => ({ id, name })), ...rows(2000, 150).map(([id, name]) => ({ id, name, note: 'x' }))];
    expect(await ok(host, 'db.batchInsert', { table: 'many', data: mixed })).toMatchObject({ inserted: 300 });
    expect((await ok(host, 'db.select', { query: 'SELECT note, count(*) AS n FROM many WHERE id >= 1000 GROUP BY note ORDER BY note' })).rows).toEqual([{ note: 'd', n: 150 }, { note: 'x', n: 150 }]);
    // Row 150 of a 250-row batch breaks NOT NULL inside a full group, row 260 repeats a key: both named exactly.
    const broken = rows(3000, 250);
    broken[150]![1] = null;
    const error = await fails(host, 'db.batchInsert', { table: 'many', data: { columns: ['id', 'name'], rows: broken }, batchSize: 1000 });
    expect(error).toMatchObject({ code: ErrorCode.DbConstraintViolation, data: { batchIndex: 0, rowIndex: 150 } });
    const duplicate = await fails(host, 'db.batchInsert', { table: 'many', data: { columns: ['id', 'name'], rows: [...rows(4000, 260), [4001, 'dup']] }, batchSize: 1000 });
    expect(duplicate).toMatchObject({ code: ErrorCode.DbUniqueViolation, data: { rowIndex: 260 } });
    expect((await ok(host, 'db.select', { query: 'SELECT count(*) AS n FROM many WHERE id >= 3000' })).rows).toEqual([{ n: 0 }]);
  });

  it('streams a select of more than 1 MiB intact through $/chunk, and pages with a cursor', async () => {
    const host = startHost();
    const data = Array.from({ length: 6000 }, (_, i) => ({ i, text: `row ${i} ` + 'é'.repeat(150) + ' 😀 "quoted" \\' }));
    const inserted = await ok(host, 'db.batchInsert', { table: 'big', data, batchSize: 2500 });
    expect(inserted.batches).toHaveLength(3);
    const framesBefore = host.frames.length;
    const all = await ok(host, 'db.select', { query: 'SELECT i, text FROM big ORDER BY i' });
    expect(JSON.stringify(all).length).toBeGreaterThan(1024 * 1024);
    expect(host.frames.length - framesBefore).toBeGreaterThan(1);
    expect(all.rows).toEqual(data);
    const first = await ok(host, 'db.select', { query: 'SELECT i FROM big WHERE i >= $1 ORDER BY i', parameters: [100], maxRows: 4000, rowMode: 'array' });
    expect(first.rowCount).toBe(4000);
    const second = await ok(host, 'db.select', { query: 'SELECT i FROM big WHERE i >= $1 ORDER BY i', parameters: [100], maxRows: 4000, rowMode: 'array', cursor: first.nextCursor });
    expect(second.rowCount).toBe(1900);
    expect(second.nextCursor).toBeUndefined();
    expect([...first.rows, ...second.rows].map((r: Json) => r[0])).toEqual(Array.from({ length: 5900 }, (_, k) => k + 100));
    expect(await fails(host, 'db.select', { query: 'SELECT i FROM big', cursor: first.nextCursor })).toMatchObject({ code: ErrorCode.DbBadParameter });
  });

  it('stores injection attempts in values literally and refuses them in identifiers', async () => {
    const host = startHost();
    const evil = "x'); DROP TABLE victims; --";
    await ok(host, 'db.insert', { table: 'victims', data: { name: evil, note: '"; DELETE FROM victims; --' } });
    expect((await ok(host, 'db.select', { query: 'SELECT name FROM victims WHERE name = $1', parameters: [evil] })).rows).toEqual([{ name: evil }]);
    for (const table of ['victims; DROP TABLE victims', 'victims"--', 'a b']) {
      expect(await fails(host, 'db.insert', { table, data: { name: 1 } })).toMatchObject({ code: ErrorCode.DbInvalidIdentifier });
    }
    expect(await fails(host, 'db.insert', { table: 'victims', data: { 'name) VALUES (1); DROP TABLE victims; --': 1 } })).toMatchObject({ code: ErrorCode.DbInvalidIdentifier });
    expect(await fails(host, 'db.execute', { query: 'DELETE FROM victims; DROP TABLE victims' })).toMatchObject({ code: ErrorCode.DbQueryFailed });
    expect((await ok(host, 'db.select', { query: 'SELECT count(*) AS n FROM victims' })).rows).toEqual([{ n: 1 }]);
  });

  it('refuses schema changes without allowSchemaChanges, runs them with it, never ATTACH', async () => {
    const host = startHost();
    await ok(host, 'db.insert', { table: 'keep', data: { a: 1 } });
    const refused = await fails(host, 'db.execute', { query: '/* tidy */ DROP TABLE keep' });
    expect(refused).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused, data: { statement: 'DROP' } });
    expect(refused.message).toMatch(/allowSchemaChanges: true/);
    expect(await fails(host, 'db.execute', { query: 'ALTER TABLE keep ADD COLUMN b TEXT' })).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused });
    expect(await fails(host, 'db.execute', { query: "ATTACH DATABASE '/tmp/x.db' AS x", allowSchemaChanges: true })).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused });
    expect(await ok(host, 'db.execute', { query: 'UPDATE keep SET a = $1 WHERE a = $2', parameters: [2, 1] })).toEqual({ changes: 1 });
    expect(await ok(host, 'db.execute', { query: 'ALTER TABLE keep ADD COLUMN b TEXT', allowSchemaChanges: true })).toEqual({ changes: 0 });
    expect(await ok(host, 'db.execute', { query: 'INSERT INTO keep (a, b) VALUES (@a, @b)', parameters: { a: 3, b: 'x' } })).toEqual({ changes: 1, lastInsertRowid: 2 });
  });

  it('opens named SQLite files in the data dir only; an unreachable PostgreSQL answers DbConnectionUnavailable', async () => {
    const host = startHost();
    const connection = { type: 'sqlite', database: 'analytics.sqlite' };
    await ok(host, 'db.insert', { connection, table: 'e', data: { a: 1 } });
    expect(existsSync(path.join(host.home, 'data', 'analytics.sqlite'))).toBe(true);
    expect((await ok(host, 'db.select', { connectionConfig: connection, query: 'SELECT a FROM e' })).rows).toEqual([{ a: 1 }]);
    expect(await fails(host, 'db.select', { query: 'SELECT a FROM e' })).toMatchObject({ code: ErrorCode.DbTableNotFound });
    for (const database of ['../escape.sqlite', '/tmp/x.sqlite', '.hidden']) {
      expect(await fails(host, 'db.select', { connection: { type: 'sqlite', database }, query: 'SELECT 1' })).toMatchObject({ code: ErrorCode.DbConnectionUnavailable });
    }
    const pg = { connectionConfig: { type: 'postgresql', host: 'h', port: 5432, database: 'd', username: 'u', password: 'p', ssl: true, poolSize: 10 }, query: 'SELECT 1' };
    expect(await fails(host, 'db.select', pg)).toMatchObject({ code: ErrorCode.DbConnectionUnavailable });
  });

  it('refuses a page past FERRY_HOST_MAX_RESULT_BYTES while collecting rows, saying the limit and what to do', async () => {
    const host = startHost({ env: { FERRY_HOST_MAX_RESULT_BYTES: String(32 * 1024 * 1024) } });
    // The review's probe: 12 rows of a 40 MB blob once took the host to 2 GB before failing.
    const query = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12) SELECT i, zeroblob(10000000) AS blob FROM n';
    const error = await fails(host, 'db.select', { query });
    expect(error.code).toBe(ErrorCode.DbQueryFailed);
    expect(error.message).toMatch(/over 32 MiB after 2 rows.*FERRY_HOST_MAX_RESULT_BYTES.*lower maxRows, select fewer or smaller columns.*cursor/);
    expect(error.data).toMatchObject({ maxResultBytes: 32 * 1024 * 1024, rowsCollected: 2 });
    const page = await ok(host, 'db.select', { query, maxRows: 2, rowMode: 'array' });
    expect(page.rows.map((r: Json[]) => [r[0], Buffer.from(r[1], 'base64').length])).toEqual([[1, 10_000_000], [2, 10_000_000]]);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect((await ok(host, 'db.select', { query: 'SELECT length(zeroblob(40000000)) AS n' })).rows).toEqual([{ n: 40_000_000 }]);
  });
});
