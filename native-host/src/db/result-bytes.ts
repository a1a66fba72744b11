/**
 * A bound on the bytes of one `db.select` page, counted while its rows are collected, so a query of
 * huge values (12 rows of `zeroblob(40000000)` took the host to 2 GB before this) is refused after
 * the row that crosses the limit instead of after every row is in memory. Sizes are estimates of
 * each row's JSON text (strings count their UTF-16 length plus quotes, numbers 24), close enough to
 * stop a page long before memory balloons.
 */
import { dbError } from './db-error';

export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024;
export const MAX_RESULT_BYTES_SETTING = 'FERRY_HOST_MAX_RESULT_BYTES';

/** Adds up the estimated JSON size of a page's rows; `add` throws DbQueryFailed once they pass the limit. */
export class ResultBudget {
  private used = 0;
  private rows = 0;
  private readonly limit: number;

  constructor(limit: number | undefined) {
    this.limit = limit ?? DEFAULT_MAX_RESULT_BYTES;
  }

  add(row: unknown): void {
    this.used += jsonSize(row) + 1;
    if (this.used > this.limit) throw resultTooLarge(this.limit, this.rows);
    this.rows += 1;
  }

  /**
   * How many more rows to ask a server for at once (PostgreSQL's FETCH holds a whole slice in
   * memory): a few first, then as many as the rows seen so far say would fit, plus one to cross.
   */
  rowsToFetch(most: number): number {
    if (this.rows === 0) return Math.min(most, FIRST_FETCH);
    const average = this.used / this.rows;
    return Math.max(1, Math.min(most, Math.floor((this.limit - this.used) / average) + 1));
  }
}

const FIRST_FETCH = 16;

export function resultTooLarge(limit: number, rows: number): ReturnType<typeof dbError> {
  const mib = Math.round((limit / (1024 * 1024)) * 100) / 100;
  return dbError(
    'DbQueryFailed',
    `The result is over ${mib} MiB after ${rows} rows (the host's limit for one page, ${MAX_RESULT_BYTES_SETTING}): lower maxRows, select fewer or smaller columns (e.g. length(blob) or substr(text, 1, n) instead of the whole value), or page through the rows with the cursor`,
    { maxResultBytes: limit, rowsCollected: rows, setting: MAX_RESULT_BYTES_SETTING },
  );
}

/** An estimate of `JSON.stringify(value).length`, without building the text. */
export function jsonSize(value: unknown): number {
  if (value === null || value === undefined) return 4;
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
    case 'bigint':
      return 24;
    case 'boolean':
      return 5;
    case 'object': {
      if (Buffer.isBuffer(value)) return Math.ceil(value.byteLength / 3) * 4 + 2;
      if (value instanceof Date) return 26;
      let size = 2;
      if (Array.isArray(value)) {
        for (const item of value) size += jsonSize(item) + 1;
        return size;
      }
      for (const key in value) size += key.length + 4 + jsonSize((value as Record<string, unknown>)[key]);
      return size;
    }
    default:
      return 4;
  }
}
