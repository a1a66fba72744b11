import { describe, expect, it } from 'vitest';
import { SandboxErrorCode } from '../../../src/protocol';
import { applyTransformations, parseCsv, stringifyCsv, toIsoDate } from './csv';

describe('parseCsv with hostile inputs', () => {
  it('keeps quoted newlines, doubled quotes and delimiters inside quotes', () => {
    const text = 'name,note\n"Ada","line one\nline two"\n"Bob","he said ""hi"", then left"\n';
    const r = parseCsv(text, {});
    expect(r.columns).toEqual(['name', 'note']);
    expect(r.records).toEqual([
      { name: 'Ada', note: 'line one\nline two' },
      { name: 'Bob', note: 'he said "hi", then left' },
    ]);
    expect(r.issues).toEqual([]);
  });

  it('strips a BOM so the first column is named cleanly, and reads semicolons and CRLF', () => {
    const r = parseCsv('\uFEFFid;city\r\n1;Paris\r\n2;"Gen;eva"\r\n', { delimiter: ';' });
    expect(r.columns).toEqual(['id', 'city']);
    expect(r.records).toEqual([{ id: '1', city: 'Paris' }, { id: '2', city: 'Gen;eva' }]);
  });

  it('skips empty lines by default and keeps them as records only when asked', () => {
    expect(parseCsv('a\n1\n\n\n2\n', {}).records).toEqual([{ a: '1' }, { a: '2' }]);
    const kept = parseCsv('a,b\n1,2\n\n3,4\n', { skipEmptyLines: false });
    expect(kept.records).toEqual([{ a: '1', b: '2' }, { a: '3', b: '4' }]);
    expect(kept.issues).toMatchObject([{ kind: 'ragged', line: 3 }]);
  });

  it('reports ragged rows: skipped by default, kept with relaxColumnCount, never a crash', () => {
    const text = 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n';
    const strict = parseCsv(text, {});
    expect(strict.records).toEqual([{ a: '1', b: '2', c: '3' }, { a: '10', b: '11', c: '12' }]);
    expect(strict.skipped).toBe(2);
    expect(strict.issues.map((i) => [i.kind, i.line])).toEqual([['ragged', 3], ['ragged', 4]]);
    const relaxed = parseCsv(text, { relaxColumnCount: true });
    expect(relaxed.records[1]).toEqual({ a: '4', b: '5', c: null });
    expect(relaxed.records[2]).toEqual({ a: '6', b: '7', c: '8' });
    expect(relaxed.skipped).toBe(0);
    expect(relaxed.issues.map((i) => i.record)).toEqual([1, 2]);
  });

  it('headers false gives arrays, a list names the columns and reads every line as data', () => {
    expect(parseCsv('1,2\n3,4\n', { headers: false }).records).toEqual([['1', '2'], ['3', '4']]);
    const named = parseCsv('1,2\n3,4\n', { headers: ['x', 'y'] });
    expect(named.columns).toEqual(['x', 'y']);
    expect(named.records).toEqual([{ x: '1', y: '2' }, { x: '3', y: '4' }]);
  });

  it('names empty and repeated headers so no field is lost, and never lets a header become __proto__ magic', () => {
    const r = parseCsv(',a,a,__proto__\n1,2,3,4\n', {});
    expect(r.columns).toEqual(['column_1', 'a', 'a_2', '__proto__']);
    expect(Object.getPrototypeOf(r.records[0])).toBe(Object.prototype);
    expect(Object.keys(r.records[0]!)).toContain('__proto__');
  });

  it('quote false reads quotes as text; an unclosed quote is FileParseFailed with a line', () => {
    expect(parseCsv('a\n"x"\n', { quote: false }).records).toEqual([{ a: '"x"' }]);
    try {
      parseCsv('a,b\n1,"open\n', {}, 'bad.csv');
      expect.unreachable();
    } catch (error) {
      expect((error as { code: number }).code).toBe(SandboxErrorCode.FileParseFailed);
      expect((error as { data: { path: string } }).data.path).toBe('bad.csv');
    }
  });

  it('stops at maxRecords and trims when asked', () => {
    expect(parseCsv('a\n 1 \n2\n3\n', { maxRecords: 2, trim: true }).records).toEqual([{ a: '1' }, { a: '2' }]);
  });
});

