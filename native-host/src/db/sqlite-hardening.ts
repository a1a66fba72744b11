/**
 * Settings every SQLite connection gets when it is opened, and checks that they hold:
 * - `trusted_schema = OFF`: views, triggers, CHECK/DEFAULT expressions and generated columns may
 *   only use functions and virtual tables SQLite marks innocuous (checked here: a view over
 *   `pragma_table_info` answers "unsafe use of virtual table"; a trigger calling load_extension
 *   "unsafe use of load_extension()"), so a schema a pipeline created cannot reach further than the
 *   pipeline's own statements.
 * - Defensive mode (SQLITE_DBCONFIG_DEFENSIVE): better-sqlite3 12 turns it on for every connection
 *   and only `db.unsafeMode()` turns it off, which the host never calls. It keeps
 *   `writable_schema` off and sqlite_schema read-only; `writable_schema = ON` is tried here and must
 *   read back 0, or the file is not opened.
 * - Extension loading: better-sqlite3 enables only the C API (SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION),
 *   so SQL's `load_extension()` answers "not authorized"; statements calling it are refused anyway.
 * - Attached databases: SQLITE_LIMIT_ATTACHED cannot be set through better-sqlite3 12 (it exposes
 *   no sqlite3_limit), so ATTACH is refused by statements.ts from SQLite's own bytecode instead.
 */
import type { SqliteDatabase } from './connections';
import { dbError } from './db-error';

export function hardenSqlite(db: SqliteDatabase): void {
  db.pragma('trusted_schema = OFF');
  db.pragma('writable_schema = ON');
  const writableSchema = db.pragma('writable_schema', { simple: true });
  if (writableSchema !== 0) {
    db.pragma('writable_schema = OFF');
    throw new Error('defensive mode is off (writable_schema could be turned on); the host refuses to use this connection');
  }
  if (db.pragma('trusted_schema', { simple: true }) !== 0) throw new Error('trusted_schema stayed on');
}

/**
 * Runs `read` with `query_only` on, so nothing it runs can write the file (not even the statements a
 * table-valued pragma function prepares itself, such as pragma_optimize's ANALYZE), and turns it
 * back off whatever happens.
 */
export function readOnly<T>(db: SqliteDatabase, read: () => T): T {
  // exec, not db.pragma(): no statement object is left for the garbage collector. Each flag PRAGMA
  // expires every prepared statement of the connection, a walk over the live ones (measured: 1.5 µs
  // for the pair with none alive, 110 µs with 10,000, 1.1 ms with 40,000 not yet collected).
  db.exec('PRAGMA query_only = ON');
  try {
    return read();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_READONLY') {
      throw dbError('DbQueryFailed', 'db.select only reads, and this query tried to write (a table-valued pragma such as pragma_optimize runs ANALYZE); use db.execute for statements that change the database', { sqliteCode: 'SQLITE_READONLY', sqliteMessage: (error as Error).message });
    }
    throw error;
  } finally {
    db.exec('PRAGMA query_only = OFF');
  }
}
