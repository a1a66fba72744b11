/**
 * Writes records into a PostgreSQL table: multi-row INSERTs (records with the same fields in a row
 * share one statement, within PostgreSQL's 65,535 parameters), with ON CONFLICT (target) DO NOTHING
 * or DO UPDATE SET ... RETURNING (xmax = 0) so inserted, updated and ignored counts are exact. A
 * missing table is created from the records' shape: bigint, double precision, boolean, text,
 * timestamptz (strings that are all ISO 8601 date-times with a zone), jsonb (objects and arrays).
 * The caller owns the transaction.
 */
import type pg from 'pg';
import type { ConflictMode, DbRecord } from '../../../../src/protocol';
import { columnsByKind } from '../create-table';
import type { WriteRows } from '../write-rows';
import { dbError } from '../db-error';
import { quoteColumn, quoteTable } from '../identifiers';
import type { WriteCounts } from '../record-writer';
import { throwPg } from './errors';

const MAX_PARAMETERS = 65_535;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

export interface PgWriterOptions {
  table: string;
  mode: ConflictMode;
  conflictTarget?: string[];
  createTable: boolean;
}

type Kind = 'bigint' | 'double precision' | 'boolean' | 'text' | 'timestamptz' | 'jsonb';

function kindOf(value: unknown): Kind | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'bigint' : 'double precision';
  if (typeof value === 'string') return ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? 'timestamptz' : 'text';
  return 'jsonb';
}

function typeFor(seen: Set<Kind>): Kind {
  if (seen.size === 0) return 'text';
  if (seen.size === 1) return [...seen][0]!;
  if (seen.has('jsonb')) return 'jsonb';
  if ([...seen].every((k) => k === 'bigint' || k === 'double precision')) return 'double precision';
  return 'text';
}

/** Columns of the records in order of first appearance with PostgreSQL types. */
export function inferPgColumns(records: readonly DbRecord[] | WriteRows): { name: string; type: Kind }[] {
  return columnsByKind(records, kindOf, typeFor);
}

