/**
 * `db.*` on PostgreSQL: the same params and results as SQLite. Writes run in one transaction per call
 * (per batch for db.batchInsert) and roll back whole on any failure; a failure is then located by
 * replaying the rows one at a time in a transaction that is rolled back too, so the error names the
 * row. Selects run in a READ ONLY transaction through a server-side cursor (DECLARE, MOVE to the
 * page's offset, FETCH in slices), so a page never needs more than maxRows + 1 rows in memory.
 * A pipeline's SQL reaches the server only after PostgreSQL's own parser has classified the exact
 * text sent (classify.ts): one statement, of a kind the method runs, calling nothing that reaches the
 * server's files, programs, other servers or the connection's settings.
 */
import type pg from 'pg';
import { makeCursor, queryFingerprint, readCursor } from '../cursor';
import { dbError } from '../db-error';
import type { WriteCounts } from '../record-writer';
import { ResultBudget } from '../result-bytes';
import { bindParameters, type Parameters } from '../sql-params';
import type { WriteRows } from '../write-rows';
import { classifiedSelect, classifyExecute, SELECT_CURSOR } from './classify';
import { isConnectionLost, throwPg, translatePgError } from './errors';
import type { PgCall, PostgresPool } from './pools';
import { assertPipelineSqlAllowed } from './privileged-role';
import { PgRecordWriter, type PgWriterOptions } from './writer';

const FETCH_SLICE = 5000;

async function rollback(client: pg.PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is gone; the server rolled the transaction back itself.
  }
}

export interface BatchContext {
  writer: PgRecordWriter;
  client: pg.PoolClient;
}

/** Opens a connection and prepares the writer (table created when missing) for a write call. */
export function withWriter<T>(pool: PostgresPool, options: PgWriterOptions, sample: WriteRows, fn: (ctx: BatchContext) => Promise<T>, call?: PgCall): Promise<T> {
  return pool.with(async (client) => fn({ client, writer: await PgRecordWriter.prepare(client, options, sample) }), call);
}

/** Writes `rows` (records `first..`) in one transaction; on failure rolls back and throws the error naming the row. */
export async function writeInTransaction(pool: PostgresPool, ctx: BatchContext, table: string, rows: WriteRows, first: number): Promise<WriteCounts> {
  const { client, writer } = ctx;
  try {
    await client.query('BEGIN');
    const counts = await writer.write(client, rows);
    await client.query('COMMIT');
    return counts;
  } catch (error) {
    if (isConnectionLost(error)) throwPg(error, { table, server: pool.server });
    await rollback(client);
    const rowIndex = await locateFailure(ctx, rows, first, error);
    throwPg(error, { table, server: pool.server, ...(rowIndex === undefined ? {} : { rowIndex }) });
  }
}

/** Replays the rows one by one in a transaction that is rolled back: the index of the first that fails. */
async function locateFailure({ client, writer }: BatchContext, rows: WriteRows, first: number, error: unknown): Promise<number | undefined> {
  const code = (error as { code?: unknown }).code;
  if (rows.length === 1) return first;
  if (typeof code !== 'string' || !(code.startsWith('22') || code.startsWith('23') || code === '42703')) return undefined;
  try {
    await client.query('BEGIN');
    for (let i = 0; i < rows.length; i += 1) {
      try {
        await writer.write(client, rows.slice(i, i + 1));
      } catch (rowError) {
        if (isConnectionLost(rowError)) return undefined;
        return first + i;
      }
    }
    return undefined;
  } finally {
    await rollback(client);
  }
}

export interface SelectParams {
  query: string;
  parameters?: unknown;
  maxRows: number;
  cursor?: string;
  rowMode?: 'object' | 'array';
  /** The connection's `allowPrivilegedRole` (privileged-role.ts). */
  allowPrivilegedRole?: boolean;
  /** Most bytes the page may hold (result-bytes.ts); past it the select is refused. */
  maxResultBytes?: number;
}

