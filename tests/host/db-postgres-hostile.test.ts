/**
 * Hostile SQL through db.select and db.execute on PostgreSQL, over real frames against the real server
 * (127.0.0.1:5432, database `test`), connected as the machine's superuser `postgres` on purpose: the
 * host's own gate (PostgreSQL's parser, native-host/src/db/postgres/classify.ts) must hold even when the
 * role's privileges would not. Each probe asserts the refusal (code, statement or function, a message
 * saying what to do instead) and that nothing happened on the server: every file a probe could write
 * aims at a fresh world-writable temporary folder that must stay empty (a control shows the server can
 * write there), no extension, foreign server, function or table appears, and the next call on the same
 * pool of one connection sees the default settings and holds no advisory lock.
 */
import { execFile } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ORIGIN, ErrorCode } from '../../src/protocol';
import { HOST_CLI } from '../support/paths';
import { HostProcess, hostsForEachTest, isolatedEnv, tempDir } from './host-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SUFFIX = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const SCHEMA = `ferry_hostile_${SUFFIX}`;
const SERVER_NAME = `ferry_hostile_srv_${SUFFIX}`;
const server = { host: '127.0.0.1', port: 5432, database: 'test', username: 'postgres' };
/** One connection: whatever a probe left on the session, the next call would see. */
// As the superuser, with allowPrivilegedRole: the probes test the SQL gate itself, the layer that still
// stands when a user lets a privileged role run a pipeline's SQL (db-postgres.test.ts tests the refusal).
const target = { connectionConfig: { type: 'postgresql', ...server, ssl: false, poolSize: 1, allowPrivilegedRole: true }, connectionPool: { maxConnections: 1 } };
const startHost = hostsForEachTest({ assertCleanStdout: true });

let admin: pg.Client;
let drop: string;
let largeObject: number;
let defaults: { search_path: string; read_only: string };
let baseline: string;
let nextId = 1;

async function call(host: HostProcess, method: string, params: Json): Promise<Json> {
  return host.call(nextId++, method, { ...target, ...params }, 20_000);
}

async function ok(host: HostProcess, method: string, params: Json): Promise<Json> {
  const response = await call(host, method, params);
  expect(response.error, JSON.stringify(response.error)).toBeUndefined();
  // These probes log in as the superuser on purpose, so every result carries that warning
  // (db-postgres.test.ts tests it); the rest of the result is what each probe checks.
  const { roleWarning, ...result } = response.result;
  expect(roleWarning).toMatchObject({ role: 'postgres', risks: expect.arrayContaining(['superuser']) });
  return result;
}

/** What a probe could change on the server, as text to compare. */
async function serverState(): Promise<string> {
  const q = async (sql: string, values: unknown[] = []) => (await admin.query(sql, values)).rows;
  return JSON.stringify({
    extensions: await q(`SELECT extname FROM pg_extension WHERE extname IN ('file_fdw', 'dblink', 'postgres_fdw', 'adminpack') ORDER BY 1`),
    servers: await q('SELECT srvname FROM pg_foreign_server WHERE srvname = $1', [SERVER_NAME]),
    relations: await q('SELECT relname, relkind FROM pg_class WHERE relnamespace = $1::regnamespace ORDER BY 1', [SCHEMA]),
    functions: await q('SELECT proname FROM pg_proc WHERE pronamespace = $1::regnamespace ORDER BY 1', [SCHEMA]),
    items: await q(`SELECT * FROM ${SCHEMA}.items ORDER BY id`),
    largeObject: await q('SELECT count(*)::int AS n FROM pg_largeobject_metadata WHERE oid = $1', [largeObject]),
  });
}

/** Nothing written, created or left on the session by the probe just refused. */
async function expectNothingHappened(host: HostProcess): Promise<void> {
  expect(readdirSync(drop)).toEqual([]);
  expect(await serverState()).toBe(baseline);
  const session = await ok(host, 'db.select', {
    query: "SELECT current_setting('search_path') AS search_path, current_setting('default_transaction_read_only') AS read_only, current_user AS who, (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS advisory_locks, (SELECT count(*)::int FROM pg_class WHERE relpersistence = 't' AND pg_table_is_visible(oid)) AS temp_tables",
  });
  expect(session.rows).toEqual([{ ...defaults, who: 'postgres', advisory_locks: 0, temp_tables: 0 }]);
  // The symptom: after the settings changed, db.execute failed as if it ran in db.select.
  expect(await ok(host, 'db.execute', { query: `UPDATE ${SCHEMA}.items SET name = name WHERE id = -1` })).toEqual({ changes: 0 });
}

