/**
 * `db.*`: insert, batchInsert, select and execute against SQLite through better-sqlite3, or against
 * PostgreSQL through pg (native-host/src/db/postgres/) when the connection is a PostgreSQL config.
 * Every value is bound, every name validated and quoted (native-host/src/db/); each engine's errors
 * come back as the shared table's `db.*` codes.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ErrorCode, RpcError, type ConflictMode, type PgRoleWarning, type ResultOf } from '../../../src/protocol';
import type { DatabaseConnections } from '../db/connections';
import { dbError } from '../db/db-error';
import { RecordWriter, type WriteCounts } from '../db/record-writer';
import { pgExecute, pgSelect, withWriter, writeInTransaction } from '../db/postgres/operations';
import type { PostgresPool } from '../db/postgres/pools';
import { WriteRows } from '../db/write-rows';
import type { SqliteRunnerClient } from '../db/sqlite-runner-client';
import type { HandlerContext, MethodRegistry } from '../method-registry';

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_MAX_ROWS = 50_000;

interface WriteParams {
  table: string;
  onConflict?: ConflictMode;
  conflictResolution?: ConflictMode;
  conflictTarget?: string | string[];
  createTable?: boolean;
}

function writerOptions(params: WriteParams) {
  const target = params.conflictTarget;
  return {
    table: params.table,
    mode: params.onConflict ?? params.conflictResolution ?? 'error',
    conflictTarget: target === undefined ? undefined : Array.isArray(target) ? target : [target],
    createTable: params.createTable ?? true,
  };
}

export interface DbMethodOptions {
  /** Runs db.select and db.execute on SQLite in a child process the host can kill. */
  sqliteRunner: SqliteRunnerClient;
  /** Most bytes one db.select page may hold (config.ts: FERRY_HOST_MAX_RESULT_BYTES). */
  maxResultBytes?: number;
}

export function registerDbMethods(registry: MethodRegistry, connections: DatabaseConnections, options: DbMethodOptions): void {
  registry.registerCatalogue('db.insert', (params, context) => {
    const target = connections.resolve(params);
    const records = WriteRows.of(params.data);
    if (target.engine === 'postgres') {
      const pool = target.pool;
      return withRoleWarning(pool, withWriter(pool, writerOptions(params), records, async (ctx) => ({
        ...(await writeInTransaction(pool, ctx, params.table, records, 0)),
        tableCreated: ctx.writer.tableCreated,
      }), context));
    }
    const db = target.db;
    // In the runner's queue: one SQLite call at a time per host, so a runner statement holding the
    // write lock never makes this write wait out the busy timeout on the host's thread.
    return options.sqliteRunner.exclusive(() => {
      const writer = new RecordWriter(db, writerOptions(params), records);
      const counts: WriteCounts = { inserted: 0, updated: 0, ignored: 0 };
      db.transaction(() => writer.writeRows(records, 0, counts))();
      const lastInsertRowid = counts.inserted > 0 ? Number(db.prepare('SELECT last_insert_rowid()').pluck().get()) : undefined;
      return { ...counts, ...(lastInsertRowid === undefined ? {} : { lastInsertRowid }), tableCreated: writer.tableCreated };
    }, context.signal);
  });

  registry.registerCatalogue('db.batchInsert', async (params, context) => {
    const target = connections.resolve(params);
    const size = params.batchSize ?? DEFAULT_BATCH_SIZE;
    const records = WriteRows.of(params.data);
    if (records.length === 0) return { inserted: 0, updated: 0, ignored: 0, total: 0, tableCreated: false, batches: [] };
    if (target.engine === 'postgres') {
      const pool = target.pool;
      return withRoleWarning(pool, withWriter(pool, writerOptions(params), records, async (ctx) => ({
        ...(await runBatches(records, size, context, (rows, start) => writeInTransaction(pool, ctx, params.table, rows, start))),
        tableCreated: ctx.writer.tableCreated,
      }), context));
    }
    const db = target.db;
    return options.sqliteRunner.exclusive(async () => {
      const writer = new RecordWriter(db, writerOptions(params), records);
      const result = await runBatches(records, size, context, (rows, start) => {
        const counts: WriteCounts = { inserted: 0, updated: 0, ignored: 0 };
        db.transaction(() => writer.writeRows(rows, start, counts))();
        return counts;
      });
      return { ...result, tableCreated: writer.tableCreated };
    }, context.signal);
  });

  // A pipeline's own SQL on SQLite runs in the runner process, which a cancel or shutdown can SIGKILL
  // (db/sqlite-runner.ts); the host's own writes above stay on its thread, in the same queue.
  registry.registerCatalogue('db.select', (params, context) => {
    if (connections.engine(params) === 'postgres') {
      const target = connections.resolve(params) as { engine: 'postgres'; pool: PostgresPool };
      return withRoleWarning(target.pool, pgSelect(target.pool, { ...params, maxRows: params.maxRows ?? DEFAULT_MAX_ROWS, maxResultBytes: options.maxResultBytes, allowPrivilegedRole: allowsPrivilegedRole(params) }, context));
    }
    const request = { ...params, maxRows: params.maxRows ?? DEFAULT_MAX_ROWS, maxResultBytes: options.maxResultBytes };
    return options.sqliteRunner.call('db.select', request, context.signal) as Promise<ResultOf<'db.select'>>;
  });

  registry.registerCatalogue('db.execute', (params, context) => {
    if (connections.engine(params) === 'postgres') {
      const target = connections.resolve(params) as { engine: 'postgres'; pool: PostgresPool };
      return withRoleWarning(target.pool, pgExecute(target.pool, { ...params, allowPrivilegedRole: allowsPrivilegedRole(params) }, context));
    }
    return options.sqliteRunner.call('db.execute', params, context.signal) as Promise<ResultOf<'db.execute'>>;
  });

  registry.registerCatalogue('db.inspectRole', async (params, context) => {
    const target = connections.resolve(params);
    if (target.engine !== 'postgres') throw dbError('DbQueryFailed', 'db.inspectRole checks the login role of a PostgreSQL connection; a SQLite database has no roles');
    const { warning, ...facts } = await target.pool.checkRole(context);
    return { ...facts, ...(warning ? { warning } : {}) };
  });
}

