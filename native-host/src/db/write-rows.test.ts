import { describe, expect, it } from 'vitest';
import { inferColumns } from './create-table';
import { inferPgColumns } from './postgres/writer';
import { WriteRows } from './write-rows';

describe('WriteRows', () => {
  it('reads records, one record and a record table alike, as columns + values', () => {
    const records = WriteRows.of([{ a: 1, b: 'x' }, { b: 'y' }]);
    expect(records.length).toBe(2);
    expect(records.row(1)).toEqual({ columns: ['b'], values: ['y'] });
    expect(WriteRows.of({ a: 1 }).row(0)).toEqual({ columns: ['a'], values: [1] });
    const table = WriteRows.of({ columns: ['a', 'b'], rows: [[1, 'x'], [2, null], [3, 'z']] });
    expect(table.row(1)).toEqual({ columns: ['a', 'b'], values: [2, null] });
    // A table's rows share one columns array: writers reuse their statement by identity.
    expect(table.row(0).columns).toBe(table.row(2).columns);
    const slice = table.slice(1, 3);
    expect(slice.length).toBe(2);
    expect(slice.row(1).values).toEqual([3, 'z']);
  });

  it('gives a created table the same columns from a record table as from the records', () => {
    const records = [{ id: 1, at: '2025-01-02T00:00:00Z', tags: ['x'], live: true, score: null }, { id: 2, at: '2025-01-03T00:00:00Z', tags: { k: 1 }, live: false, score: 1.5 }];
    const table = { columns: ['id', 'at', 'tags', 'live', 'score'], rows: records.map((r) => Object.values(r)) };
    expect(inferColumns(WriteRows.of(table))).toEqual(inferColumns(records));
    expect(inferPgColumns(WriteRows.of(table))).toEqual(inferPgColumns(records));
    expect(inferPgColumns(WriteRows.of(table)).map((c) => c.type)).toEqual(['bigint', 'timestamptz', 'jsonb', 'boolean', 'double precision']);
  });
});
