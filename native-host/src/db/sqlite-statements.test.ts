/**
 * The SQLite classifier (statements.ts) and the connection hardening against better-sqlite3 itself:
 * each fact the classifier relies on is asserted here too, so a better-sqlite3 or SQLite upgrade that
 * changes one fails this file first.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, isRpcError, type RpcError } from '../../../src/protocol';
import { DatabaseConnections, type SqliteDatabase } from './connections';
import { bytecodeFacts, explain } from './sqlite-bytecode';
import { readOnly } from './sqlite-hardening';
import { objectRow } from './sqlite-rows';
import { leadingTokens } from './sqlite-tokens';
import { prepareExecute, prepareSelect } from './statements';

let dir: string;
let outside: string;
let connections: DatabaseConnections;
let db: SqliteDatabase;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-sqlite-unit-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'ferry-sqlite-outside-'));
  connections = new DatabaseConnections(dir);
  db = connections.get({});
  db.exec('CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, \'x\'), (2, \'y\')');
});

afterEach(() => {
  connections.closeSqlite();
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function refusal(fn: () => unknown): RpcError {
  try {
    fn();
  } catch (error) {
    if (isRpcError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const execute = (sql: string, allow = false, parameters?: never) => prepareExecute(db, sql, parameters, allow);
const settings = () => ({
  trusted: db.pragma('trusted_schema', { simple: true }),
  queryOnly: db.pragma('query_only', { simple: true }),
  foreignKeys: db.pragma('foreign_keys', { simple: true }),
  journal: db.pragma('journal_mode', { simple: true }),
  tempStore: db.pragma('temp_store', { simple: true }),
  tempDir: db.pragma('temp_store_directory', { simple: true }),
  mmap: db.pragma('mmap_size', { simple: true }),
  locking: db.pragma('locking_mode', { simple: true }),
});

describe('SQLite facts the classifier relies on (better-sqlite3 12.9)', () => {
  it('applies PRAGMAs while preparing them, which is why they are decided before db.prepare', () => {
    expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
    db.prepare('PRAGMA trusted_schema = ON');
    expect(db.pragma('trusted_schema', { simple: true })).toBe(1);
    db.pragma('trusted_schema = OFF');
    db.prepare('; EXPLAIN PRAGMA query_only = ON');
    expect(db.pragma('query_only', { simple: true })).toBe(1);
    db.pragma('query_only = OFF');
  });

  it('reads VACUUM INTO, ATTACH, transaction control and what a CREATE adds from the bytecode', () => {
    const facts = (sql: string, values: unknown[] = []) => bytecodeFacts(explain(db, sql, values));
    expect(facts("VACUUM INTO '/nowhere'").vacuumInto).toBe(true);
    expect(facts('VACUUM INTO ?', ['/nowhere']).vacuumInto).toBe(true);
    expect(facts('VACUUM')).toMatchObject({ vacuum: true, vacuumInto: false });
    expect([...facts("ATTACH 'x' AS y").functions]).toEqual(['sqlite_attach']);
    expect(db.prepare("ATTACH 'x' AS y").readonly).toBe(true); // sqlite3_stmt_readonly's documented exception
    expect(facts('BEGIN').transactionControl).toBe(true);
    expect(facts('SAVEPOINT s').transactionControl).toBe(true);
    expect(facts('CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN DELETE FROM t; END').createsTrigger).toBe(true);
    expect(facts('CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a)').createsIndex).toBe(true);
    expect(facts('CREATE VIEW IF NOT EXISTS v AS SELECT 1').createsView).toBe(true);
    expect(facts('CREATE VIRTUAL TABLE IF NOT EXISTS f USING fts5(x)').createsVirtualTable).toBe(true);
    const table = facts('CREATE TABLE IF NOT EXISTS n (a TEXT PRIMARY KEY, b UNIQUE)');
    expect(table).toMatchObject({ createsTrigger: false, createsIndex: false, createsView: false, createsVirtualTable: false });
    expect(facts('DELETE FROM t').schemaOpcodes.size).toBe(0);
    expect([...facts("SELECT load_extension('x')").functions]).toEqual(['load_extension']);
  });

  it('has no file-reaching virtual tables or functions compiled in', () => {
    const modules = db.prepare('SELECT name FROM pragma_module_list').pluck().all();
    for (const name of ['sqlite_dbpage', 'fsdir', 'zipfile', 'csv']) expect(modules).not.toContain(name);
    const functions = db.prepare('SELECT DISTINCT name FROM pragma_function_list').pluck().all();
    for (const name of ['readfile', 'writefile', 'edit', 'lsmode']) expect(functions).not.toContain(name);
  });
});

describe('connection hardening', () => {
  it('opens with trusted_schema off, defensive mode on, load_extension not authorized', () => {
    expect(settings()).toMatchObject({ trusted: 0, queryOnly: 0, foreignKeys: 1, journal: 'wal' });
    db.pragma('writable_schema = ON');
    expect(db.pragma('writable_schema', { simple: true })).toBe(0);
    expect(() => db.exec("UPDATE sqlite_schema SET sql = 'x'")).toThrow(/may not be modified/);
    expect(() => db.prepare("SELECT load_extension('/nowhere/x')").get()).toThrow(/not authorized/);
  });

  it('keeps schema objects from using non-innocuous virtual tables and functions', () => {
    db.exec("CREATE VIEW v AS SELECT * FROM pragma_table_info('t')");
    expect(() => db.prepare('SELECT * FROM v').all()).toThrow(/unsafe use of virtual table/);
  });

  it('runs a select query-only and turns it back off', () => {
    expect(() => readOnly(db, () => db.prepare('SELECT * FROM pragma_optimize(0x10002)').all())).toThrow(/only reads/);
    expect(db.pragma('query_only', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'sqlite_stat%'").pluck().get()).toBe(0);
  });
});

describe('db.execute on SQLite', () => {
  it('runs row changes and CREATE TABLE IF NOT EXISTS without the flag', () => {
    for (const sql of [
      'INSERT INTO t VALUES (3, \'z\')',
      'WITH x AS (SELECT 4 AS a) INSERT INTO t (a) SELECT a FROM x',
      'UPDATE t SET b = upper(b)',
      'DELETE FROM t WHERE a = 1',
      'DELETE FROM t',
      'REPLACE INTO t VALUES (5, \'r\')',
      '-- note\nCREATE TABLE IF NOT EXISTS items (sku TEXT PRIMARY KEY, price REAL)',
      'create table if not exists t (a)',
      'CREATE TABLE IF NOT EXISTS copy AS SELECT * FROM t',
    ]) {
      expect(() => execute(sql).statement.run(), sql).not.toThrow();
    }
    db.exec('CREATE UNIQUE INDEX u ON items (price)');
    expect(() => execute('INSERT INTO items VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE SET price = excluded.price', false, ['a', 1] as never).statement.run('a', 1)).not.toThrow();
  });

  it('refuses TEMP objects whatever the flags: one would shadow a main table for every later call', () => {
    for (const sql of [
      'CREATE TEMP TABLE IF NOT EXISTS t (a, b)',
      'create temporary table scratch (a)',
      'CREATE TABLE IF NOT EXISTS temp.t (a, b)',
      'CREATE TABLE IF NOT EXISTS "temp"."t" (a, b)',
      'CREATE TABLE [TEMP].t AS SELECT * FROM main.t',
      'CREATE TEMP VIEW t AS SELECT 9 AS a',
      'CREATE VIEW temp.t AS SELECT 9 AS a',
      'CREATE TEMP TRIGGER IF NOT EXISTS tt AFTER INSERT ON main.t BEGIN SELECT 1; END',
      'CREATE TRIGGER temp.tt AFTER INSERT ON main.t BEGIN SELECT 1; END',
      '/* x */ CREATE\tTEMP TABLE s (a)',
    ]) {
      for (const allow of [false, true]) {
        const error = refusal(() => execute(sql, allow));
        expect(error.code, sql).toBe(ErrorCode.DbSchemaChangeRefused);
        expect(error.message, sql).toMatch(/temp schema.*shadow the table of the same name/);
        expect(error.message, sql).toMatch(/CREATE TABLE IF NOT EXISTS/);
      }
    }
    expect(db.prepare("SELECT count(*) FROM temp.sqlite_schema").pluck().get()).toBe(0);
    expect(bytecodeFacts(explain(db, 'CREATE TEMP TABLE x (a)', [])).writesTempSchema).toBe(true);
    expect(bytecodeFacts(explain(db, 'CREATE TABLE IF NOT EXISTS x (a)', [])).writesTempSchema).toBe(false);
    expect(bytecodeFacts(explain(db, 'INSERT INTO t VALUES (1, 2)', [])).writesTempSchema).toBe(false);
  });

  it('needs allowSchemaChanges for every other schema change, and names it', () => {
    const cases: [string, RegExp][] = [
      ['CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN DELETE FROM t; END', /CREATE TRIGGER adds a trigger/],
      ['CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a)', /CREATE UNIQUE INDEX/],
      ['CREATE INDEX IF NOT EXISTS i ON t (a)', /CREATE INDEX/],
      ['CREATE VIEW IF NOT EXISTS v AS SELECT 1', /CREATE VIEW/],
      ['CREATE VIRTUAL TABLE IF NOT EXISTS f USING fts5(x)', /CREATE VIRTUAL TABLE/],
      ['CREATE TABLE n (a)', /CREATE TABLE/],
      ['DROP TABLE t', /DROP/],
      ['ALTER TABLE t ADD c', /ALTER/],
      ['VACUUM', /VACUUM rewrites/],
      ['ANALYZE', /ANALYZE/],
      ['REINDEX', /REINDEX/],
      ['PRAGMA user_version = 7', /header/],
    ];
    for (const [sql, what] of cases) {
      const error = refusal(() => execute(sql));
      expect(error.code, sql).toBe(ErrorCode.DbSchemaChangeRefused);
      expect(error.message, sql).toMatch(what);
      expect(error.message, sql).toMatch(/allowSchemaChanges: true/);
      expect(() => execute(sql, true), sql).not.toThrow();
    }
  });

  it('never runs VACUUM INTO, ATTACH, DETACH, transaction control, EXPLAIN or file and extension functions', () => {
    const cases: [string, RegExp, unknown[]?][] = [
      [`VACUUM INTO '${path.join(outside, 'copy.db')}'`, /VACUUM INTO writes a copy.*file step/],
      ['VACUUM INTO ?', /VACUUM INTO/, [path.join(outside, 'copy.db')]],
      [`vacuum main into '${path.join(outside, 'copy.db')}'`, /VACUUM INTO/],
      [`/* c */ aTtAcH /* d */ '${path.join(outside, 'a.db')}' as y`, /ATTACH opens another database file/],
      ['ATTACH ? AS y', /ATTACH/, [path.join(outside, 'a.db')]],
      ['DETACH y', /DETACH/],
      ['BEGIN', /db\.batchInsert/],
      [';;COMMIT', /transaction control/],
      ['SAVEPOINT s', /transaction control/],
      ['EXPLAIN PRAGMA trusted_schema = ON', /EXPLAIN/],
      ["INSERT INTO t (b) VALUES (load_extension('/nowhere/x'))", /load_extension loads a native library/],
      ["INSERT INTO t (b) SELECT readfile('/etc/hostname')", /readfile reads a file.*file step/],
      ["INSERT INTO t (b) SELECT writefile('/tmp/x', 'y')", /writefile writes a file/],
      ["CREATE TABLE IF NOT EXISTS loot AS SELECT load_extension('/nowhere/x') AS v", /load_extension/],
    ];
    for (const [sql, message, values] of cases) {
      const error = refusal(() => prepareExecute(db, sql, values as never, true));
      expect(error.code, sql).toBe(ErrorCode.DbSchemaChangeRefused);
      expect(error.message, sql).toMatch(message);
    }
    expect(readdirSync(outside)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM pragma_database_list').pluck().get()).toBe(1);
  });

  it('decides PRAGMAs before preparing them: connection settings never change', () => {
    const before = settings();
    for (const sql of [
      'PRAGMA trusted_schema = ON',
      'pragma /* x */ Query_Only = 1',
      'PRAGMA main.journal_mode = DELETE',
      'PRAGMA "main"."foreign_keys" = OFF',
      "PRAGMA 'locking_mode' = EXCLUSIVE",
      '; ; PRAGMA [mmap_size](268435456)',
      `PRAGMA temp_store_directory = '${outside}'`,
      'PRAGMA temp_store = MEMORY',
      'PRAGMA writable_schema = ON',
      '-- hidden\nPRAGMA trusted_schema = ON; SELECT 1',
      'PRAGMA user_version = 1; PRAGMA trusted_schema = ON',
      'PRAGMA optimize',
      'PRAGMA temp.user_version = 1',
    ]) {
      const error = refusal(() => execute(sql, true));
      expect(error.code, sql).toBe(ErrorCode.DbSchemaChangeRefused);
      expect(error.message, sql).toMatch(/Leave the PRAGMA out|only PRAGMAs it runs/);
      expect(refusal(() => prepareSelect(db, sql, undefined)).code, sql).toBe(ErrorCode.DbSchemaChangeRefused);
    }
    // SQLite drops a leading U+FEFF that this module reads as part of a word: refused unprepared.
    for (const sql of ['\uFEFFPRAGMA query_only = 1', '\uFEFFATTACH \'x\' AS y']) {
      expect(refusal(() => execute(sql, true)).message, sql).toMatch(/starts with/);
      expect(refusal(() => prepareSelect(db, sql, undefined)).message, sql).toMatch(/starts with/);
    }
    expect(settings()).toEqual(before);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses a trigger created with the flag that calls load_extension, before it can fire', () => {
    execute("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT load_extension('/nowhere/x'); END", true).statement.run();
    const error = refusal(() => execute("INSERT INTO t VALUES (9, 'z')"));
    expect(error).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused, data: { refused: 'load_extension' } });
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2);
  });

  it('keeps load_extension out of DEFAULT, CHECK and generated columns of a table created without the flag', () => {
    // trusted_schema = OFF: SQLite refuses the generated column and the CHECK while preparing the CREATE...
    for (const sql of ['CREATE TABLE IF NOT EXISTS g (a, c AS (load_extension(a)))', 'CREATE TABLE IF NOT EXISTS k (a CHECK (load_extension(a)))']) {
      expect(refusal(() => execute(sql)).data, sql).toMatchObject({ refused: 'load_extension' });
    }
    // ...and a DEFAULT while preparing the first INSERT that would use it.
    execute("CREATE TABLE IF NOT EXISTS d (a, b DEFAULT (load_extension('/nowhere/x')))").statement.run();
    expect(refusal(() => execute('INSERT INTO d (a) VALUES (1)'))).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused, data: { refused: 'load_extension' } });
  });

  it('sends queries to db.select and multiple statements back', () => {
    expect(refusal(() => execute('SELECT * FROM t')).message).toMatch(/use db\.select/);
    expect(refusal(() => execute('INSERT INTO t VALUES (1, 2) RETURNING a')).message).toMatch(/RETURNING/);
    const multi = refusal(() => execute('DELETE FROM t; PRAGMA trusted_schema = ON'));
    expect(multi.message).toMatch(/more than one statement/);
    expect(settings().trusted).toBe(0);
  });
});

