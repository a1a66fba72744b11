/**
 * Hostile SQL against SQLite over real frames, against real files in the host's temporary
 * FERRY_HOME: nothing a pipeline's SQL holds may read or write a file outside the data folder, load
 * an extension or change the connection's settings. Every path a probe could write names a fresh
 * temporary folder, checked empty afterwards; after each probe the schema, the rows and the
 * connection's settings are read again through later calls and must be what they were.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol';
import { hostsForEachTest, type HostProcess } from './host-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const startHost = hostsForEachTest({ assertCleanStdout: true });
let nextId = 1;
const outsides: string[] = [];

afterEach(() => {
  for (const dir of outsides.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder outside the data folder, for a probe to aim at. */
function outside(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-hostile-'));
  outsides.push(dir);
  return dir;
}

async function ok(host: HostProcess, method: string, params: unknown): Promise<Json> {
  const response = await host.call(nextId++, method, params);
  expect(response.error, JSON.stringify(response.error)).toBeUndefined();
  return response.result;
}

async function fails(host: HostProcess, method: string, params: unknown): Promise<Json> {
  const response = await host.call(nextId++, method, params);
  expect(response.result, `expected ${JSON.stringify(params)} to be refused`).toBeUndefined();
  return response.error;
}

/** A host with a table of three rows and a unique key, as a pipeline's earlier runs would leave it. */
async function seeded(): Promise<HostProcess> {
  const host = startHost();
  await ok(host, 'db.execute', { query: 'CREATE TABLE IF NOT EXISTS items (sku TEXT PRIMARY KEY, price REAL, note TEXT)' });
  await ok(host, 'db.insert', { table: 'items', data: [{ sku: 'a', price: 1 }, { sku: 'b', price: 2 }, { sku: 'c', price: 3 }] });
  return host;
}

/** Schema, rows and connection settings, read through later calls. */
async function state(host: HostProcess): Promise<Json> {
  const one = async (query: string) => (await ok(host, 'db.select', { query, rowMode: 'array' })).rows;
  return {
    schema: await one('SELECT type, name, sql FROM sqlite_schema ORDER BY name'),
    rows: await one('SELECT sku, price, note FROM items ORDER BY sku'),
    settings: await one(`SELECT (SELECT trusted_schema FROM pragma_trusted_schema), (SELECT journal_mode FROM pragma_journal_mode),
      (SELECT foreign_keys FROM pragma_foreign_keys), (SELECT cache_size FROM pragma_cache_size), (SELECT timeout FROM pragma_busy_timeout), (SELECT locking_mode FROM pragma_locking_mode),
      (SELECT temp_store FROM pragma_temp_store), (SELECT writable_schema FROM pragma_writable_schema), (SELECT group_concat(name) FROM pragma_database_list WHERE name <> 'temp'),
      (SELECT synchronous FROM pragma_synchronous), (SELECT user_version FROM pragma_user_version)`),
    files: readdirSync(path.join(host.home, 'data')).sort(),
  };
}

/** Writes still work afterwards (query_only stayed off) and take nothing else with them. */
async function stillWritable(host: HostProcess): Promise<void> {
  expect(await ok(host, 'db.execute', { query: 'UPDATE items SET note = note WHERE sku = $1', parameters: ['a'] })).toEqual({ changes: 1 });
}

/** Calls `method` with each probe, expecting `code` and a message matching `says`; nothing may change. */
async function refusesAll(host: HostProcess, method: string, probes: Json[], code: number, says: RegExp): Promise<Json[]> {
  const before = await state(host);
  const errors: Json[] = [];
  for (const probe of probes) {
    const error = await fails(host, method, probe);
    expect(error.code, JSON.stringify(probe)).toBe(code);
    expect(error.message, JSON.stringify(probe)).toMatch(says);
    errors.push(error);
  }
  expect(await state(host)).toEqual(before);
  await stillWritable(host);
  return errors;
}

