import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ErrorCode, isRpcError } from '../../../src/protocol';
import { createTableSql, inferColumns, storedValue } from './create-table';
import { quoteColumn, quoteTable } from './identifiers';
import { bindParameters, scanPlaceholders } from './sql-params';

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return isRpcError(error) ? error.code : undefined;
  }
  return undefined;
}

describe('identifiers', () => {
  it('quotes valid names and refuses everything else', () => {
    expect(quoteColumn('extracted_at')).toBe('"extracted_at"');
    expect(quoteTable('main.bulk_data')).toBe('"main"."bulk_data"');
    for (const name of ['', '1a', 'a b', 'a"b', 'a;drop', 'x'.repeat(129), 'a.b']) {
      expect(codeOf(() => quoteColumn(name)), name).toBe(ErrorCode.DbInvalidIdentifier);
    }
    expect(codeOf(() => quoteTable('a.b.c'))).toBe(ErrorCode.DbInvalidIdentifier);
  });
});

describe('placeholders', () => {
  it('translates $n to ? in order of appearance, reusing values, and skips literals and comments', () => {
    const q = bindParameters(`SELECT '$1', "$2", [$3] -- $4\n /* $5 */ , $2, $1, $2`, ['a', 'b']);
    expect(q.sql).toBe(`SELECT '$1', "$2", [$3] -- $4\n /* $5 */ , ?, ?, ?`);
    expect(q.values).toEqual(['b', 'a', 'b']);
    expect(scanPlaceholders("SELECT 'it''s :x' , :y, x::text").named).toEqual(new Set(['y']));
  });

  it('binds named :name, @name and $name from an object, booleans as 1/0', () => {
    expect(bindParameters('SELECT :a, @b, $c', { a: 1, b: true, c: null }).values).toEqual({ a: 1, b: 1, c: null });
  });

  it('refuses count, name, style and type mismatches before running', () => {
    const cases: [string, unknown][] = [
      ['SELECT $1, $2', [1]],
      ['SELECT $1', [1, 2]],
      ['SELECT $2', [1, 2]],
      ['SELECT ?', []],
      ['SELECT :a', { b: 1 }],
      ['SELECT :a', { a: 1, b: 2 }],
      ['SELECT :a', [1]],
      ['SELECT $1, :a', [1]],
      ['SELECT ?1', [1]],
      ['SELECT $1', [Number.NaN]],
      ['SELECT $1', [{}]],
    ];
    for (const [sql, params] of cases) expect(codeOf(() => bindParameters(sql, params as never)), sql).toBe(ErrorCode.DbBadParameter);
    expect(bindParameters('SELECT 1', undefined).values).toEqual([]);
    expect(bindParameters('SELECT 1', {}).values).toEqual([]);
  });

});

describe('create table from records', () => {
  it('infers sensible types and stores JSON objects as text', () => {
    const columns = inferColumns([
      { id: 1, price: 2.5, name: 'a', ok: true, meta: { a: 1 }, mixed: 1, empty: null },
      { id: 2, price: 3, name: 'b', ok: false, meta: [1], mixed: 'x', extra: 'late' },
    ]);
    expect(columns).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'price', type: 'REAL' },
      { name: 'name', type: 'TEXT' },
      { name: 'ok', type: 'INTEGER' },
      { name: 'meta', type: 'TEXT' },
      { name: 'mixed', type: '' },
      { name: 'empty', type: 'TEXT' },
      { name: 'extra', type: 'TEXT' },
    ]);
    const sql = createTableSql('t', columns, ['id']);
    expect(sql).toBe('CREATE TABLE IF NOT EXISTS "t" ("id" INTEGER, "price" REAL, "name" TEXT, "ok" INTEGER, "meta" TEXT, "mixed", "empty" TEXT, "extra" TEXT, UNIQUE ("id"))');
    const db = new Database(':memory:');
    db.exec(sql);
    db.prepare('INSERT INTO t (meta, mixed) VALUES (?, ?)').run(storedValue({ a: 1 }, 'meta'), storedValue('007', 'mixed'));
    expect(db.prepare('SELECT meta, mixed FROM t').get()).toEqual({ meta: '{"a":1}', mixed: '007' });
    db.close();
    expect(codeOf(() => createTableSql('t', columns, ['nope']))).toBe(ErrorCode.DbBadParameter);
    expect(codeOf(() => createTableSql('t', []))).toBe(ErrorCode.DbBadParameter);
  });
});
