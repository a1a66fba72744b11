/**
 * The PostgreSQL gate on parse trees, without a server: libpg-query parses, classify.ts judges. Each
 * case names the method, the flag and what must come back (the statement kind, or the refusal's code
 * and a piece of its message).
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, isRpcError } from '../../../../src/protocol';
import { classifiedSelect, classifyExecute, SELECT_CURSOR } from './classify';
import { functionRisk } from './function-policy';

const REFUSED = ErrorCode.DbSchemaChangeRefused;
const FAILED = ErrorCode.DbQueryFailed;

async function outcome(run: () => Promise<unknown>): Promise<{ code?: number; message: string; data?: Record<string, unknown> }> {
  try {
    return { message: `ran: ${String(await run())}` };
  } catch (error) {
    if (!isRpcError(error)) throw error;
    return { code: error.code, message: error.message, data: error.data as Record<string, unknown> };
  }
}

const select = (sql: string) => outcome(() => classifiedSelect(sql));
const execute = (sql: string, allowSchemaChanges = false) => outcome(() => classifyExecute(sql, allowSchemaChanges));

describe('db.select on PostgreSQL: functions that reach outside the database', () => {
  it.each([
    ["SELECT pg_read_file('/etc/hostname')", 'pg_read_file', /reads files .*file step inside a granted folder/],
    ["SELECT pg_catalog.pg_read_file('/etc/hostname')", 'pg_read_file', /reads files/],
    ["SELECT PG_Read_File('/etc/hostname')", 'pg_read_file', /reads files/],
    ['SELECT "pg_read_binary_file"($1)', 'pg_read_binary_file', /reads files/],
    ["SELECT ('/etc/hostname'::text).pg_read_file", 'pg_read_file', /reads files/],
    ["SELECT (t.path).pg_read_file FROM (SELECT '/etc/hostname'::text AS path) t", 'pg_read_file', /reads files/],
    ["SELECT * FROM pg_ls_dir('/etc') AS f(name)", 'pg_ls_dir', /reads files/],
    ['SELECT name FROM pg_catalog.pg_ls_waldir()', 'pg_ls_waldir', /reads files/],
    ["SELECT (pg_stat_file('/etc/passwd')).size", 'pg_stat_file', /reads files/],
    ["SELECT 1 WHERE EXISTS (SELECT lo_export(l.oid, '/tmp/x') FROM pg_largeobject_metadata l)", 'lo_export', /large objects/],
    ["SELECT lo_import('/etc/passwd')", 'lo_import', /large objects/],
    ["WITH s AS (SELECT set_config('search_path', 'evil', false)) SELECT * FROM s", 'set_config', /settings .*ALTER ROLE/],
    ["SELECT set_config('default_transaction_read_only', 'on', false), set_config('search_path', 'x', false)", 'set_config', /settings/],
    ["SELECT * FROM t, LATERAL dblink('host=evil', 'SELECT 1') AS r(x int)", 'dblink', /another server/],
    ["SELECT query_to_xml('COPY t TO PROGRAM ''id''', true, true, '')", 'query_to_xml', /SQL handed to it as text/],
    ["SELECT ts_stat('SELECT pg_read_file(''/etc/passwd'')::tsvector')", 'ts_stat', /SQL handed to it as text/],
    ['SELECT pg_advisory_lock(1)', 'pg_advisory_lock', /pg_advisory_xact_lock/],
    ['SELECT pg_try_advisory_lock_shared(1)', 'pg_try_advisory_lock_shared', /pg_try_advisory_xact_lock_shared/],
    ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity', 'pg_terminate_backend', /other sessions/],
    ["SELECT pg_notify('c', 'x')", 'pg_notify', /other sessions/],
    ['SELECT pg_reload_conf()', 'pg_reload_conf', /settings/],
    ['SELECT pg_switch_wal()', 'pg_switch_wal', /administers/],
    ["SELECT * FROM pg_create_logical_replication_slot('s', 'test_decoding')", 'pg_create_logical_replication_slot', /administers/],
    ['SELECT x FROM (VALUES (pg_read_file($1))) v(x) ORDER BY 1', 'pg_read_file', /reads files/],
    ['SELECT 1 ORDER BY length(pg_read_file($1::text))', 'pg_read_file', /reads files/],
    [String.raw`SELECT U&"pg_\0072ead_file"('/etc/hostname')`, 'pg_read_file', /reads files/],
    [String.raw`SELECT U&"pg_!0072ead_file" UESCAPE '!' ('/etc/hostname')`, 'pg_read_file', /reads files/],
    ["SELECT cron.schedule('* * * * *', 'COPY t TO PROGRAM ''id''')", 'schedule', /cron\.schedule runs SQL handed to it as text/],
    ["SELECT pg_background_launch('COPY t TO PROGRAM ''id''')", 'pg_background_launch', /SQL handed to it as text/],
  ])('%s', async (sql, fn, message) => {
    const result = await select(sql);
    expect(result.code, result.message).toBe(REFUSED);
    expect(result.data).toMatchObject({ function: fn });
    expect(result.message).toMatch(message);
    expect(result.message).toMatch(/Ferry never lets a pipeline do that/);
  });

  it('refuses the views that read configuration files', async () => {
    expect(await select('SELECT * FROM pg_file_settings')).toMatchObject({ code: REFUSED, data: { relation: 'pg_file_settings' } });
    expect(await select('SELECT * FROM pg_catalog.pg_hba_file_rules')).toMatchObject({ code: REFUSED });
  });

  it('lets through names that only look like them: strings, comments, aliases, columns, and the transaction-scoped forms', async () => {
    const allowed = [
      "SELECT 'pg_read_file(''/etc/hostname'')' AS \"pg_read_file(\" -- pg_read_file('/x')",
      "SELECT /* set_config('a','b',false) */ current_setting('search_path')",
      'SELECT t.lo_price, t.copy FROM t',
      'SELECT pg_advisory_xact_lock(1), pg_try_advisory_xact_lock(2)',
      'SELECT pg_sleep(0.01)',
      "SELECT table_to_xml('t', true, true, '')",
      'SELECT $$COPY t TO PROGRAM $$ AS text',
    ];
    for (const sql of allowed) expect((await select(sql)).message, sql).toMatch(/^ran: DECLARE/);
  });
});

