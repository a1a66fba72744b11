import { describe, expect, it } from 'vitest';
import { ErrorCode, isRpcError } from '../../../../src/protocol';
import { bindParameters } from '../sql-params';
import { translatePgError } from './errors';
import { createPgTableSql, inferPgColumns } from './writer';

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return isRpcError(error) ? error.code : undefined;
  }
  return undefined;
}

describe('PostgreSQL placeholders', () => {
  it('keeps $n, numbers names and ? as $k, and skips literals, comments and dollar quotes', () => {
    expect(bindParameters('SELECT * FROM t WHERE a = $2 AND b = $1 OR c = $2', ['x', 'y'], 'postgres')).toEqual({ sql: 'SELECT * FROM t WHERE a = $2 AND b = $1 OR c = $2', values: ['x', 'y'] });
    expect(bindParameters('SELECT :a, @b, $a, x::text FROM t', { a: 1, b: true }, 'postgres')).toEqual({ sql: 'SELECT $1, $2, $1, x::text FROM t', values: [1, true] });
    expect(bindParameters('SELECT ? , ?', [1, null], 'postgres')).toEqual({ sql: 'SELECT $1 , $2', values: [1, null] });
    const quoted = "SELECT ':x', \"$1\", $$ :y $2 $$, $fn$ @z $fn$ -- :w\n FROM t WHERE a = :v";
    expect(bindParameters(quoted, { v: 'ok' }, 'postgres')).toEqual({ sql: quoted.replace(':v', '$1'), values: ['ok'] });
    expect(bindParameters('SELECT jsonb @> $1::jsonb', ['{}'], 'postgres').sql).toBe('SELECT jsonb @> $1::jsonb');
    expect(codeOf(() => bindParameters('SELECT $1, :a', [1], 'postgres'))).toBe(ErrorCode.DbBadParameter);
    expect(codeOf(() => bindParameters('SELECT $1', [Number.NaN], 'postgres'))).toBe(ErrorCode.DbBadParameter);
    // The SQLite translation is unchanged.
    expect(bindParameters('SELECT $2, $1', ['a', 'b'])).toEqual({ sql: 'SELECT ?, ?', values: ['b', 'a'] });
  });
});

describe('PostgreSQL table inference', () => {
  it('types columns from the records: bigint, double precision, boolean, timestamptz, jsonb, text for mixes', () => {
    const records = [
      { id: 1, price: 1, ok: true, at: '2025-01-02T03:04:05Z', meta: { a: 1 }, day: '2025-01-02', mixed: 1, empty: null },
      { id: 2, price: 2.5, ok: false, at: '2025-01-02T03:04:05.123+02:00', meta: [1], day: '2025-01-03', mixed: 'x' },
    ];
    expect(inferPgColumns(records).map((c) => `${c.name} ${c.type}`)).toEqual([
      'id bigint', 'price double precision', 'ok boolean', 'at timestamptz', 'meta jsonb', 'day text', 'mixed text', 'empty text',
    ]);
    expect(createPgTableSql('s.t', [{ id: 1, v: 'x' }], ['id'])).toBe('CREATE TABLE IF NOT EXISTS "s"."t" ("id" bigint, "v" text, UNIQUE ("id"))');
    expect(codeOf(() => createPgTableSql('t', [{ a: 1 }], ['b']))).toBe(ErrorCode.DbBadParameter);
    expect(codeOf(() => createPgTableSql('t; DROP', [{ a: 1 }]))).toBe(ErrorCode.DbInvalidIdentifier);
  });
});

describe('PostgreSQL errors', () => {
  const server = { host: 'db.local', port: 5433, database: 'app', user: 'ferry' };
  const pgError = (code: string, message: string, extra: object = {}) => Object.assign(new Error(message), { code, ...extra });

  it('maps SQLSTATEs and network errors to the db.* codes, with the SQLSTATE in data', () => {
    const cases: [Error & { code: string }, number][] = [
      [pgError('23505', 'duplicate key value violates unique constraint "t_pkey"'), ErrorCode.DbUniqueViolation],
      [pgError('23502', 'null value in column "name"'), ErrorCode.DbConstraintViolation],
      [pgError('23514', 'violates check constraint'), ErrorCode.DbConstraintViolation],
      [pgError('23503', 'violates foreign key constraint'), ErrorCode.DbConstraintViolation],
      [pgError('42P01', 'relation "s.nope" does not exist'), ErrorCode.DbTableNotFound],
      [pgError('42703', 'column "x" of relation "t" does not exist'), ErrorCode.DbColumnNotFound],
      [pgError('22P02', 'invalid input syntax for type bigint: "a"'), ErrorCode.DbBadParameter],
      [pgError('08P01', 'bind message supplies 1 parameters, but prepared statement "" requires 2'), ErrorCode.DbBadParameter],
      [pgError('42P18', 'could not determine data type of parameter $1'), ErrorCode.DbBadParameter],
      [pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5433'), ErrorCode.DbConnectionUnavailable],
      [pgError('28P01', 'password authentication failed for user "ferry"'), ErrorCode.DbConnectionUnavailable],
      [pgError('3D000', 'database "app" does not exist'), ErrorCode.DbConnectionUnavailable],
      [pgError('57P01', 'terminating connection due to administrator command'), ErrorCode.DbConnectionUnavailable],
      [pgError('42601', 'syntax error at or near "SELEC"'), ErrorCode.DbQueryFailed],
    ];
    for (const [error, code] of cases) {
      const translated = translatePgError(error, { server });
      expect(isRpcError(translated) && translated.code, error.message).toBe(code);
      expect((translated as { data: { sqlstate: string } }).data.sqlstate).toBe(error.code);
    }
    const refused = translatePgError(pgError('ECONNREFUSED', 'connect ECONNREFUSED'), { server }) as Error;
    expect(refused.message).toContain('db.local:5433/app as ferry');
    expect((translatePgError(pgError('42P01', 'relation "s.nope" does not exist')) as { data: { table: string } }).data.table).toBe('s.nope');
  });
});
