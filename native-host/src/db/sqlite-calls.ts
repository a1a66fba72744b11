/**
 * A pipeline's own SQL on SQLite, `db.select` and `db.execute`, as the SQLite runner process runs it
 * (sqlite-runner.ts): classified by statements.ts, then run to the end of the page. Kept apart from
 * the handler so that only the runner, which the host can SIGKILL, ever runs a pipeline's statement.
 */
import type { SqliteDatabase } from './connections';
import { makeCursor, queryFingerprint, readCursor } from './cursor';
import { withSqliteErrors } from './errors';
import { ResultBudget } from './result-bytes';
import type { Parameters } from './sql-params';
import { readOnly } from './sqlite-hardening';
import { arrayRow, objectRow } from './sqlite-rows';
import { prepareExecute, prepareSelect } from './statements';

export interface SqliteSelectParams {
  query: string;
  parameters?: unknown;
  maxRows: number;
  cursor?: string;
  rowMode?: 'object' | 'array';
  maxResultBytes?: number;
}

export interface SqliteExecuteParams {
  query: string;
  parameters?: unknown;
  allowSchemaChanges?: boolean;
}

export function sqliteSelect(db: SqliteDatabase, params: SqliteSelectParams): { columns: string[]; rows: unknown[]; rowCount: number; nextCursor?: string } {
  const fingerprint = queryFingerprint(params.query, params.parameters);
  const offset = params.cursor === undefined ? 0 : readCursor(params.cursor, fingerprint);
  const maxRows = params.maxRows;
  const rows: unknown[] = [];
  let more = false;
  const budget = new ResultBudget(params.maxResultBytes);
  // Prepared and run query-only (prepared inside, so toggling the flag does not make SQLite recompile it).
  const columns = withSqliteErrors(() => readOnly(db, () => {
    const { statement, values } = prepareSelect(db, params.query, params.parameters as Parameters | undefined);
    // Raw rows, made into objects by sqlite-rows.ts: a column named __proto__ stays a column.
    statement.raw(true);
    const names = statement.columns().map((c) => c.name);
    const toJson = params.rowMode === 'array' ? arrayRow : (raw: unknown[]) => objectRow(names, raw);
    let seen = 0;
    const iterator = statement.iterate(...(Array.isArray(values) ? values : [values])) as IterableIterator<unknown[]>;
    try {
      for (const row of iterator) {
        if (seen++ < offset) continue;
        if (rows.length === maxRows) {
          more = true;
          break;
        }
        const json = toJson(row);
        budget.add(json);
        rows.push(json);
      }
    } finally {
      iterator.return?.();
    }
    return names;
  }));
  const nextCursor = more ? makeCursor(offset + rows.length, fingerprint) : undefined;
  return { columns, rows, rowCount: rows.length, ...(nextCursor ? { nextCursor } : {}) };
}

export function sqliteExecute(db: SqliteDatabase, params: SqliteExecuteParams): { changes: number; lastInsertRowid?: number } {
  const { statement, values, statementType } = prepareExecute(db, params.query, params.parameters as Parameters | undefined, params.allowSchemaChanges ?? false);
  const info = withSqliteErrors(() => statement.run(...(Array.isArray(values) ? values : [values])));
  return info.changes > 0 && (statementType === 'INSERT' || statementType === 'REPLACE')
    ? { changes: info.changes, lastInsertRowid: Number(info.lastInsertRowid) }
    : { changes: info.changes };
}