describe('transformations', () => {
  it('parses dates to ISO 8601, numbers, trims and changes case; failures become null and are reported', () => {
    const r = parseCsv('date,amount,name\n2024-03-05,"1 234.5", Ada \n03/04/2024,x,BOB\n2024-03-05 14:30,7,c\nnope,,d\n', {});
    applyTransformations(r, [
      { column: 'date', operation: 'parseDate' },
      { column: 'amount', operation: 'number' },
      { column: 'name', operation: 'trim' },
      { column: 'name', operation: 'lowercase' },
      { column: 'missing', operation: 'uppercase' },
    ]);
    expect(r.records).toEqual([
      { date: '2024-03-05', amount: 1234.5, name: 'ada' },
      { date: '2024-03-04', amount: null, name: 'bob' },
      { date: '2024-03-05T14:30:00.000Z', amount: 7, name: 'c' },
      { date: null, amount: null, name: 'd' },
    ]);
    expect(r.issues.map((i) => [i.record, i.column])).toEqual([
      [3, 'date'],
      [1, 'amount'],
      [undefined, 'missing'],
    ]);
  });

  it('toIsoDate: zones, day-first, dotted dates, epoch values, impossible dates', () => {
    expect(toIsoDate('2024-01-15T10:00:00+02:00')).toBe('2024-01-15T08:00:00.000Z');
    expect(toIsoDate('2024/1/5')).toBe('2024-01-05');
    expect(toIsoDate('01/02/2024', true)).toBe('2024-02-01');
    expect(toIsoDate('31.12.2023')).toBe('2023-12-31');
    expect(toIsoDate('1700000000')).toBe('2023-11-14T22:13:20.000Z');
    expect(toIsoDate('2024-02-30')).toBeUndefined();
    expect(toIsoDate('2024-01-01 25:00')).toBeUndefined();
    expect(toIsoDate('tomorrow')).toBeUndefined();
  });

  it('transforms array records by index when there are no headers', () => {
    const r = parseCsv('x,2024-01-01\n', { headers: false });
    applyTransformations(r, [{ column: 1, operation: 'parseDate' }, { column: 0, operation: 'uppercase' }]);
    expect(r.records).toEqual([['X', '2024-01-01']]);
  });
});

describe('stringifyCsv', () => {
  it('round-trips hostile values through parseCsv', () => {
    const records = [
      { id: '1', text: 'a,b', quote: 'say "hi"', multi: 'one\ntwo' },
      { id: '2', text: ';', quote: '', multi: ' lead' },
    ];
    const text = stringifyCsv(records);
    expect(parseCsv(text, {}).records).toEqual(records);
    const semi = stringifyCsv(records, { delimiter: ';' });
    expect(parseCsv(semi, { delimiter: ';' }).records).toEqual(records);
  });

  it('unions keys, orders by a header list, omits the header when appending, and writes nested values as JSON', () => {
    expect(stringifyCsv([{ a: 1 }, { b: 2 }])).toBe('a,b\n1,\n,2\n');
    expect(stringifyCsv([{ a: 1, b: 2 }], { headers: ['b', 'a'] })).toBe('b,a\n2,1\n');
    expect(stringifyCsv([{ a: 1 }], { includeHeader: false })).toBe('1\n');
    expect(stringifyCsv([{ a: { x: [1] }, b: null }])).toBe('a,b\n"{""x"":[1]}",\n');
    expect(stringifyCsv([[1, 2]])).toBe('1,2\n');
  });
});