describe('db.select on PostgreSQL: only read-only queries', () => {
  it('accepts SELECT, WITH, VALUES, TABLE and set operations, and sends exactly the text it parsed', async () => {
    for (const sql of ['SELECT 1', 'WITH x AS (SELECT 1 AS a) SELECT * FROM x', 'VALUES (1), (2)', 'TABLE t', '(SELECT 1) UNION ALL SELECT 2', '  -- lead\n SELECT a FROM t WHERE a = $1 ;; \n']) {
      expect((await select(sql)).message, sql).toMatch(new RegExp(`^ran: DECLARE ${SELECT_CURSOR} NO SCROLL CURSOR FOR `));
    }
    expect(await classifiedSelect('SELECT 1 ;\n')).toBe(`DECLARE ${SELECT_CURSOR} NO SCROLL CURSOR FOR SELECT 1`);
  });

  it.each([
    ['DELETE FROM t', FAILED, /use db.execute for DELETE/],
    ['CREATE TABLE x (a int)', FAILED, /use db.execute/],
    ['SELECT 1 INTO x', FAILED, /SELECT \.\.\. INTO creates a table/],
    ['SELECT * FROM t FOR UPDATE', FAILED, /FOR UPDATE/],
    ['SELECT * FROM (SELECT * FROM t FOR SHARE) s', FAILED, /FOR UPDATE \/ FOR SHARE/],
    ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', FAILED, /read-only.*DELETE/],
    ["COPY t TO PROGRAM 'id'", REFUSED, /COPY reads and writes files/],
    ["COPY (SELECT 1) TO '/tmp/x'", REFUSED, /COPY/],
    ['SHOW search_path', REFUSED, /current_setting/],
    ['SELECT 1; SELECT 2', FAILED, /2 statements/],
    ['SELECT 1; DELETE FROM t', FAILED, /2 statements/],
    ['', FAILED, /empty/],
    ['  -- nothing\n', FAILED, /empty/],
    ['SELEC 1', FAILED, /syntax error at or near "SELEC" at character 1/],
    ['SELECT * FROM t WHERE', FAILED, /syntax error at end of input at character 22/],
    ["SELECT 'unterminated", FAILED, /unterminated quoted string/],
    ["SELECT 'a\u0000', pg_read_file('/etc/hostname')", FAILED, /NUL character \(at character 10\)/],
  ])('%s', async (sql, code, message) => {
    const result = await select(sql);
    expect(result.code, result.message).toBe(code);
    expect(result.message).toMatch(message);
  });
});

