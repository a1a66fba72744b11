/**
 * A table made from the records' shape when it is missing: one column per field (in order of first
 * appearance), typed from the values seen. Integers and booleans are INTEGER, other numbers REAL,
 * strings TEXT, objects and arrays TEXT holding JSON; a column whose values disagree gets no declared
 * type, so SQLite keeps each value as given. The conflict target, if any, becomes a UNIQUE constraint
 * so that onConflict has something to act on.
 */
import { dbError } from './db-error';
import { quoteColumn, quoteTable } from './identifiers';
import { WriteRows } from './write-rows';

export type ColumnType = 'INTEGER' | 'REAL' | 'TEXT' | '';

export interface ColumnShape {
  name: string;
  type: ColumnType;
}

/** Columns of the records (or rows), in order of first appearance, with the type their values suggest. */
export function inferColumns(records: readonly Record<string, unknown>[] | WriteRows): ColumnShape[] {
  return columnsByKind(records, kindOf, typeFor);
}

/**
 * The walk both engines share: each field in order of first appearance, with the set of value kinds
 * `kindOf` saw for it (null and undefined count for none), turned into a column type by `typeFor`.
 */
export function columnsByKind<K, T>(records: readonly Record<string, unknown>[] | WriteRows, kindOf: (value: unknown) => K | undefined, typeFor: (seen: Set<K>) => T): { name: string; type: T }[] {
  const rows = records instanceof WriteRows ? records : WriteRows.of([...records]);
  const kinds = new Map<string, Set<K>>();
  for (let i = 0; i < rows.length; i += 1) {
    const { columns, values } = rows.row(i);
    for (let j = 0; j < columns.length; j += 1) {
      const name = columns[j]!;
      let seen = kinds.get(name);
      if (!seen) kinds.set(name, (seen = new Set()));
      const kind = kindOf(values[j]);
      if (kind !== undefined) seen.add(kind);
    }
  }
  return [...kinds].map(([name, seen]) => ({ name, type: typeFor(seen) }));
}

function kindOf(value: unknown): 'integer' | 'real' | 'text' | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return 'integer';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'real';
  return 'text';
}

function typeFor(seen: Set<'integer' | 'real' | 'text'>): ColumnType {
  if (seen.size === 0) return 'TEXT';
  if (seen.has('text')) return seen.size === 1 ? 'TEXT' : '';
  return seen.has('real') ? 'REAL' : 'INTEGER';
}

export function createTableSql(table: string, columns: readonly ColumnShape[], uniqueKey: readonly string[] = []): string {
  if (columns.length === 0) throw dbError('DbBadParameter', `Cannot create table ${table} from records with no fields`, { table });
  const names = new Set(columns.map((c) => c.name));
  const missing = uniqueKey.filter((k) => !names.has(k));
  if (missing.length) {
    throw dbError('DbBadParameter', `conflictTarget ${missing.join(', ')} is not a field of the records`, { conflictTarget: uniqueKey });
  }
  const defs = columns.map((c) => (c.type ? `${quoteColumn(c.name)} ${c.type}` : quoteColumn(c.name)));
  if (uniqueKey.length) defs.push(`UNIQUE (${uniqueKey.map(quoteColumn).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${quoteTable(table)} (${defs.join(', ')})`;
}

/** A field's value as SQLite stores it: JSON text for objects and arrays, 1/0 for booleans. */
export function storedValue(value: unknown, column: string): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw dbError('DbBadParameter', `Field ${column} is ${value}, which SQLite cannot store`, { column });
    return value;
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