describe('db.select on SQLite', () => {
  it('runs queries, table-valued pragmas included', () => {
    expect(prepareSelect(db, 'SELECT * FROM t WHERE a = $1', [1]).statement.all(1)).toEqual([{ a: 1, b: 'x' }]);
    expect(prepareSelect(db, "WITH c AS (SELECT name FROM pragma_table_info('t')) SELECT * FROM c", undefined).statement.pluck().all()).toEqual(['a', 'b']);
    expect(() => prepareSelect(db, 'VALUES (1)', undefined)).not.toThrow();
  });

  it('refuses writes, PRAGMA statements, ATTACH and refused functions', () => {
    const cases: [string, number, RegExp][] = [
      ['INSERT INTO t VALUES (1, 2)', ErrorCode.DbQueryFailed, /use db\.execute/],
      ['WITH x AS (SELECT 1) DELETE FROM t', ErrorCode.DbQueryFailed, /use db\.execute/],
      ['WITH x AS (SELECT 1) DELETE FROM t RETURNING a', ErrorCode.DbQueryFailed, /read-only/],
      ['PRAGMA table_info(t)', ErrorCode.DbSchemaChangeRefused, /pragma_table_info/],
      ["ATTACH 'x' AS y", ErrorCode.DbSchemaChangeRefused, /ATTACH/],
      ["SELECT load_extension('/nowhere/x')", ErrorCode.DbSchemaChangeRefused, /load_extension/],
      ["SELECT readfile('/etc/hostname')", ErrorCode.DbSchemaChangeRefused, /readfile/],
      ['SELECT max(load_extension(b)) FROM t', ErrorCode.DbSchemaChangeRefused, /load_extension/],
      ['EXPLAIN SELECT 1', ErrorCode.DbSchemaChangeRefused, /EXPLAIN/],
    ];
    for (const [sql, code, message] of cases) {
      const error = refusal(() => prepareSelect(db, sql, undefined));
      expect(error.code, sql).toBe(code);
      expect(error.message, sql).toMatch(message);
    }
  });
});

describe('tokens and rows', () => {
  it('reads the first word as SQLite does, past comments, empty statements and quotes', () => {
    const first = (sql: string) => leadingTokens(sql, 1)[0]?.text;
    expect(first('-- x\n/* y */ ;\t;\fpragma x')).toBe('pragma');
    expect(first('/* unclosed')).toBeUndefined();
    expect(first('"PRAGMA" x')).toBe('"PRAGMA"');
    expect(first('\u00a0PRAGMA x')).toBe('\u00a0PRAGMA');
  });

  it('keeps __proto__, constructor and toString as plain own columns', () => {
    const row = objectRow(['__proto__', 'constructor', 'toString', 'a', 'a'], [Buffer.from([1, 2]), 'c', 't', 1, 2]);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(['__proto__', 'constructor', 'toString', 'a']);
    expect(row).toHaveProperty(['__proto__'], 'AQI=');
    expect(JSON.parse(JSON.stringify(row))).toEqual(JSON.parse('{"__proto__":"AQI=","constructor":"c","toString":"t","a":2}'));
  });
});
