import { describe, expect, it } from 'vitest';
import { methods } from './catalogue';
import { fromRecordTable, isRecordTable, recordDataIssues, toRecordTable } from './record-table';
import { summarizeIssues } from './zod-issues';

const batch = { single: false, minRows: 0 };
const insert = { single: true, minRows: 1 };

/** The -32602 paths the host would answer for these db.batchInsert params. */
function pathsOf(method: 'db.batchInsert' | 'db.insert', params: unknown): string[] {
  const parsed = methods[method].params.safeParse(params);
  return parsed.success ? [] : summarizeIssues(parsed.error).map((i) => i.path);
}

describe('record tables: the shape check', () => {
  it('accepts records and tables, keeping db.insert\'s single record', () => {
    expect(recordDataIssues([{ a: 1 }, { b: [1, { c: 2 }] }, {}], batch)).toEqual([]);
    expect(recordDataIssues([], batch)).toEqual([]);
    expect(recordDataIssues({ columns: ['a', 'b'], rows: [[1, 'x'], [null, { j: 1 }]] }, batch)).toEqual([]);
    expect(recordDataIssues({ columns: ['a'], rows: [] }, batch)).toEqual([]);
    expect(recordDataIssues({ url: 'u', n: 1 }, insert)).toEqual([]);
    expect(recordDataIssues({ columns: ['a'], rows: [[1]] }, insert)).toEqual([]);
  });

  it('refuses ragged rows, a missing or bad column list, duplicate columns and extra keys, with paths', () => {
    expect(pathsOf('db.batchInsert', { table: 't', data: { columns: ['a', 'b'], rows: [[1, 2], [3], [4, 5, 6]] } })).toEqual(['params.data.rows[1]', 'params.data.rows[2]']);
    expect(recordDataIssues({ columns: ['a', 'b'], rows: [[1, 2], [3]] }, batch)[0]!.message).toBe('Row has 1 values for 2 columns');
    expect(pathsOf('db.batchInsert', { table: 't', data: { rows: [[1]] } })).toEqual(['params.data.columns']);
    expect(pathsOf('db.batchInsert', { table: 't', data: { columns: 'a', rows: [[1]] } })).toEqual(['params.data.columns']);
    expect(pathsOf('db.batchInsert', { table: 't', data: { columns: [], rows: [] } })).toEqual(['params.data.columns']);
    expect(pathsOf('db.batchInsert', { table: 't', data: { columns: ['a', 'a'], rows: [[1, 2]] } })).toEqual(['params.data.columns[1]']);
    expect(pathsOf('db.batchInsert', { table: 't', data: { columns: ['a', 7, ''], rows: [] } })).toEqual(['params.data.columns[1]', 'params.data.columns[2]']);
    expect(pathsOf('db.batchInsert', { table: 't', data: { columns: ['a'], rows: [[1]], extra: 1 } })).toEqual(['params.data.extra']);
    expect(pathsOf('db.batchInsert', { table: 't', data: { columns: ['a'], rows: [[1], { a: 2 }] } })).toEqual(['params.data.rows[1]']);
    expect(pathsOf('db.batchInsert', { table: 't', data: { columns: ['a'], rows: 'no' } })).toEqual(['params.data.rows']);
  });

  it('refuses records that are not objects, a missing data, and empty db.insert data', () => {
    expect(pathsOf('db.batchInsert', { table: 't', data: [{ a: 1 }, [1], null, 'x'] })).toEqual(['params.data[1]', 'params.data[2]', 'params.data[3]']);
    expect(recordDataIssues([{ a: 1 }, [1]], batch)[0]!.message).toBe('Invalid input: expected record, received array');
    expect(pathsOf('db.batchInsert', { table: 't' })).toEqual(['params.data']);
    expect(pathsOf('db.batchInsert', { table: 't', data: 'x' })).toEqual(['params.data']);
    expect(pathsOf('db.insert', { table: 't', data: [] })).toEqual(['params.data']);
    expect(pathsOf('db.insert', { table: 't', data: { columns: ['a'], rows: [] } })).toEqual(['params.data.rows']);
    expect(pathsOf('db.insert', { table: 't', data: 3 })).toEqual(['params.data']);
  });

  it('reports at most ten issues however many rows are bad', () => {
    const rows = Array.from({ length: 1000 }, () => [1]);
    expect(recordDataIssues({ columns: ['a', 'b'], rows }, batch)).toHaveLength(10);
    expect(recordDataIssues(Array.from({ length: 1000 }, () => 1), batch)).toHaveLength(10);
  });

  it('tells a table from a record by its keys alone', () => {
    expect(isRecordTable({ columns: [], rows: [] })).toBe(true);
    expect(isRecordTable({ rows: 1, columns: 2 })).toBe(true);
    expect(isRecordTable({ columns: [], rows: [], other: 1 })).toBe(false);
    expect(isRecordTable([])).toBe(false);
    expect(isRecordTable(null)).toBe(false);
  });
});

describe('record tables: encoding records', () => {
  it('encodes records with the same fields in the first record\'s column order, and decodes them back', () => {
    const records = [{ id: 1, name: 'a', tags: ['x'] }, { name: 'b', id: 2, tags: null }, { tags: { k: 1 }, id: 3, name: 'c' }];
    const table = toRecordTable(records)!;
    expect(table).toEqual({ columns: ['id', 'name', 'tags'], rows: [[1, 'a', ['x']], [2, 'b', null], [3, 'c', { k: 1 }]] });
    expect(fromRecordTable(table)).toEqual([{ id: 1, name: 'a', tags: ['x'] }, { id: 2, name: 'b', tags: null }, { id: 3, name: 'c', tags: { k: 1 } }]);
    expect(recordDataIssues(table, batch)).toEqual([]);
  });

  it('leaves records alone when a table would not mean the same', () => {
    expect(toRecordTable([{ a: 1 }])).toBeUndefined();
    expect(toRecordTable([])).toBeUndefined();
    // A missing field lets the column default apply; a null in a table would not.
    expect(toRecordTable([{ a: 1, b: 2 }, { a: 1 }])).toBeUndefined();
    expect(toRecordTable([{ a: 1 }, { a: 1, b: 2 }])).toBeUndefined();
    expect(toRecordTable([{ a: 1 }, { b: 1 }])).toBeUndefined();
    expect(toRecordTable([{ a: 1 }, { a: undefined }])).toBeUndefined();
    expect(toRecordTable([{}, {}])).toBeUndefined();
    expect(toRecordTable([{ a: 1 }, [1]])).toBeUndefined();
    expect(toRecordTable([{ a: 1 }, null])).toBeUndefined();
  });
});
