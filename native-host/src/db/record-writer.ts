/**
 * Writes records into a table with a conflict mode: "error" (a duplicate key fails the row),
 * "ignore" (the duplicate is skipped) or "update" (the existing row takes the record's other fields).
 * Counts inserted, updated and ignored rows exactly: in "update" mode a row is first looked up by its
 * conflict target, in the same transaction. Values are always bound; names are validated and quoted.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ConflictMode } from '../../../src/protocol';
import type { SqliteDatabase } from './connections';
import { createTableSql, inferColumns, storedValue } from './create-table';
import { dbError } from './db-error';
import { translateSqliteError, withSqliteErrors } from './errors';
import { quoteColumn, quoteTable } from './identifiers';
import type { WriteRows } from './write-rows';

type Statement = BetterSqlite3.Statement<unknown[]>;

/**
 * Rows per INSERT statement where counts allow it ("error" and "ignore"). Each statement is one call
 * into SQLite; measured with better-sqlite3, 10,000 six-column rows took 27 ms one row per statement
 * and 12 ms a hundred rows per statement (250 was slower again).
 */
const ROWS_PER_STATEMENT = 100;
/** SQLite's limit on placeholders in one statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const MAX_VARIABLES = 32_766;

export interface WriteCounts {
  inserted: number;
  updated: number;
  ignored: number;
}

export interface RecordWriterOptions {
  table: string;
  mode: ConflictMode;
  conflictTarget?: string[];
  createTable: boolean;
}

interface RowStatements {
  insert: Statement;
  /** Rows one `many` statement inserts (below 2: rows go one by one). */
  groupSize: number;
  /** The multi-row INSERT for `groupSize` rows, prepared on first use. */
  many?: Statement;
  /** "update" mode: finds the row a record would collide with. */
  existing?: Statement;
  /** "update" mode: where the conflict target's fields are among the row's values. */
  targetIndexes?: number[];
}

export class RecordWriter {
  readonly tableCreated: boolean;
  private readonly quotedTable: string;
  private readonly target: string[] | undefined;
  private readonly statements = new Map<string, RowStatements>();
  private lastKeys: readonly string[] | undefined;
  private lastStatements: RowStatements | undefined;

  /** Checks the table (creating it from `sample` when missing and allowed) and resolves the conflict target. */
  constructor(private readonly db: SqliteDatabase, private readonly options: RecordWriterOptions, sample: WriteRows) {
    const [schema, name] = mainTable(options.table);
    // Always `"main"."name"`: a temp table of the same name (statements.ts refuses creating one, but
    // it must never matter) would otherwise capture every write to an unqualified name.
    this.quotedTable = quoteTable(`${schema}.${name}`);
    options.conflictTarget?.forEach(quoteColumn);
    const exists = db.prepare('SELECT 1 FROM pragma_table_info(?, ?) LIMIT 1').get(name, schema) !== undefined;
    if (!exists && !options.createTable) {
      throw dbError('DbTableNotFound', `Table ${options.table} does not exist; create it first or leave createTable on`, { table: options.table });
    }
    if (!exists) {
      withSqliteErrors(() => db.exec(createTableSql(`${schema}.${name}`, inferColumns(sample), options.conflictTarget)), { table: options.table });
    }
    this.tableCreated = !exists;
    this.target = options.conflictTarget ?? (options.mode === 'update' ? tableKey(db, schema, name) : undefined);
  }

  /**
   * Writes rows `0..rows.length` (call rows `first..`), adding to `counts`; throws a `db.*` RpcError
   * naming the row on failure. Consecutive rows with the same columns go `groupSize` at a time in one
   * multi-row INSERT, except in "update" mode, where each row is looked up first to count it.
   */
  writeRows(rows: WriteRows, first: number, counts: WriteCounts): void {
    let group: (readonly unknown[])[] = [];
    let groupColumns: readonly string[] = [];
    let groupStart = 0;
    const oneByOne = (): void => {
      group.forEach((values, k) => this.write(groupColumns, values, first + groupStart + k, counts));
      group = [];
    };
    for (let i = 0; i < rows.length; i += 1) {
      const { columns, values } = rows.row(i);
      if (group.length > 0 && !sameColumns(columns, groupColumns)) oneByOne();
      // A statement that cannot be prepared (an unknown column) fails again in write(), naming the row.
      const statements = this.options.mode === 'update' ? undefined : this.preparedFor(columns);
      if (!statements || statements.groupSize < 2) {
        this.write(columns, values, first + i, counts);
        continue;
      }
      if (group.length === 0) {
        groupColumns = columns;
        groupStart = i;
      }
      group.push(values);
      if (group.length === statements.groupSize) {
        if (!this.writeGroup(statements, columns, group, counts)) oneByOne();
        group = [];
      }
    }
    oneByOne();
  }

  /**
   * Inserts a full group with one statement; false when it failed. SQLite undoes just the failed
   * statement, so the caller replays the group row by row, and the row at fault names itself.
   */
  private writeGroup(statements: RowStatements, columns: readonly string[], group: readonly (readonly unknown[])[], counts: WriteCounts): boolean {
    try {
      statements.many ??= this.db.prepare<unknown[]>(this.insertSql(columns, group.length));
      const width = columns.length;
      const values = new Array<unknown>(width * group.length);
      let k = 0;
      for (const row of group) for (let j = 0; j < width; j += 1) values[k++] = storedValue(row[j], columns[j]!);
      const { changes } = statements.many.run(values);
      counts.inserted += changes;
      counts.ignored += group.length - changes;
      return true;
    } catch {
      return false;
    }
  }

