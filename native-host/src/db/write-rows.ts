/**
 * The rows of a write call in one shape for both engines' writers, whichever form `data` arrived in:
 * records (each row its own field names) or a record table (every row the table's columns). Writers
 * read row i as `columns` + `values`; a table hands out its own arrays, so its rows cost no
 * allocation, and its rows all share one `columns` array, which lets a writer reuse its statement
 * by identity instead of comparing names.
 */
import { isRecordTable, type DbRecord, type RecordTable, type WriteData } from '../../../src/protocol';

export interface Row {
  columns: readonly string[];
  values: readonly unknown[];
}

export abstract class WriteRows {
  abstract readonly length: number;
  /** Row `i` (0-based within these rows). */
  abstract row(i: number): Row;
  /** Rows `start` to `end` (exclusive), sharing this source's arrays. */
  abstract slice(start: number, end: number): WriteRows;

  /** The rows of a write call's `data`: one record, records, or a record table. */
  static of(data: DbRecord | WriteData): WriteRows {
    if (Array.isArray(data)) return new RecordRows(data);
    if (isRecordTable(data)) return new TableRows(data.columns, data.rows);
    return new RecordRows([data]);
  }
}

class RecordRows extends WriteRows {
  constructor(private readonly records: readonly DbRecord[]) {
    super();
  }

  get length(): number {
    return this.records.length;
  }

  row(i: number): Row {
    const record = this.records[i]!;
    const columns = Object.keys(record);
    return { columns, values: columns.map((c) => record[c]) };
  }

  slice(start: number, end: number): WriteRows {
    return new RecordRows(this.records.slice(start, end));
  }
}

class TableRows extends WriteRows {
  constructor(
    private readonly columns: RecordTable['columns'],
    private readonly rows: RecordTable['rows'],
  ) {
    super();
  }

  get length(): number {
    return this.rows.length;
  }

  row(i: number): Row {
    return { columns: this.columns, values: this.rows[i]! };
  }

  slice(start: number, end: number): WriteRows {
    return new TableRows(this.columns, this.rows.slice(start, end));
  }
}