export function createPgTableSql(table: string, records: readonly DbRecord[] | WriteRows, uniqueKey: readonly string[] = []): string {
  const columns = inferPgColumns(records);
  if (columns.length === 0) throw dbError('DbBadParameter', `Cannot create table ${table} from records with no fields`, { table });
  const missing = uniqueKey.filter((k) => !columns.some((c) => c.name === k));
  if (missing.length) throw dbError('DbBadParameter', `conflictTarget ${missing.join(', ')} is not a field of the records`, { conflictTarget: uniqueKey });
  const defs = columns.map((c) => `${quoteColumn(c.name)} ${c.type}`);
  if (uniqueKey.length) defs.push(`UNIQUE (${uniqueKey.map(quoteColumn).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${quoteTable(table)} (${defs.join(', ')})`;
}

const NUMERIC_TYPES = /^(smallint|integer|bigint|numeric|real|double precision)/;

export class PgRecordWriter {
  private constructor(
    private readonly options: PgWriterOptions,
    private readonly quotedTable: string,
    private readonly columnTypes: Map<string, string>,
    private readonly target: string[] | undefined,
    readonly tableCreated: boolean,
  ) {}

  /** Checks the table (creating it from `sample` when missing and allowed), its column types and the conflict target. */
  static async prepare(client: pg.PoolClient, options: PgWriterOptions, sample: WriteRows): Promise<PgRecordWriter> {
    const quotedTable = quoteTable(options.table);
    options.conflictTarget?.forEach(quoteColumn);
    const context = { table: options.table };
    try {
      let oid = await tableOid(client, quotedTable);
      if (oid === null && !options.createTable) {
        throw dbError('DbTableNotFound', `Table ${options.table} does not exist; create it first or leave createTable on`, { table: options.table });
      }
      const created = oid === null;
      if (created) {
        await client.query({ text: createPgTableSql(options.table, sample, options.conflictTarget), queryMode: 'extended' } as pg.QueryConfig);
        oid = await tableOid(client, quotedTable);
      }
      const columns = await client.query<{ name: string; type: string }>({
        text: 'SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped',
        values: [oid],
      });
      const types = new Map(columns.rows.map((r) => [r.name, r.type]));
      const target = options.conflictTarget ?? (options.mode === 'update' ? await tableKey(client, oid!) : undefined);
      return new PgRecordWriter(options, quotedTable, types, target, created);
    } catch (error) {
      throwPg(error, context);
    }
  }

  /** Writes `rows` inside the caller's transaction. */
  async write(client: pg.PoolClient, rows: WriteRows): Promise<WriteCounts> {
    const counts: WriteCounts = { inserted: 0, updated: 0, ignored: 0 };
    let run: (readonly unknown[])[] = [];
    let runColumns: readonly string[] = [];
    let runKeys = '';
    let seenKeys = new Set<string>();
    const flush = async (): Promise<void> => {
      if (run.length) await this.insert(client, runColumns, run, counts);
      run = [];
      seenKeys = new Set();
    };
    for (let i = 0; i < rows.length; i += 1) {
      const { columns, values } = rows.row(i);
      // A record table's rows share one columns array; records are compared by their names.
      const joined = columns === runColumns ? runKeys : columns.join('\u0000');
      const perStatement = columns.length === 0 ? 1 : Math.floor(MAX_PARAMETERS / columns.length);
      // ON CONFLICT DO UPDATE cannot touch one row twice in a statement: a repeated key starts a new one.
      const key = this.options.mode === 'update' && this.target ? JSON.stringify(this.target.map((t) => values[columns.indexOf(t)] ?? null)) : undefined;
      if (joined !== runKeys || run.length >= perStatement || (key !== undefined && seenKeys.has(key))) await flush();
      runKeys = joined;
      runColumns = columns;
      run.push(values);
      if (key !== undefined) seenKeys.add(key);
    }
    await flush();
    return counts;
  }

  private async insert(client: pg.PoolClient, keys: readonly string[], rows: (readonly unknown[])[], counts: WriteCounts): Promise<void> {
    const values: unknown[] = [];
    let sql: string;
    if (keys.length === 0) {
      sql = `INSERT INTO ${this.quotedTable} DEFAULT VALUES`;
    } else {
      const types = keys.map((k) => this.columnTypes.get(k) ?? '');
      const tuples = rows.map((row) => {
        const placeholders = new Array<string>(keys.length);
        for (let j = 0; j < keys.length; j += 1) {
          values.push(this.value(row[j], keys[j]!, types[j]!));
          placeholders[j] = `$${values.length}`;
        }
        return `(${placeholders.join(', ')})`;
      });
      sql = `INSERT INTO ${this.quotedTable} (${keys.map(quoteColumn).join(', ')}) VALUES ${tuples.join(', ')}`;
    }
    const target = this.target;
    const onTarget = target ? ` (${target.map(quoteColumn).join(', ')})` : '';
    const mode = this.options.mode;
    if (mode === 'ignore') sql += ` ON CONFLICT${onTarget} DO NOTHING`;
    if (mode === 'update' && target) {
      const missing = target.filter((t) => !keys.includes(t));
      if (missing.length) {
        throw dbError('DbBadParameter', `onConflict "update" needs the conflict target's fields in every record; missing ${missing.join(', ')}`, { conflictTarget: target });
      }
      const updates = keys.filter((k) => !target.includes(k));
      const set = (updates.length ? updates : [target[0]!]).map(quoteColumn).map((c) => `${c} = EXCLUDED.${c}`);
      sql += ` ON CONFLICT${onTarget} DO UPDATE SET ${set.join(', ')} RETURNING (xmax = 0) AS inserted`;
      const result = await client.query<{ inserted: boolean }>({ text: sql, values, queryMode: 'extended' } as pg.QueryConfig);
      for (const row of result.rows) {
        if (row.inserted) counts.inserted += 1;
        else counts.updated += 1;
      }
      return;
    }
    const result = await client.query({ text: sql, values, queryMode: 'extended' } as pg.QueryConfig);
    const written = result.rowCount ?? 0;
    counts.inserted += written;
    counts.ignored += rows.length - written;
  }

  /** A field's value as bound: JSON text for json/jsonb columns and for objects, 1/0 for booleans in numeric columns. */
  private value(value: unknown, column: string, type: string): unknown {
    if (value === undefined || value === null) return null;
    if (type === 'jsonb' || type === 'json') return JSON.stringify(value);
    if (typeof value === 'number' && !Number.isFinite(value)) throw dbError('DbBadParameter', `Field ${column} is ${value}, which PostgreSQL cannot store in ${type || 'a column'}`, { column });
    if (typeof value === 'boolean' && NUMERIC_TYPES.test(type)) return value ? 1 : 0;
    if (typeof value === 'object') return JSON.stringify(value);
    return value;
  }
}

async function tableOid(client: pg.PoolClient, quotedTable: string): Promise<string | null> {
  const result = await client.query<{ oid: string | null }>({ text: 'SELECT to_regclass($1)::oid::text AS oid', values: [quotedTable] });
  return result.rows[0]?.oid ?? null;
}

/** The table's primary key, or else its first UNIQUE index on plain columns. */
async function tableKey(client: pg.PoolClient, oid: string): Promise<string[] | undefined> {
  const result = await client.query<{ columns: string[] }>({
    text: `SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns
           FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE i.indrelid = $1::oid AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
           GROUP BY i.indexrelid, i.indisprimary ORDER BY i.indisprimary DESC, i.indexrelid LIMIT 1`,
    values: [oid],
  });
  return result.rows[0]?.columns;
}
