/**
 * Turns PostgreSQL's errors (SQLSTATE codes) and pg's network errors into the shared table's `db.*`
 * codes, keeping the SQLSTATE and the server's message in `data` and saying what to fix. Messages
 * name the host, port, database and user of the connection, never its password.
 */
import { isRpcError, type RpcError } from '../../../../src/protocol';
import { dbError } from '../db-error';

export interface PgTargetInfo {
  host: string;
  port: number;
  database?: string;
  user?: string;
}

export interface PgErrorContext {
  table?: string;
  rowIndex?: number;
  server?: PgTargetInfo;
}

interface PgErrorLike extends Error {
  code?: string;
  detail?: string;
  table?: string;
  column?: string;
  constraint?: string;
  schema?: string;
}

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

/** True when the error means the connection itself is gone (the pool must not reuse it). */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (isRpcError(error)) return (error.data as { sqlstate?: unknown; connectionLost?: unknown } | undefined)?.connectionLost === true;
  const code = (error as PgErrorLike).code;
  if (typeof code !== 'string') return /Connection terminated|connection timeout|Client was closed|not queryable/i.test(error.message);
  return NETWORK.has(code) || (code.startsWith('08') && code !== '08P01') || code === '57P01' || code === '57P02' || code === '57P03';
}

function where(server: PgTargetInfo | undefined): string {
  if (!server) return 'the server';
  return `${server.host}:${server.port}${server.database ? `/${server.database}` : ''}${server.user ? ` as ${server.user}` : ''}`;
}

export function translatePgError(error: unknown, context: PgErrorContext = {}): unknown {
  if (isRpcError(error) || !(error instanceof Error)) return error;
  const e = error as PgErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const { server, ...rest } = context;
  const data: Record<string, unknown> = { sqlstate: code, pgMessage: e.message, ...(e.detail ? { detail: e.detail } : {}), ...(e.constraint ? { constraint: e.constraint } : {}), ...rest };
  const row = context.rowIndex === undefined ? '' : `Row ${context.rowIndex}: `;
  const table = e.table ?? context.table;
  const at = where(server);

  if (code && NETWORK.has(code)) {
    const fix = code === 'ECONNREFUSED' ? 'nothing listens there: check host and port, and that PostgreSQL is running'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name does not resolve: check host'
      : 'the network dropped the connection: check host, port and firewalls, then retry';
    return dbError('DbConnectionUnavailable', `Cannot reach PostgreSQL at ${at} (${code}): ${fix}`, { ...data, connectionLost: true });
  }
  if (code === '28P01' || code === '28000') {
    return dbError('DbConnectionUnavailable', `PostgreSQL at ${at} refused the login: ${e.message}; check username and password (and pg_hba.conf for this client)`, data);
  }
  if (code === '3D000') {
    return dbError('DbConnectionUnavailable', `PostgreSQL at ${at}: ${e.message}; check the database name or create it`, data);
  }
  if (isConnectionLost(error)) {
    return dbError('DbConnectionUnavailable', `${row}The connection to PostgreSQL at ${at} was lost (${e.message}); what this call had not committed was rolled back, and the next call opens a new connection`, { ...data, connectionLost: true });
  }
  if (!code) return error;
  if (code === '23505') {
    return dbError('DbUniqueViolation', `${row}${e.message}${e.detail ? ` (${e.detail})` : ''}: a row with this key already exists; use onConflict "update" or "ignore" to keep going`, { ...data, ...(table ? { table } : {}) });
  }
  if (code === '23502' || code === '23514' || code === '23503' || code === '23P01' || code === '23001') {
    return dbError('DbConstraintViolation', `${row}${e.message}: the row breaks a constraint of the table; fix the value or the mapping`, { ...data, ...(table ? { table } : {}), ...(e.column ? { column: e.column } : {}) });
  }
  if (code === '42P01') {
    const name = /relation "([^"]+)" does not exist/.exec(e.message)?.[1] ?? context.table;
    return dbError('DbTableNotFound', `Table ${name} does not exist; create it (db.execute with CREATE TABLE IF NOT EXISTS) or check its name (unquoted names are folded to lower case)`, { ...data, table: name });
  }
  if (code === '42703') {
    const column = /column "([^"]+)"/.exec(e.message)?.[1];
    return dbError('DbColumnNotFound', `${row}Column ${column ?? ''} does not exist${table ? ` in table ${table}` : ''}; add it (ALTER TABLE through db.execute with allowSchemaChanges: true) or drop the field`, { ...data, ...(column ? { column } : {}) });
  }
  if (code === '22P02' || code === '08P01' || code === '42P18' || code === '22007' || code === '22008' || code === '22003' || code === '22023' || code === '42P02' || code === '22021') {
    return dbError('DbBadParameter', `${row}${e.message}: a value does not fit the type PostgreSQL expects there; check the parameters (or the record's fields) against the query's placeholders and the columns' types`, data);
  }
  if (code === '25006') {
    return dbError('DbQueryFailed', `${e.message}: db.select runs read-only queries; use db.execute for statements that change rows`, data);
  }
  if (code === '42501') {
    return dbError('DbQueryFailed', `${e.message}: the user lacks a privilege; grant it or connect as another user`, data);
  }
  return dbError('DbQueryFailed', `${row}PostgreSQL refused the statement: ${e.message}`, data);
}

export function throwPg(error: unknown, context: PgErrorContext = {}): never {
  throw translatePgError(error, context) as RpcError;
}
