/**
 * Turns SQLite's errors into the shared table's `db.*` codes, keeping SQLite's message and code in
 * `data` and adding what to do about it.
 */
import { isRpcError, type RpcError } from '../../../src/protocol';
import { dbError } from './db-error';

interface SqliteErrorLike {
  code?: unknown;
  message: string;
}

export function translateSqliteError(error: unknown, context: { table?: string } = {}): unknown {
  if (isRpcError(error) || !(error instanceof Error)) return error;
  const { code, message } = error as SqliteErrorLike;
  const sqliteCode = typeof code === 'string' ? code : undefined;
  const data = { sqliteCode, sqliteMessage: message, ...context };
  if (/more than one statement/.test(message)) {
    return dbError('DbQueryFailed', 'The query holds more than one statement; send one statement per call', data);
  }
  if (error instanceof RangeError || error instanceof TypeError) {
    // better-sqlite3's own binding errors ("Too few parameter values were provided", ...).
    return dbError('DbBadParameter', `${message}; check the parameters against the query's placeholders`, data);
  }
  if (!sqliteCode) return error;
  if (sqliteCode === 'SQLITE_CONSTRAINT_UNIQUE' || sqliteCode === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return dbError('DbUniqueViolation', `${message}: a row with this key already exists; use onConflict "update" or "ignore" to keep going`, data);
  }
  if (sqliteCode.startsWith('SQLITE_CONSTRAINT')) {
    return dbError('DbConstraintViolation', `${message}: the row breaks a constraint of the table; fix the value or the mapping`, data);
  }
  const noTable = /no such table: (\S+)/.exec(message);
  if (noTable) {
    return dbError('DbTableNotFound', `Table ${noTable[1]} does not exist; create it (db.execute with CREATE TABLE IF NOT EXISTS) or check its name`, { ...data, table: noTable[1] });
  }
  const noColumn = /has no column named (\S+)|no such column: (\S+)/.exec(message);
  if (noColumn) {
    const column = noColumn[1] ?? noColumn[2];
    return dbError('DbColumnNotFound', `Column ${column} does not exist${context.table ? ` in table ${context.table}` : ''}; add it (ALTER TABLE through db.execute with allowSchemaChanges: true) or drop the field`, { ...data, column });
  }
  if (sqliteCode === 'SQLITE_BUSY' || sqliteCode === 'SQLITE_LOCKED') {
    return dbError('DbQueryFailed', `${message}: another process holds the database; try again`, data);
  }
  return dbError('DbQueryFailed', `SQLite refused the statement: ${message}`, data);
}

/** Runs `fn`, rethrowing SQLite's errors as `db.*` RpcErrors. */
export function withSqliteErrors<T>(fn: () => T, context: { table?: string } = {}): T {
  try {
    return fn();
  } catch (error) {
    throw translateSqliteError(error, context) as RpcError;
  }
}