describe('hostile SQL on SQLite', () => {
  it('never runs VACUUM INTO, with a literal path or a bound one, whatever the flags', async () => {
    const host = await seeded();
    const dir = outside();
    const target = path.join(dir, 'copy.sqlite');
    const probes = [
      { query: `VACUUM INTO '${target}'` },
      { query: `VACUUM INTO '${target}'`, allowSchemaChanges: true },
      { query: 'VACUUM INTO $1', parameters: [target], allowSchemaChanges: true },
      { query: 'VACUUM main INTO :file', parameters: { file: target }, allowSchemaChanges: true },
      { query: `/* tidy up */ -- first\n vacuum "main" into '${target}'`, allowSchemaChanges: true },
      { query: `VACUUM INTO 'file:${target}?mode=rwc'`, allowSchemaChanges: true },
    ];
    const errors = await refusesAll(host, 'db.execute', probes, ErrorCode.DbSchemaChangeRefused, /VACUUM INTO writes a copy of the database to a file.*Export rows with a file step into a granted folder/);
    expect(errors[0].data).toMatchObject({ codeName: 'DbSchemaChangeRefused', statement: 'VACUUM INTO' });
    expect(readdirSync(dir)).toEqual([]);
    // Plain VACUUM rewrites the file in place: a schema-level change, allowed with the flag only.
    expect((await fails(host, 'db.execute', { query: 'VACUUM' })).message).toMatch(/allowSchemaChanges: true/);
    await ok(host, 'db.execute', { query: 'VACUUM', allowSchemaChanges: true });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses CREATE TRIGGER IF NOT EXISTS and CREATE UNIQUE INDEX IF NOT EXISTS without allowSchemaChanges; rows stay', async () => {
    const host = await seeded();
    const probes = [
      { query: 'CREATE TRIGGER IF NOT EXISTS wipe AFTER INSERT ON items BEGIN DELETE FROM items; END' },
      { query: 'CREATE TRIGGER "IF NOT EXISTS" AFTER INSERT ON items BEGIN DELETE FROM items; END' },
      { query: 'CREATE UNIQUE INDEX IF NOT EXISTS one_price ON items (price)' },
      { query: 'CREATE INDEX IF NOT EXISTS by_note ON items (note)' },
      { query: 'CREATE VIEW IF NOT EXISTS cheap AS SELECT * FROM items' },
      { query: 'CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(note)' },
    ];
    await refusesAll(host, 'db.execute', probes, ErrorCode.DbSchemaChangeRefused, /set allowSchemaChanges: true on db\.execute if that is intended/);
    // The rows a trigger would have deleted, and the price a unique index would have refused.
    await ok(host, 'db.insert', { table: 'items', data: { sku: 'd', price: 1 } });
    expect((await ok(host, 'db.select', { query: 'SELECT count(*) AS n FROM items' })).rows).toEqual([{ n: 4 }]);
  });

  it('never loads an extension, from db.select or db.execute, directly or through a trigger created with the flag', async () => {
    const host = await seeded();
    const dir = outside();
    const library = path.join(dir, 'evil');
    await refusesAll(host, 'db.select', [
      { query: `SELECT load_extension('${library}')` },
      { query: 'SELECT load_extension($1, $2)', parameters: [library, 'sqlite3_evil_init'] },
      { query: 'SELECT sku FROM items WHERE price > (SELECT count(load_extension(note)) FROM items)' },
      { query: 'WITH x(p) AS (SELECT $1) SELECT LOAD_EXTENSION(p) FROM x', parameters: [library] },
    ], ErrorCode.DbSchemaChangeRefused, /load_extension loads a native library.*Use SQLite's built-in functions/);
    await refusesAll(host, 'db.execute', [
      { query: 'INSERT INTO items (sku, note) VALUES ($1, load_extension($2))', parameters: ['e', library], allowSchemaChanges: true },
      { query: `UPDATE items SET note = load_extension('${library}')`, allowSchemaChanges: true },
      { query: `CREATE TABLE IF NOT EXISTS loot AS SELECT load_extension('${library}') AS x` },
    ], ErrorCode.DbSchemaChangeRefused, /load_extension loads a native library/);
    await ok(host, 'db.execute', { query: `CREATE TRIGGER sneaky AFTER INSERT ON items BEGIN SELECT load_extension('${library}'); END`, allowSchemaChanges: true });
    const fired = await refusesAll(host, 'db.execute', [{ query: "INSERT INTO items (sku) VALUES ('z')" }], ErrorCode.DbSchemaChangeRefused, /load_extension/);
    expect(fired[0].data).toMatchObject({ refused: 'load_extension' });
    expect(await fails(host, 'db.insert', { table: 'items', data: { sku: 'z' } })).toMatchObject({ code: ErrorCode.DbQueryFailed });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never reaches files through readfile, writefile or edit', async () => {
    const host = await seeded();
    const dir = outside();
    await refusesAll(host, 'db.select', [
      { query: "SELECT readfile('/etc/hostname') AS content" },
      { query: `SELECT writefile('${path.join(dir, 'x')}', 'data')` },
      { query: "SELECT edit('text', 'vi')" },
    ], ErrorCode.DbSchemaChangeRefused, /Ferry never lets SQL (reach files|start programs)\. (Read the file with a file step|Export rows with a file step|Change the value)/);
    await refusesAll(host, 'db.execute', [
      { query: "INSERT INTO items (sku, note) SELECT 'f', readfile('/etc/hostname')" },
      { query: 'UPDATE items SET note = writefile($1, note)', parameters: [path.join(dir, 'y')] },
    ], ErrorCode.DbSchemaChangeRefused, /with a file step/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never ATTACHes, in any spelling, through comments, bound paths or from db.select', async () => {
    const host = await seeded();
    const dir = outside();
    const file = path.join(dir, 'other.sqlite');
    const says = /ATTACH opens another database file.*connection \{ "type": "sqlite", "database": "name\.sqlite" \}/;
    await refusesAll(host, 'db.execute', [
      { query: `attach '${file}' as x`, allowSchemaChanges: true },
      { query: `/* a */ AtTaCh /* b */ DATABASE /* c */ '${file}' AS "x"`, allowSchemaChanges: true },
      { query: `-- only a comment\n;;  ATTACH '${file}' AS x`, allowSchemaChanges: true },
      { query: 'ATTACH $1 AS x', parameters: [file], allowSchemaChanges: true },
      { query: `ATTACH 'file:${file}?mode=rwc' AS x`, allowSchemaChanges: true },
    ], ErrorCode.DbSchemaChangeRefused, says);
    await refusesAll(host, 'db.select', [{ query: `ATTACH '${file}' AS x` }], ErrorCode.DbSchemaChangeRefused, says);
    await refusesAll(host, 'db.execute', [{ query: 'DETACH main', allowSchemaChanges: true }], ErrorCode.DbSchemaChangeRefused, /DETACH/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never runs a PRAGMA that changes the connection, in any spelling, and no PRAGMA statement from db.select', async () => {
    const host = await seeded();
    const dir = outside();
    const probes = [
      'PRAGMA writable_schema = ON',
      'pragma Trusted_Schema=1',
      '/* x */ PRAGMA /* y */ main . journal_mode = DELETE',
      '-- off\n PRAGMA "main"."journal_mode" = OFF',
      "PRAGMA 'locking_mode' = 'EXCLUSIVE'",
      ';;PRAGMA [foreign_keys](0)',
      'PRAGMA mmap_size = 268435456',
      'PRAGMA query_only = 1',
      `PRAGMA temp_store_directory = '${dir}'`,
      'PRAGMA temp_store = MEMORY',
      'PRAGMA synchronous = OFF',
      'EXPLAIN PRAGMA trusted_schema = ON',
      'PRAGMA trusted_schema = ON; SELECT 1',
    ];
    await refusesAll(host, 'db.execute', probes.map((query) => ({ query, allowSchemaChanges: true })), ErrorCode.DbSchemaChangeRefused, /Leave the PRAGMA out|Ferry does not run EXPLAIN.*Run the statement itself/);
    await refusesAll(host, 'db.select', probes.map((query) => ({ query })), ErrorCode.DbSchemaChangeRefused, /table-valued function, e\.g\. SELECT \* FROM pragma_table_info|Run the statement itself/);
    await refusesAll(host, 'db.select', [{ query: 'PRAGMA table_info(items)' }], ErrorCode.DbSchemaChangeRefused, /pragma_table_info\('items'\)/);
    // SQLite drops a leading byte-order mark before it reads the first word; Ferry refuses the unknown word unprepared.
    const bom = ['\uFEFFPRAGMA trusted_schema = ON', '\uFEFFPRAGMA query_only = 1'].map((query) => ({ query, allowSchemaChanges: true }));
    await refusesAll(host, 'db.execute', bom, ErrorCode.DbQueryFailed, /db\.execute runs one SQLite statement starting with INSERT/);
    await refusesAll(host, 'db.select', bom, ErrorCode.DbQueryFailed, /db\.select runs queries \(SELECT, VALUES or WITH/);
    expect(readdirSync(dir)).toEqual([]);
    // The one PRAGMA db.execute runs, with the flag: a number in the file's header.
    expect((await fails(host, 'db.execute', { query: 'PRAGMA user_version = 5' })).message).toMatch(/allowSchemaChanges: true/);
    await ok(host, 'db.execute', { query: 'PRAGMA main.user_version = 5', allowSchemaChanges: true });
    expect((await ok(host, 'db.select', { query: 'SELECT user_version FROM pragma_user_version' })).rows).toEqual([{ user_version: 5 }]);
  });

  it('reads table-valued pragmas but lets none of them write, and keeps sqlite_schema read-only', async () => {
    const host = await seeded();
    const columns = await ok(host, 'db.select', { query: "SELECT name FROM pragma_table_info('items') ORDER BY cid", rowMode: 'array' });
    expect(columns.rows).toEqual([['sku'], ['price'], ['note']]);
    await refusesAll(host, 'db.select', [
      { query: 'SELECT * FROM pragma_optimize(0x10002)' },
      { query: "SELECT * FROM 'pragma_optimize'" },
    ], ErrorCode.DbQueryFailed, /db\.select only reads.*use db\.execute/);
    await refusesAll(host, 'db.execute', [
      { query: "UPDATE sqlite_schema SET sql = 'CREATE TABLE items (x)' WHERE name = 'items'", allowSchemaChanges: true },
      { query: "DELETE FROM sqlite_master WHERE type = 'table'", allowSchemaChanges: true },
      { query: "INSERT INTO sqlite_schema VALUES ('table', 'x', 'x', 0, 'CREATE TABLE x (a)')", allowSchemaChanges: true },
    ], ErrorCode.DbSchemaChangeRefused, /defensive mode.*Change the schema with CREATE, ALTER or DROP/);
  });

  it('finds statements hidden after comments, in quoted names and in second statements', async () => {
    const host = await seeded();
    const dir = outside();
    const target = path.join(dir, 'copy.sqlite');
    // A second statement is never compiled: better-sqlite3 refuses the call first.
    await refusesAll(host, 'db.execute', [
      { query: `INSERT INTO items (sku) VALUES ('x'); VACUUM INTO '${target}'`, allowSchemaChanges: true },
      { query: `DELETE FROM items /* ; */ ; ATTACH '${target}' AS y`, allowSchemaChanges: true },
      { query: 'UPDATE items SET price = 0;\n-- trailing\nDROP TABLE items', allowSchemaChanges: true },
    ], ErrorCode.DbQueryFailed, /send one statement per call/);
    await refusesAll(host, 'db.select', [{ query: `SELECT 1; VACUUM INTO '${target}'` }], ErrorCode.DbQueryFailed, /send one statement per call/);
    // WITH cannot lead to VACUUM or ATTACH: SQLite's grammar refuses it.
    await refusesAll(host, 'db.execute', [{ query: `WITH x AS (SELECT 1) VACUUM INTO '${target}'`, allowSchemaChanges: true }], ErrorCode.DbQueryFailed, /syntax error/);
    // A statement's text inside a name or a value is a name or a value.
    const weird = `x; VACUUM INTO '${target}'`;
    await ok(host, 'db.execute', { query: `CREATE TABLE IF NOT EXISTS "${weird.replace(/"/g, '""')}" ("ATTACH '${target}' AS y" TEXT)` });
    await ok(host, 'db.execute', { query: 'INSERT INTO items (sku, note) VALUES ($1, $2)', parameters: ['w', `'); VACUUM INTO '${target}'; --`] });
    expect((await ok(host, 'db.select', { query: 'SELECT name FROM sqlite_schema WHERE name = $1', parameters: [weird] })).rows).toEqual([{ name: weird }]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps transaction control, EXPLAIN and writes out of their wrong doors', async () => {
    const host = await seeded();
    await refusesAll(host, 'db.execute', ['BEGIN', 'begin immediate', 'SAVEPOINT s', 'COMMIT', 'END', 'ROLLBACK', 'RELEASE s'].map((query) => ({ query, allowSchemaChanges: true })), ErrorCode.DbSchemaChangeRefused, /each db\.execute call is its own transaction.*Use db\.batchInsert/);
    await refusesAll(host, 'db.select', [{ query: 'EXPLAIN SELECT * FROM items' }, { query: 'EXPLAIN QUERY PLAN SELECT 1' }], ErrorCode.DbSchemaChangeRefused, /Run the statement itself/);
    await refusesAll(host, 'db.select', [
      { query: 'DELETE FROM items' },
      { query: 'WITH x AS (SELECT 1) DELETE FROM items RETURNING sku' },
      { query: "INSERT INTO items (sku) VALUES ('r') RETURNING sku" },
    ], ErrorCode.DbQueryFailed, /use db\.execute/);
  });

  it('returns columns named __proto__, constructor and toString as plain own properties, blobs as base64', async () => {
    const host = await seeded();
    const query = "SELECT x'0102ff' AS __proto__, 'c' AS constructor, 't' AS toString, 1 AS a, 2 AS a, sku AS hasOwnProperty FROM items WHERE sku = 'a'";
    const objects = await ok(host, 'db.select', { query });
    expect(objects.columns).toEqual(['__proto__', 'constructor', 'toString', 'a', 'a', 'hasOwnProperty']);
    expect(objects.rows).toHaveLength(1);
    const row = objects.rows[0];
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(['__proto__', 'constructor', 'toString', 'a', 'hasOwnProperty']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('AQL/');
    expect(row).toMatchObject({ constructor: 'c', toString: 't', a: 2, hasOwnProperty: 'a' });
    const text = await ok(host, 'db.select', { query: "SELECT 'plain' AS __proto__" });
    expect(Object.getOwnPropertyDescriptor(text.rows[0], '__proto__')?.value).toBe('plain');
    const arrays = await ok(host, 'db.select', { query, rowMode: 'array' });
    expect(arrays.rows).toEqual([['AQL/', 'c', 't', 1, 2, 'a']]);
  });

  it('never creates a TEMP table, view or trigger, whatever the flags; a later insert lands in main', async () => {
    const host = await seeded();
    await ok(host, 'db.execute', { query: 'CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT)' });
    const probes = [
      // The review's reproduction: no flag needed before, and the victim's writes vanished.
      { query: 'CREATE TEMP TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT)' },
      { query: 'CREATE TEMPORARY TABLE orders AS SELECT 666 AS id, \'attacker\' AS item', allowSchemaChanges: true },
      { query: 'CREATE TABLE IF NOT EXISTS temp.orders (id, item)' },
      { query: 'create table if not exists "TEMP"."orders" (id, item)', allowSchemaChanges: true },
      { query: 'CREATE TEMP VIEW items AS SELECT \'z\' AS sku, 0 AS price, NULL AS note', allowSchemaChanges: true },
      { query: 'CREATE VIEW temp.items AS SELECT 1', allowSchemaChanges: true },
      { query: 'create temp trigger if not exists wipe after insert on main.items begin delete from items; end', allowSchemaChanges: true },
    ];
    const errors = await refusesAll(host, 'db.execute', probes, ErrorCode.DbSchemaChangeRefused, /temp schema.*would shadow the table of the same name for every later call.*CREATE TABLE IF NOT EXISTS/);
    expect(errors[0].data).toMatchObject({ codeName: 'DbSchemaChangeRefused', schema: 'temp' });
    expect((await ok(host, 'db.select', { query: 'SELECT count(*) AS n FROM temp.sqlite_schema' })).rows).toEqual([{ n: 0 }]);
    // The writer names main explicitly, and refuses a table in temp.
    expect(await ok(host, 'db.insert', { table: 'orders', data: { id: 1, item: 'book' } })).toMatchObject({ inserted: 1, tableCreated: false });
    const refused = await fails(host, 'db.insert', { table: 'temp.orders', data: { id: 2, item: 'pen' } });
    expect(refused.message).toMatch(/writes only into its database's main schema/);
    expect((await ok(host, 'db.select', { query: 'SELECT id, item FROM main.orders' })).rows).toEqual([{ id: 1, item: 'book' }]);
    // After reopening the file (a new host on the same home), the row is there.
    await host.stop();
    const again = startHost({ env: { FERRY_HOME: host.home } });
    expect((await ok(again, 'db.select', { query: 'SELECT id, item FROM orders' })).rows).toEqual([{ id: 1, item: 'book' }]);
    await again.stop();
  });
});