/**
 * Adds the pool's role warning (postgres/role.ts) to a PostgreSQL call's result: the pool checks
 * the role on its first use, and every result says it, so every run and every Test connection on a
 * superuser's pool shows it.
 */
/** The PostgreSQL connection's own `allowPrivilegedRole`, however the call names the connection. */
function allowsPrivilegedRole(params: { connection?: unknown; connectionConfig?: unknown }): boolean {
  const config = (typeof params.connection === 'object' ? params.connection : params.connectionConfig) as { allowPrivilegedRole?: unknown } | undefined;
  return config?.allowPrivilegedRole === true;
}

async function withRoleWarning<T extends object>(pool: PostgresPool, result: Promise<T>): Promise<T & { roleWarning?: PgRoleWarning }> {
  const value = await result;
  const warning = pool.roleWarning;
  return warning ? { ...value, roleWarning: warning } : value;
}

type BatchCounts = WriteCounts & { index: number; rows: number };

/**
 * Runs `write` once per `size` records (each call one transaction), adding up the counts, reporting
 * `$/progress` and honouring `$/cancelRequest` between batches; a failure names the batch.
 */
async function runBatches(
  records: WriteRows,
  size: number,
  context: HandlerContext,
  write: (rows: WriteRows, start: number) => WriteCounts | Promise<WriteCounts>,
): Promise<WriteCounts & { total: number; batches: BatchCounts[] }> {
  const totals: WriteCounts = { inserted: 0, updated: 0, ignored: 0 };
  const batches: BatchCounts[] = [];
  for (let start = 0, index = 0; start < records.length; start += size, index += 1) {
    const committed = { committedBatches: index, committedRows: start };
    if (context.signal.aborted) throw new RpcError(ErrorCode.RequestCancelled, `db.batchInsert cancelled after ${index} batches (${start} rows committed)`, committed);
    const rows = records.slice(start, Math.min(records.length, start + size));
    let counts: WriteCounts;
    try {
      counts = await write(rows, start);
    } catch (error) {
      throw failedBatch(error, index, start, start + rows.length - 1, committed);
    }
    batches.push({ index, rows: rows.length, ...counts });
    totals.inserted += counts.inserted;
    totals.updated += counts.updated;
    totals.ignored += counts.ignored;
    context.progress({ message: `batch ${index + 1} committed`, done: start + rows.length, total: records.length });
    // Lets progress frames and $/cancelRequest through between batches.
    if (start + size < records.length) await nextTurn();
  }
  return { ...totals, total: records.length, batches };
}

function failedBatch(error: unknown, index: number, first: number, last: number, committed: { committedBatches: number; committedRows: number }): unknown {
  if (!(error instanceof RpcError)) return error;
  const data = { ...(error.data as object), batchIndex: index, ...committed };
  const message = `Batch ${index} (rows ${first}-${last}) was rolled back, nothing of it was written; ${committed.committedRows} rows in ${committed.committedBatches} earlier batches stay committed. ${error.message}`;
  return new RpcError(error.code, message, data);
}