interface Probe {
  name: string;
  method: 'db.select' | 'db.execute';
  query: () => string;
  parameters?: () => unknown;
  allowSchemaChanges?: boolean;
  code?: number;
  data: Record<string, unknown>;
  message: RegExp;
}

const inDrop = (file: string) => path.join(drop, file);
const refused = ErrorCode.DbSchemaChangeRefused;
const filesMessage = /reads files or folders on the database server; Ferry never lets a pipeline do that\. Read files with a file step inside a granted folder\./;

const probes: Probe[] = [
  // The probes.
  { name: "pg_read_file('/etc/hostname') in db.select", method: 'db.select', query: () => "SELECT pg_read_file('/etc/hostname') AS host", data: { function: 'pg_read_file' }, message: filesMessage },
  { name: "pg_ls_dir('/etc') in db.select", method: 'db.select', query: () => "SELECT * FROM pg_ls_dir('/etc') AS f(name)", data: { function: 'pg_ls_dir' }, message: filesMessage },
  { name: 'lo_export in db.select', method: 'db.select', query: () => `SELECT lo_export(${largeObject}, '${inDrop('select')}')`, data: { function: 'lo_export' }, message: /large objects .*bytea column/ },
  { name: 'lo_export in INSERT ... SELECT through db.execute', method: 'db.execute', query: () => `INSERT INTO ${SCHEMA}.items (id, name) SELECT 1, lo_export(${largeObject}, '${inDrop('insert')}')::text`, data: { function: 'lo_export', statement: 'INSERT' }, message: /large objects/ },
  { name: 'CREATE EXTENSION IF NOT EXISTS file_fdw', method: 'db.execute', query: () => 'CREATE EXTENSION IF NOT EXISTS file_fdw', data: { statement: 'CREATE EXTENSION' }, message: /puts code on the database server .*administrator/ },
  { name: 'CREATE EXTENSION IF NOT EXISTS file_fdw with allowSchemaChanges', method: 'db.execute', allowSchemaChanges: true, query: () => 'CREATE EXTENSION IF NOT EXISTS file_fdw', data: { statement: 'CREATE EXTENSION' }, message: /puts code/ },
  { name: 'CREATE SERVER IF NOT EXISTS', method: 'db.execute', query: () => `CREATE SERVER IF NOT EXISTS ${SERVER_NAME} FOREIGN DATA WRAPPER file_fdw`, data: { statement: 'CREATE SERVER' }, message: /foreign-data wrapper.*connection of its own/ },
  { name: "CREATE FOREIGN TABLE IF NOT EXISTS ... OPTIONS (program '...')", method: 'db.execute', allowSchemaChanges: true, query: () => `CREATE FOREIGN TABLE IF NOT EXISTS ${SCHEMA}.outside (line text) SERVER ${SERVER_NAME} OPTIONS (program 'touch ${inDrop('fdw')}')`, data: { statement: 'CREATE FOREIGN TABLE' }, message: /foreign-data wrapper/ },
  { name: 'a function named "IF NOT EXISTS" whose body runs COPY ... TO PROGRAM', method: 'db.execute', query: () => `CREATE FUNCTION ${SCHEMA}."IF NOT EXISTS"() RETURNS void LANGUAGE sql AS $$ COPY (SELECT 1) TO PROGRAM 'touch ${inDrop('fn')}' $$`, data: { statement: 'CREATE FUNCTION' }, message: /puts code .*COPY \.\.\. TO PROGRAM/ },
  { name: 'the same function with allowSchemaChanges', method: 'db.execute', allowSchemaChanges: true, query: () => `CREATE OR REPLACE FUNCTION ${SCHEMA}."IF NOT EXISTS"() RETURNS void LANGUAGE sql AS $$ COPY (SELECT 1) TO PROGRAM 'touch ${inDrop('fn')}' $$`, data: { statement: 'CREATE FUNCTION' }, message: /puts code/ },
  { name: "set_config('default_transaction_read_only') and set_config('search_path') in db.select", method: 'db.select', query: () => "SELECT set_config('default_transaction_read_only', 'on', false), set_config('search_path', 'pg_temp', false)", data: { function: 'set_config' }, message: /pooled connection, which later calls would inherit.*ALTER ROLE/ },
  // More of the same spirit.
  { name: "pg_stat_file('/etc/passwd')", method: 'db.select', query: () => "SELECT (pg_stat_file('/etc/passwd')).size", data: { function: 'pg_stat_file' }, message: filesMessage },
  { name: 'COPY ... FROM a server file', method: 'db.execute', query: () => `COPY ${SCHEMA}.items (name) FROM '/etc/hostname'`, data: { statement: 'COPY' }, message: /COPY reads and writes files on the database server.*db\.batchInsert.*file step/ },
  { name: 'COPY (SELECT ...) TO PROGRAM behind a comment that starts with INSERT', method: 'db.execute', query: () => `/* INSERT */ -- UPDATE\nCOPY (SELECT 1) TO PROGRAM 'touch ${inDrop('copy')}'`, data: { statement: 'COPY' }, message: /PROGRAM/ },
  { name: 'COPY TO a server file through db.select', method: 'db.select', query: () => `COPY (SELECT 1) TO '${inDrop('copy-select')}'`, data: { statement: 'COPY' }, message: /COPY/ },
  { name: "query_to_xml('COPY ...')", method: 'db.select', query: () => `SELECT query_to_xml('COPY (SELECT 1) TO PROGRAM ''touch ${inDrop('xml')}''', true, true, '')`, data: { function: 'query_to_xml' }, message: /runs SQL handed to it as text/ },
  { name: 'dblink to another server', method: 'db.select', query: () => "SELECT * FROM dblink('host=127.0.0.1 dbname=test user=postgres', 'SELECT 1') AS r(x int)", data: { function: 'dblink' }, message: /another server.*connection of its own/ },
  { name: 'CREATE FUNCTION ... LANGUAGE plpgsql', method: 'db.execute', allowSchemaChanges: true, query: () => `CREATE FUNCTION ${SCHEMA}.f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${inDrop('plpgsql')}'''; RETURN 1; END $$`, data: { statement: 'CREATE FUNCTION' }, message: /puts code/ },
  { name: 'a DO block', method: 'db.execute', allowSchemaChanges: true, query: () => `DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${inDrop('do')}'''; END $$`, data: { statement: 'DO' }, message: /puts code/ },
  { name: 'case, whitespace and schema-qualification', method: 'db.select', query: () => "SeLeCt\n\t  PG_CATALOG . Pg_Read_File ( '/etc/hostname' )", data: { function: 'pg_read_file' }, message: filesMessage },
  { name: 'attribute notation', method: 'db.select', query: () => "SELECT ('/etc/hostname'::text).pg_read_file", data: { function: 'pg_read_file' }, message: filesMessage },
  { name: 'the path as a $1 parameter', method: 'db.select', query: () => 'SELECT pg_read_file($1)', parameters: () => ['/etc/hostname'], data: { function: 'pg_read_file' }, message: filesMessage },
  { name: 'set_config with named parameters', method: 'db.select', query: () => 'SELECT set_config(:name, :value, false)', parameters: () => ({ name: 'search_path', value: 'pg_temp' }), data: { function: 'set_config' }, message: /settings/ },
  { name: 'lo_export with ? parameters', method: 'db.execute', query: () => `UPDATE ${SCHEMA}.items SET name = lo_export(?, ?)::text`, parameters: () => [largeObject, inDrop('param')], data: { function: 'lo_export' }, message: /large objects/ },
  { name: 'CREATE TRIGGER behind a comment saying IF NOT EXISTS', method: 'db.execute', query: () => `CREATE /* IF NOT EXISTS */ TRIGGER t BEFORE INSERT ON ${SCHEMA}.items FOR EACH ROW EXECUTE FUNCTION ${SCHEMA}.f()`, data: { statement: 'CREATE TRIGGER' }, message: /puts code/ },
  { name: 'a table named "IF NOT EXISTS" without allowSchemaChanges', method: 'db.execute', query: () => `CREATE TABLE ${SCHEMA}."IF NOT EXISTS" (a int)`, data: { statement: 'CREATE TABLE' }, message: /changes the database's schema; set allowSchemaChanges: true/ },
  { name: 'a default that reads a server file, in CREATE TABLE IF NOT EXISTS', method: 'db.execute', query: () => `CREATE TABLE IF NOT EXISTS ${SCHEMA}.evil (a text DEFAULT pg_read_file('/etc/hostname'))`, data: { function: 'pg_read_file', statement: 'CREATE TABLE' }, message: filesMessage },
  { name: 'UPDATE pg_settings (a SET in disguise)', method: 'db.execute', query: () => "UPDATE pg_settings SET setting = 'pg_temp' WHERE name = 'search_path'", data: { statement: 'UPDATE', relation: 'pg_settings' }, message: /system catalog.*like SET/ },
  { name: 'a session-level advisory lock', method: 'db.select', query: () => 'SELECT pg_advisory_lock(4242)', data: { function: 'pg_advisory_lock' }, message: /outlives the call .*pg_advisory_xact_lock/ },
  { name: 'SET search_path', method: 'db.execute', query: () => 'SET search_path = pg_temp', data: { statement: 'SET' }, message: /pooled connection/ },
  { name: 'SET ROLE', method: 'db.execute', query: () => 'SET ROLE pg_read_server_files', data: { statement: 'SET ROLE' }, message: /pooled connection/ },
  { name: 'a TEMPORARY table', method: 'db.execute', allowSchemaChanges: true, query: () => 'CREATE TEMP TABLE leftover (a int)', data: { statement: 'CREATE TABLE' }, message: /TEMPORARY would leave leftover on the pooled connection/ },
  { name: 'a view that reads configuration files', method: 'db.select', query: () => 'SELECT * FROM pg_file_settings', data: { relation: 'pg_file_settings' }, message: /configuration files/ },
  { name: 'ALTER SYSTEM', method: 'db.execute', allowSchemaChanges: true, query: () => "ALTER SYSTEM SET log_min_messages = 'debug5'", data: { statement: 'ALTER SYSTEM' }, message: /administers the database server/ },
  { name: 'a row change stacked before COPY', method: 'db.execute', code: ErrorCode.DbQueryFailed, query: () => `INSERT INTO ${SCHEMA}.items VALUES (2, 'x'); COPY (SELECT 1) TO PROGRAM 'touch ${inDrop('stacked')}'`, data: { statements: 2 }, message: /2 statements; send one statement per call/ },
  { name: 'a data-modifying CTE in db.select', method: 'db.select', code: ErrorCode.DbQueryFailed, query: () => `WITH d AS (INSERT INTO ${SCHEMA}.items VALUES (3, 'x') RETURNING id) SELECT * FROM d`, data: { statement: 'INSERT' }, message: /read-only/ },
];

beforeAll(async () => {
  admin = new pg.Client({ ...server, user: server.username });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  await admin.query(`CREATE TABLE ${SCHEMA}.items (id bigint PRIMARY KEY, name text)`);
  largeObject = (await admin.query("SELECT lo_from_bytea(0, 'large object of the hostile probes'::bytea) AS oid")).rows[0].oid;
  drop = tempDir('pg-hostile');
  // World-writable, so a probe that got through would leave its file here for the check to see.
  chmodSync(drop, 0o777);
  const fresh = (await admin.query("SELECT current_setting('search_path') AS search_path, current_setting('default_transaction_read_only') AS read_only")).rows[0];
  defaults = { search_path: fresh.search_path, read_only: fresh.read_only };
  baseline = await serverState();
});

afterAll(async () => {
  if (!admin) return;
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.query(`DROP SERVER IF EXISTS ${SERVER_NAME} CASCADE`);
  if (largeObject) await admin.query('SELECT lo_unlink($1)', [largeObject]);
  await admin.end();
  if (drop) rmSync(drop, { recursive: true, force: true });
});

describe('hostile SQL on PostgreSQL', () => {
  it('has a drop folder the database server can write to (so an empty folder means the probes wrote nothing)', async () => {
    await admin.query(`COPY (SELECT 1) TO '${inDrop('control')}'`);
    expect(readdirSync(drop)).toEqual(['control']);
    rmSync(inDrop('control'));
  });

  it.each(probes)('refuses $name, and nothing happens', async (probe) => {
    const host = startHost();
    const params: Json = { query: probe.query() };
    if (probe.parameters) params.parameters = probe.parameters();
    if (probe.allowSchemaChanges) params.allowSchemaChanges = true;
    const response = await call(host, probe.method, params);
    expect(response.result, 'expected a refusal').toBeUndefined();
    expect(response.error).toMatchObject({ code: probe.code ?? refused, data: probe.data });
    expect(response.error.message).toMatch(probe.message);
    await expectNothingHappened(host);
  });

  it('answers a syntax error with the parser\'s message and position, before touching the pool', async () => {
    const host = startHost();
    const response = await call(host, 'db.select', { query: 'SELECT name FROM items WHERE id = :id AND', parameters: { id: 1 } });
    expect(response.error).toMatchObject({ code: ErrorCode.DbQueryFailed, data: { pgMessage: 'syntax error at end of input', position: 41 } });
    expect(response.error.message).toMatch(/^PostgreSQL's parser refused the query: syntax error at end of input at character 41/);
    await expectNothingHappened(host);
  });
});

describe('the installed host', () => {
  it('finds PostgreSQL\'s parser when a browser starts it through the launcher (minimal PATH, origin argument)', async () => {
    const ferryHome = tempDir('pg-hostile-home');
    try {
      const env = isolatedEnv({ HOME: ferryHome, FERRY_HOME: ferryHome });
      await promisify(execFile)(process.execPath, [HOST_CLI, 'install', '--user-data-dir', path.join(ferryHome, 'profile')], { env });
      const host = new HostProcess({ command: path.join(ferryHome, 'bin', 'ferry-host-launcher'), args: [CHROME_EXTENSION_ORIGIN], env: { FERRY_HOME: ferryHome, HOME: ferryHome, PATH: '/nonexistent' } });
      try {
        const refusedCall = await host.call(1, 'db.select', { ...target, query: "SELECT pg_read_file('/etc/hostname')" }, 20_000);
        expect(refusedCall.error).toMatchObject({ code: refused, data: { function: 'pg_read_file' } });
        expect((await host.call(2, 'db.select', { ...target, query: 'SELECT 1 AS one' }, 20_000)).result.rows).toEqual([{ one: 1 }]);
        expect((await host.stop()).code).toBe(0);
        host.assertCleanStdout();
      } finally {
        await host.dispose();
      }
    } finally {
      rmSync(ferryHome, { recursive: true, force: true });
    }
  });
});

describe('SQL the server would read differently from the parser', () => {
  it('forces standard_conforming_strings on, so a role set to off cannot smuggle a call inside what the parser reads as a string', async () => {
    const role = `ferry_hostile_scs_${SUFFIX}`;
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    try {
      await admin.query(`ALTER ROLE ${role} SET standard_conforming_strings = off`);
      await admin.query(`GRANT pg_read_server_files TO ${role}`);
      await admin.query(`GRANT EXECUTE ON FUNCTION pg_read_file(text) TO ${role}`);
      // With the setting off, 'a\', ' is one string and the call after it runs; the parser (on) sees two strings.
      const smuggled = "SELECT 'a\\', ' AS x, pg_read_file($$/etc/hostname$$) AS y --'";
      const raw = new pg.Client({ ...server, user: role });
      await raw.connect();
      try {
        expect(Object.values((await raw.query(smuggled)).rows[0])).toContain(readFileSync('/etc/hostname', 'utf8'));
      } finally {
        await raw.end();
      }
      const host = startHost();
      const asRole = { ...target, connectionConfig: { ...target.connectionConfig, username: role } };
      const response = await host.call(nextId++, 'db.select', { ...asRole, query: smuggled, rowMode: 'array' }, 20_000);
      expect(response.result?.rows).toEqual([['a\\', ' AS x, pg_read_file($$/etc/hostname$$) AS y --']]);
      await host.stop();
    } finally {
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE ${role}`);
    }
  });
});

describe('ordinary SQL on PostgreSQL still runs', () => {
  it('selects, joins, CTEs, VALUES, TABLE; inserts, updates, deletes, upserts and MERGE; schema changes with the flag', async () => {
    const host = startHost();
    const items = `${SCHEMA}.ordinary_items`;
    const prices = `${SCHEMA}.ordinary_prices`;
    expect(await ok(host, 'db.execute', { query: `CREATE TABLE IF NOT EXISTS ${items} (id bigint PRIMARY KEY, name text NOT NULL, qty int DEFAULT 0)` })).toEqual({ changes: 0 });
    expect(await ok(host, 'db.execute', { query: `CREATE TABLE ${prices} (id bigint PRIMARY KEY, price double precision)`, allowSchemaChanges: true })).toEqual({ changes: 0 });
    expect(await ok(host, 'db.execute', { query: `CREATE INDEX IF NOT EXISTS ordinary_items_name ON ${items} (name)`, allowSchemaChanges: true })).toEqual({ changes: 0 });
    expect(await ok(host, 'db.execute', { query: `INSERT INTO ${items} (id, name) VALUES (:a, 'apple'), (:b, 'pear'), (3, 'plum')`, parameters: { a: 1, b: 2 } })).toEqual({ changes: 3 });
    expect(await ok(host, 'db.execute', { query: `INSERT INTO ${prices} VALUES ($1, $2), ($3, $4)`, parameters: [1, 0.5, 2, 0.75] })).toEqual({ changes: 2 });
    expect(await ok(host, 'db.execute', { query: `INSERT INTO ${items} (id, name, qty) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET qty = excluded.qty`, parameters: [1, 'apple', 7] })).toEqual({ changes: 1 });
    expect(await ok(host, 'db.execute', { query: `INSERT INTO ${items} (id, name) VALUES (2, 'again') ON CONFLICT DO NOTHING` })).toEqual({ changes: 0 });
    expect(await ok(host, 'db.execute', { query: `UPDATE ${items} SET qty = qty + 1 WHERE id IN (SELECT id FROM ${prices})` })).toEqual({ changes: 2 });
    expect(await ok(host, 'db.execute', { query: `WITH cheap AS (SELECT id FROM ${prices} WHERE price < 0.6) DELETE FROM ${prices} p USING cheap WHERE p.id = cheap.id` })).toEqual({ changes: 1 });
    expect(await ok(host, 'db.execute', { query: `MERGE INTO ${prices} p USING ${items} i ON p.id = i.id WHEN MATCHED THEN UPDATE SET price = p.price * 2 WHEN NOT MATCHED THEN INSERT VALUES (i.id, 1)` })).toEqual({ changes: 3 });
    expect(await ok(host, 'db.execute', { query: `DELETE FROM ${items} WHERE name = 'plum';  -- trailing comment` })).toEqual({ changes: 1 });

    const joined = await ok(host, 'db.select', { query: `WITH priced AS (SELECT i.name, i.qty, p.price FROM ${items} i JOIN ${prices} p USING (id)) SELECT * FROM priced ORDER BY name` });
    expect(joined).toEqual({ columns: ['name', 'qty', 'price'], rows: [{ name: 'apple', qty: 8, price: 1 }, { name: 'pear', qty: 1, price: 1.5 }], rowCount: 2 });
    expect((await ok(host, 'db.select', { query: 'VALUES (1, $1::text), (2, $2)', parameters: ['a', 'b'], rowMode: 'array' })).rows).toEqual([[1, 'a'], [2, 'b']]);
    expect((await ok(host, 'db.select', { query: `TABLE ${prices};` })).rowCount).toBe(3);
    expect((await ok(host, 'db.select', { query: `SELECT count(*) AS n FROM ${items} -- a comment at the end` })).rows).toEqual([{ n: 2 }]);
    expect((await ok(host, 'db.select', { query: "SELECT pg_try_advisory_xact_lock(4243) AS locked, 'pg_read_file(''/etc/hostname'')' AS text" })).rows).toEqual([{ locked: true, text: "pg_read_file('/etc/hostname')" }]);
    const first = await ok(host, 'db.select', { query: `SELECT id FROM ${prices} ORDER BY id`, maxRows: 2, rowMode: 'array' });
    expect(first.rows).toEqual([[1], [2]]);
    expect((await ok(host, 'db.select', { query: `SELECT id FROM ${prices} ORDER BY id`, maxRows: 2, rowMode: 'array', cursor: first.nextCursor })).rows).toEqual([[3]]);
    expect(await ok(host, 'db.execute', { query: `DROP TABLE ${prices}`, allowSchemaChanges: true })).toEqual({ changes: 0 });
    await ok(host, 'db.execute', { query: `DROP TABLE ${items}`, allowSchemaChanges: true });
  });

  it('keeps a column named __proto__ in object rows', async () => {
    const host = startHost();
    const result = await ok(host, 'db.select', { query: `SELECT 1 AS "__proto__", 'x' AS constructor, '\\x0102'::bytea AS "hasOwnProperty"` });
    expect(result.columns).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    const row = result.rows[0];
    expect(Object.keys(row)).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe(1);
    expect(row.constructor).toBe('x');
    expect(row.hasOwnProperty).toBe('AQI=');
    const blob = await ok(host, 'db.select', { query: `SELECT '\\x0102'::bytea AS "__proto__"` });
    expect(Object.getOwnPropertyDescriptor(blob.rows[0], '__proto__')?.value).toBe('AQI=');
  });
});