export async function pgSelect(pool: PostgresPool, params: SelectParams, call: PgCall): Promise<{ columns: string[]; rows: unknown[]; rowCount: number; nextCursor?: string }> {
  const { sql, values } = bindParameters(params.query, params.parameters as Parameters | undefined, 'postgres');
  const fingerprint = queryFingerprint(params.query, params.parameters);
  const offset = params.cursor === undefined ? 0 : readCursor(params.cursor, fingerprint);
  const declare = await classifiedSelect(sql);
  return pool.with(async (client) => {
    assertPipelineSqlAllowed(pool.role, params.allowPrivilegedRole ?? false, pool.server, pool.roleError);
    try {
      await client.query('BEGIN READ ONLY');
      await client.query({ text: declare, values: values as unknown[], queryMode: 'extended' } as pg.QueryConfig);
      if (offset > 0) await client.query(`MOVE FORWARD ${offset} IN ${SELECT_CURSOR}`);
      const rows: unknown[] = [];
      let columns: string[] = [];
      let more = false;
      const budget = new ResultBudget(params.maxResultBytes);
      for (;;) {
        if (call.signal?.aborted) break;
        // Fewer rows per FETCH when they are large: pg holds a whole slice in memory.
        const want = budget.rowsToFetch(Math.min(FETCH_SLICE, params.maxRows + 1 - rows.length));
        const slice = await client.query({ text: `FETCH FORWARD ${want} FROM ${SELECT_CURSOR}`, rowMode: params.rowMode === 'array' ? 'array' : undefined } as pg.QueryConfig);
        columns = slice.fields.map((f) => f.name);
        for (const row of slice.rows) {
          const json = jsonRow(row);
          if (rows.length < params.maxRows) budget.add(json);
          rows.push(json);
        }
        if (rows.length > params.maxRows) {
          rows.length = params.maxRows;
          more = true;
          break;
        }
        if (slice.rows.length < want) break;
      }
      await client.query('COMMIT');
      const nextCursor = more ? makeCursor(offset + rows.length, fingerprint) : undefined;
      return { columns, rows, rowCount: rows.length, ...(nextCursor ? { nextCursor } : {}) };
    } catch (error) {
      if (!isConnectionLost(error)) await rollback(client);
      if ((error as { code?: unknown }).code === '42601' && /multiple commands/.test((error as Error).message)) {
        throw dbError('DbQueryFailed', 'The query holds more than one statement; send one query per call', { sqlstate: '42601' });
      }
      if ((error as { code?: unknown }).code === '0A000' && /data-modifying/.test((error as Error).message)) {
        throw dbError('DbQueryFailed', 'db.select runs read-only queries; use db.execute for statements that change rows', { sqlstate: '0A000', pgMessage: (error as Error).message });
      }
      throwPg(error, { server: pool.server });
    }
  }, call);
}

export async function pgExecute(pool: PostgresPool, params: { query: string; parameters?: unknown; allowSchemaChanges?: boolean; allowPrivilegedRole?: boolean }, call?: PgCall): Promise<{ changes: number }> {
  const { sql, values } = bindParameters(params.query, params.parameters as Parameters | undefined, 'postgres');
  await classifyExecute(sql, params.allowSchemaChanges ?? false);
  return pool.with(async (client) => {
    assertPipelineSqlAllowed(pool.role, params.allowPrivilegedRole ?? false, pool.server, pool.roleError);
    try {
      // Extended protocol always: one statement per call, never a simple-query string of several.
      const result = await client.query({ text: sql, values: values as unknown[], queryMode: 'extended' } as pg.QueryConfig);
      return { changes: result.rowCount ?? 0 };
    } catch (error) {
      if ((error as { code?: unknown }).code === '42601' && /multiple commands/.test((error as Error).message)) {
        throw dbError('DbQueryFailed', 'The query holds more than one statement; send one statement per call', { sqlstate: '42601' });
      }
      throw translatePgError(error, { server: pool.server });
    }
  }, call);
}

/** bytea as base64 text; Dates (custom types aside) as ISO text; everything else pg returns is JSON. */
function jsonRow(row: unknown): unknown {
  if (Array.isArray(row)) return row.map(jsonValue);
  const out = row as Record<string, unknown>;
  for (const key in out) {
    const value = out[key];
    if (value !== null && typeof value === 'object' && (Buffer.isBuffer(value) || value instanceof Date)) out[key] = jsonValue(value);
  }
  return out;
}

function jsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  return value;
}