  /** Writes one row, adding to `counts`; throws a `db.*` RpcError naming the row on failure. */
  write(keys: readonly string[], row: readonly unknown[], rowIndex: number, counts: WriteCounts): void {
    try {
      const statements = this.statementsFor(keys);
      const values = new Array<unknown>(keys.length);
      for (let j = 0; j < keys.length; j += 1) values[j] = storedValue(row[j], keys[j]!);
      if (statements.existing) {
        const key = statements.targetIndexes!.map((j) => values[j]);
        const found = !key.includes(null) && statements.existing.get(...key) !== undefined;
        statements.insert.run(...values);
        if (found) counts.updated += 1;
        else counts.inserted += 1;
        return;
      }
      const { changes } = statements.insert.run(...values);
      if (changes > 0) counts.inserted += 1;
      else counts.ignored += 1;
    } catch (error) {
      const translated = translateSqliteError(error, { table: this.options.table }) as { message?: string; data?: unknown };
      if (translated && typeof translated === 'object' && 'data' in translated && translated.data && typeof translated.data === 'object') {
        Object.assign(translated.data, { rowIndex });
        translated.message = `Row ${rowIndex}: ${translated.message}`;
      }
      throw translated;
    }
  }

  private preparedFor(keys: readonly string[]): RowStatements | undefined {
    try {
      return this.statementsFor(keys);
    } catch {
      return undefined;
    }
  }

  private statementsFor(keys: readonly string[]): RowStatements {
    // A record table's rows share one columns array: no need to join and look up the names again.
    if (keys === this.lastKeys) return this.lastStatements!;
    const cacheKey = keys.join('\u0000');
    let found = this.statements.get(cacheKey);
    if (!found) {
      found = this.prepareStatements(keys);
      this.statements.set(cacheKey, found);
    }
    this.lastKeys = keys;
    this.lastStatements = found;
    return found;
  }

  /** INSERT of `rows` rows of `keys` ("error" and "ignore" modes), or of one row DEFAULT VALUES. */
  private insertSql(keys: readonly string[], rows: number): string {
    const tuple = `(${keys.map(() => '?').join(', ')})`;
    let sql = keys.length
      ? `INSERT INTO ${this.quotedTable} (${keys.map(quoteColumn).join(', ')}) VALUES ${rows === 1 ? tuple : new Array(rows).fill(tuple).join(', ')}`
      : `INSERT INTO ${this.quotedTable} DEFAULT VALUES`;
    const target = this.target;
    if (this.options.mode === 'ignore') sql += ` ON CONFLICT${target ? ` (${target.map(quoteColumn).join(', ')})` : ''} DO NOTHING`;
    return sql;
  }

  private prepareStatements(keys: readonly string[]): RowStatements {
    const target = this.target;
    let sql = this.insertSql(keys, 1);
    const onTarget = target ? ` (${target.map(quoteColumn).join(', ')})` : '';
    let existing: Statement | undefined;
    if (this.options.mode === 'update' && target) {
      const missing = target.filter((t) => !keys.includes(t));
      if (missing.length) {
        throw dbError('DbBadParameter', `onConflict "update" needs the conflict target's fields in every record; missing ${missing.join(', ')}`, { conflictTarget: target });
      }
      const updates = keys.filter((k) => !target.includes(k)).map(quoteColumn);
      sql += updates.length
        ? ` ON CONFLICT${onTarget} DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}`
        : ` ON CONFLICT${onTarget} DO NOTHING`;
      const where = target.map((t) => `${quoteColumn(t)} = ?`).join(' AND ');
      existing = withSqliteErrors(() => this.db.prepare<unknown[]>(`SELECT 1 FROM ${this.quotedTable} WHERE ${where} LIMIT 1`), { table: this.options.table });
    }
    const insert = withSqliteErrors(() => this.db.prepare<unknown[]>(sql), { table: this.options.table });
    const groupSize = keys.length === 0 || this.options.mode === 'update' ? 1 : Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_VARIABLES / keys.length));
    return { insert, groupSize, existing, targetIndexes: existing ? target!.map((t) => keys.indexOf(t)) : undefined };
  }
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j += 1) if (a[j] !== b[j]) return false;
  return true;
}

/** The table in the main database: `name` or `main.name` (ATTACH is refused, and temp would shadow main's table). */
function mainTable(table: string): [schema: 'main', name: string] {
  quoteTable(table);
  const dot = table.indexOf('.');
  if (dot < 0) return ['main', table];
  if (table.slice(0, dot).toLowerCase() !== 'main') {
    throw dbError('DbInvalidIdentifier', `Table ${JSON.stringify(table)} names the schema ${JSON.stringify(table.slice(0, dot))}; a SQLite connection writes only into its database's main schema (a temp table would shadow main's for every later call). Name the table alone, e.g. ${JSON.stringify(table.slice(dot + 1))}`, { identifier: table, kind: 'table' });
  }
  return ['main', table.slice(dot + 1)];
}

/** The table's primary key, or else its first UNIQUE index: what "update" judges conflicts on. */
function tableKey(db: SqliteDatabase, schema: string, table: string): string[] | undefined {
  const pk = db.prepare('SELECT name FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk').pluck().all(table, schema) as string[];
  if (pk.length) return pk;
  const index = db.prepare(`SELECT name FROM pragma_index_list(?, ?) WHERE "unique" = 1 AND origin != 'pk' LIMIT 1`).pluck().get(table, schema) as string | undefined;
  if (!index) return undefined;
  const columns = db.prepare('SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno').pluck().all(index, schema) as (string | null)[];
  return columns.every((c): c is string => c !== null) ? columns : undefined;
}
