/**
 * Rows of a SQLite select as JSON values. Object rows are built here from raw rows, one own data
 * property per column (`Object.fromEntries`), because better-sqlite3 assigns column names to a
 * plain object: a column named `__proto__` would be dropped, or (a blob) become the row's
 * prototype. Duplicate names keep the last column, as better-sqlite3 does. Blobs travel as base64.
 */
export function objectRow(columns: readonly string[], raw: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((name, i) => [name, jsonValue(raw[i])]));
}

export function arrayRow(raw: readonly unknown[]): unknown[] {
  return raw.map(jsonValue);
}

export function jsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return Number(value);
  return value;
}