describe('db.execute on PostgreSQL', () => {
  it('runs row changes (with WITH, ON CONFLICT, RETURNING, MERGE) without any flag', async () => {
    const statements = [
      'INSERT INTO t (a) VALUES ($1), ($2)',
      "INSERT INTO s.t (a, b) VALUES (1, 'x') ON CONFLICT (a) DO UPDATE SET b = excluded.b",
      'INSERT INTO t SELECT * FROM u ON CONFLICT DO NOTHING',
      'UPDATE t SET a = a + 1 WHERE b IN (SELECT b FROM u) RETURNING a',
      'WITH gone AS (DELETE FROM t WHERE a < 0 RETURNING a) INSERT INTO log SELECT a FROM gone',
      'DELETE FROM t USING u WHERE t.a = u.a',
      'MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN UPDATE SET b = u.b WHEN NOT MATCHED THEN INSERT VALUES (u.a, u.b)',
      '/* leading */ -- comment\nINSERT INTO "Quoted Table" ("COPY") VALUES (1)',
    ];
    for (const sql of statements) expect((await execute(sql)).message, sql).toMatch(/^ran: (INSERT|UPDATE|DELETE|MERGE)$/);
  });

  it.each([
    ["INSERT INTO t SELECT lo_export(l.oid, '/tmp/x') FROM pg_largeobject_metadata l", 'lo_export'],
    ["INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET b = pg_read_file('/etc/passwd')", 'pg_read_file'],
    ["UPDATE t SET b = (SELECT pg_read_file('/etc/passwd'))", 'pg_read_file'],
    ["DELETE FROM t RETURNING pg_ls_dir('/')", 'pg_ls_dir'],
    ["MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN UPDATE SET b = pg_stat_file('/')::text", 'pg_stat_file'],
    ["WITH x AS (SELECT dblink_exec('host=evil', 'DROP TABLE t')) INSERT INTO t SELECT 1 FROM x", 'dblink_exec'],
    ["CREATE TABLE IF NOT EXISTS t (a text DEFAULT pg_read_file('/etc/passwd'))", 'pg_read_file'],
    ["INSERT INTO t VALUES (set_config('search_path', 'evil', false))", 'set_config'],
    ["ALTER TABLE t ALTER COLUMN b SET DEFAULT pg_read_file('/etc/passwd')", 'pg_read_file'],
    ["CREATE VIEW v AS SELECT pg_ls_dir('/') AS f", 'pg_ls_dir'],
    ["CREATE TABLE x AS SELECT lo_import('/etc/passwd') AS o", 'lo_import'],
    ["CREATE INDEX i ON t ((pg_read_file(b)))", 'pg_read_file'],
    ["CREATE TABLE t (a text CHECK (pg_stat_file(a) IS NOT NULL))", 'pg_stat_file'],
  ])('refuses %s by the function it calls', async (sql, fn) => {
    const result = await execute(sql, true);
    expect(result.code, result.message).toBe(REFUSED);
    expect(result.data).toMatchObject({ function: fn });
  });

  it.each([
    ["COPY t TO PROGRAM 'id'", 'COPY', /COPY reads and writes files/],
    ["COPY t FROM '/etc/passwd'", 'COPY', /file step/],
    ["/* INSERT */ COPY t FROM STDIN", 'COPY', /COPY/],
    ['CREATE EXTENSION IF NOT EXISTS file_fdw', 'CREATE EXTENSION', /puts code on the database server/],
    ['CREATE SERVER IF NOT EXISTS s FOREIGN DATA WRAPPER file_fdw', 'CREATE SERVER', /foreign-data wrapper/],
    ["CREATE FOREIGN TABLE IF NOT EXISTS f (line text) SERVER s OPTIONS (program 'id')", 'CREATE FOREIGN TABLE', /foreign-data wrapper/],
    ["CREATE USER MAPPING FOR CURRENT_USER SERVER s OPTIONS (user 'x')", 'CREATE USER MAPPING', /foreign-data wrapper/],
    ['CREATE FOREIGN DATA WRAPPER w', 'CREATE FOREIGN DATA WRAPPER', /foreign-data wrapper/],
    ["CREATE FUNCTION \"IF NOT EXISTS\"() RETURNS void LANGUAGE sql AS $$ COPY (SELECT 1) TO PROGRAM 'id' $$", 'CREATE FUNCTION', /puts code/],
    ['CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$', 'CREATE FUNCTION', /puts code/],
    ["CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'", 'CREATE PROCEDURE', /puts code/],
    ["DO $$ BEGIN EXECUTE 'COPY t TO PROGRAM ''id'''; END $$", 'DO', /puts code/],
    ['CALL p()', 'CALL', /puts code/],
    ["LOAD 'auto_explain'", 'LOAD', /puts code/],
    ['CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()', 'CREATE TRIGGER', /puts code/],
    ['CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING', 'CREATE RULE', /puts code/],
    ['CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()', 'CREATE EVENT TRIGGER', /puts code/],
    ["ALTER SYSTEM SET log_statement = 'all'", 'ALTER SYSTEM', /administers/],
    ["SET search_path = 'x'", 'SET', /pooled connection/],
    ['SET ROLE postgres', 'SET ROLE', /pooled connection/],
    ["SET SESSION AUTHORIZATION 'x'", 'SET SESSION AUTHORIZATION', /pooled connection/],
    ['RESET ALL', 'RESET', /pooled connection/],
    ['DISCARD ALL', 'DISCARD', /pooled connection/],
    ['LISTEN c', 'LISTEN', /listeners/],
    ["NOTIFY c, 'x'", 'NOTIFY', /pooled connection/],
    ['PREPARE p AS SELECT 1', 'PREPARE', /prepared statements/],
    ['EXECUTE p', 'EXECUTE', /pooled connection/],
    ['DEALLOCATE ALL', 'DEALLOCATE', /pooled connection/],
    ['DECLARE c CURSOR WITH HOLD FOR SELECT 1', 'DECLARE', /cursors/],
    ['FETCH 1 FROM c', 'FETCH', /cursors/],
    ['MOVE 1 IN c', 'MOVE', /cursors/],
    ['CLOSE c', 'CLOSE', /cursors/],
    ['LOCK TABLE t', 'LOCK', /own transaction/],
    ['BEGIN', 'BEGIN', /own transaction/],
    ['START TRANSACTION READ WRITE', 'START TRANSACTION', /own transaction/],
    ['COMMIT', 'COMMIT', /own transaction/],
    ['CREATE ROLE r SUPERUSER', 'CREATE ROLE', /roles/],
    ['ALTER ROLE r SET search_path = x', 'ALTER ROLE SET', /roles/],
    ['GRANT ALL ON t TO public', 'GRANT', /privileges/],
    ['REVOKE ALL ON t FROM public', 'REVOKE', /privileges/],
    ['GRANT pg_read_server_files TO CURRENT_USER', 'GRANT', /roles/],
    ['VACUUM t', 'VACUUM', /administers/],
    ['CHECKPOINT', 'CHECKPOINT', /administers/],
    ['REINDEX TABLE t', 'REINDEX', /administers/],
    ['CLUSTER t USING i', 'CLUSTER', /administers/],
    ['EXPLAIN ANALYZE DELETE FROM t', 'EXPLAIN', /plan, which is no pipeline's data.*psql/],
    ["CREATE TABLESPACE x LOCATION '/tmp/x'", 'CREATE TABLE SPACE', /files/],
    ['CREATE TYPE mood AS ENUM (\'a\')', 'CREATE ENUM', /puts code/],
    ["CREATE SUBSCRIPTION s CONNECTION 'host=evil' PUBLICATION p", 'CREATE SUBSCRIPTION', /other servers/],
    ['DROP FUNCTION f', 'DROP FUNCTION', /limited to tables, indexes, views, sequences and schemas/],
    ['DROP EXTENSION file_fdw', 'DROP EXTENSION', /limited to/],
    ['ALTER TABLE t OWNER TO someone', 'ALTER TABLE', /OWNER TO changes ownership/],
    ['ALTER TABLE t DISABLE TRIGGER ALL', 'ALTER TABLE', /TRIGGER/],
    ['CREATE TEMP TABLE x (a int)', 'CREATE TABLE', /TEMPORARY would leave x on the pooled connection/],
    ['CREATE TEMPORARY VIEW v AS SELECT 1', 'CREATE VIEW', /TEMPORARY/],
    ['CREATE TABLE IF NOT EXISTS pg_temp.x (a int)', 'CREATE TABLE', /TEMPORARY would leave x/],
    ['CREATE SCHEMA s CREATE TABLE t (a int) CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()', 'CREATE SCHEMA', /CREATE TRIGGER puts code/],
    ["UPDATE pg_settings SET setting = 'x' WHERE name = 'search_path'", 'UPDATE', /pg_settings changes the pooled connection's settings/],
    ['UPDATE pg_catalog.pg_settings SET setting = 1', 'UPDATE', /system catalog/],
    ["INSERT INTO pg_catalog.pg_largeobject VALUES (1, 0, '')", 'INSERT', /system catalog/],
  ])('refuses %s whatever the flags', async (sql, statement, message) => {
    for (const flag of [false, true]) {
      const result = await execute(sql, flag);
      expect(result.code, result.message).toBe(REFUSED);
      expect(result.data?.statement).toBe(statement);
      expect(result.message).toMatch(message);
    }
  });

  it('lets only a plain CREATE TABLE IF NOT EXISTS through without allowSchemaChanges', async () => {
    expect((await execute('CREATE TABLE IF NOT EXISTS s.t (id bigint PRIMARY KEY, b text DEFAULT now()::text)')).message).toBe('ran: CREATE TABLE');
    const needFlag = [
      'CREATE TABLE t (a int)',
      'CREATE /* IF NOT EXISTS */ TABLE t (a int)',
      'CREATE TABLE "IF NOT EXISTS" (a int)',
      'CREATE TABLE IF NOT EXISTS p1 PARTITION OF p FOR VALUES IN (1)',
      'CREATE TABLE IF NOT EXISTS c () INHERITS (p)',
      'CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a)',
      'CREATE SEQUENCE IF NOT EXISTS s',
      'CREATE TABLE IF NOT EXISTS x AS SELECT 1',
      'CREATE OR REPLACE VIEW v AS SELECT 1',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS m AS SELECT 1',
      'ALTER TABLE t ADD COLUMN IF NOT EXISTS b int',
      'ALTER TABLE t RENAME COLUMN a TO b',
      'ALTER INDEX i RENAME TO j',
      'ALTER SEQUENCE s RESTART',
      'ALTER TABLE t SET SCHEMA s',
      'DROP TABLE IF EXISTS t CASCADE',
      'DROP INDEX i',
      'DROP VIEW v',
      'DROP SCHEMA s CASCADE',
      'TRUNCATE t',
      'REFRESH MATERIALIZED VIEW m',
      "COMMENT ON TABLE t IS 'x'",
      'CREATE SCHEMA IF NOT EXISTS s',
      'CREATE SCHEMA s CREATE TABLE t (a int) CREATE VIEW v AS SELECT 1',
    ];
    for (const sql of needFlag) {
      const refused = await execute(sql);
      expect(refused.code, `${sql}: ${refused.message}`).toBe(REFUSED);
      expect(refused.message).toMatch(/allowSchemaChanges: true/);
      expect((await execute(sql, true)).message, sql).toMatch(/^ran: /);
    }
  });

  it('sends queries to db.select, and several statements, syntax errors and empty text back with DbQueryFailed', async () => {
    expect(await execute('SELECT 1')).toMatchObject({ code: FAILED, message: expect.stringMatching(/use db.select/) });
    expect(await execute('WITH d AS (DELETE FROM t RETURNING a) SELECT * FROM d')).toMatchObject({ code: FAILED });
    expect(await execute('DELETE FROM t; DROP TABLE t')).toMatchObject({ code: FAILED, message: expect.stringMatching(/2 statements; send one statement per call/) });
    expect(await execute("INSERT INTO t VALUES (1); COPY t TO PROGRAM 'id'")).toMatchObject({ code: FAILED });
    expect(await execute('INSERT INTO t VALUES (1')).toMatchObject({ code: FAILED, data: { position: 24 } });
    expect(await execute('   ')).toMatchObject({ code: FAILED, message: 'The query is empty' });
  });
});

describe('hostile shapes of text', () => {
  it('fails closed on an expression nested beyond what the parser can take, and parses the next query as before', async () => {
    const deep = await select(`SELECT ${Array.from({ length: 20_000 }, () => 'x').join(' + ')}`);
    expect(deep.code).toBe(FAILED);
    const parens = await select(`SELECT ${'('.repeat(100_000)}1${')'.repeat(100_000)}`);
    expect(parens.code).toBe(FAILED);
    expect(await select("SELECT pg_read_file('/x')")).toMatchObject({ code: REFUSED, data: { function: 'pg_read_file' } });
    expect((await select('SELECT 1')).message).toMatch(/^ran: /);
  });
});

describe('the function deny-list', () => {
  it('matches the families and leaves ordinary functions alone', () => {
    for (const name of ['pg_ls_logdir', 'pg_ls_tmpdir', 'pg_ls_archive_statusdir', 'pg_file_write', 'pg_file_unlink', 'pg_logdir_ls', 'lo_from_bytea', 'lo_put', 'lowrite', 'dblink_connect', 'postgres_fdw_disconnect_all', 'pg_rotate_logfile_old', 'pg_cancel_backend', 'pg_promote', 'pg_create_restore_point', 'pg_backup_start', 'pg_start_backup', 'pg_logical_emit_message', 'pg_drop_replication_slot', 'pg_logical_slot_get_changes', 'cursor_to_xml', 'query_to_xmlschema', 'pg_stat_reset', 'pg_stat_statements_reset']) {
      expect(functionRisk(name), name).toBeDefined();
    }
    for (const name of ['now', 'count', 'lower', 'pg_sleep', 'pg_advisory_xact_lock', 'table_to_xml', 'current_setting', 'nextval', 'lo_price', 'pg_backend_pid', 'pg_relation_size', 'copy']) {
      expect(functionRisk(name), name).toBeUndefined();
    }
  });
});

describe('PostgreSQL: what a review of the gate found', () => {
  it.each([
    ["SELECT * FROM crosstab('select ''a''::text, ''b''::text, pg_read_file(''/etc/hostname'')') AS t(a text, b text)", 'crosstab'],
    ["SELECT * FROM crosstab2('select 1')", 'crosstab2'],
    ["SELECT * FROM connectby('t', 'id', 'parent', '1', 0) AS t(id text, parent text, level int)", 'connectby'],
    ["SELECT * FROM xpath_table('k', 'd', '(select 1 k, ''<a/>'' d) s', '/a', 'true; copy (select 1) to program ''id''') AS t(k int, a text)", 'xpath_table'],
    ["SELECT xslt_process('<a/>', '<x/>')", 'xslt_process'],
    ["SELECT get_raw_page('t', 0)", 'get_raw_page'],
  ])('refuses %s, which runs SQL handed to it as text or reads pages', async (sql, fn) => {
    expect(await select(sql)).toMatchObject({ code: REFUSED, data: { function: fn } });
  });

  it('reads attribute notation as a column unless it names a real function of a refused family', async () => {
    expect(await select('SELECT e.dblink_url, e.pg_file_name, e.pg_ls_count FROM extracted_data e')).toMatchObject({ message: expect.stringMatching(/^ran: DECLARE/) });
    expect(await select("SELECT ('dbname=x'::text).dblink_connect")).toMatchObject({ code: REFUSED, data: { function: 'dblink_connect' } });
    expect(await select("SELECT ('/etc'::text).pg_ls_dir")).toMatchObject({ code: REFUSED, data: { function: 'pg_ls_dir' } });
    expect(functionRisk('dblink_url', undefined, true)).toBeUndefined();
    expect(functionRisk('dblink_url')).toBe('otherServers');
  });

  it('refuses views and tables built over the system catalog, even with allowSchemaChanges', async () => {
    expect(await execute('CREATE VIEW v AS SELECT * FROM pg_catalog.pg_proc', true)).toMatchObject({ code: REFUSED, data: { relation: 'pg_proc' } });
    expect(await execute('CREATE VIEW v AS SELECT * FROM pg_settings', true)).toMatchObject({ code: REFUSED, data: { relation: 'pg_settings' } });
    expect(await execute('CREATE MATERIALIZED VIEW v AS SELECT * FROM (SELECT * FROM pg_authid) a', true)).toMatchObject({ code: REFUSED, data: { relation: 'pg_authid' } });
    expect(await execute('CREATE TABLE t AS SELECT * FROM information_schema.tables', true)).toMatchObject({ code: REFUSED });
    expect(await execute('CREATE VIEW v AS SELECT id FROM app.items', true)).toMatchObject({ message: expect.stringMatching(/^ran: /) });
  });

  it('refuses a query longer than the gate parses, saying how to shorten it', async () => {
    const long = `SELECT ${Array.from({ length: 600_000 }, () => '1').join('+')}`;
    expect(await select(long)).toMatchObject({ code: FAILED, message: expect.stringMatching(/bytes long.*parameters/) });
  });
});
