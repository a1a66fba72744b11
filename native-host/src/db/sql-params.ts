/**
 * Placeholders of a query, found by a scanner that skips string literals, quoted identifiers and
 * comments (and, for PostgreSQL, dollar-quoted strings). `$1..$n` (the seed's style, PostgreSQL's)
 * become SQLite's `?` with the values reordered; `:name`, `@name` and `$name` are named parameters
 * (PostgreSQL gets them, and plain `?`, as `$1..$n`). Counts, names and mixing are checked before the
 * statement runs, so a mistake answers DbBadParameter saying which placeholder is wrong.
 */
import { dbError } from './db-error';

export type BoundValue = string | number | boolean | null;
export type Parameters = BoundValue[] | Record<string, BoundValue>;

export type Dialect = 'sqlite' | 'postgres';

export interface PreparedQuery {
  /** The SQL to give the engine. */
  sql: string;
  /** SQLite: values in `?` order (positional), or keyed by name without prefix (named). PostgreSQL: values for `$1..$n`. */
  values: unknown[] | Record<string, unknown>;
}

interface Scan {
  sql: string;
  /** `$n` indexes (1-based) in order of appearance, after translation to `?`. */
  numbered: number[];
  /** Plain `?` placeholders. */
  anonymous: number;
  named: Set<string>;
}

/**
 * Scans `sql`. For SQLite the output has `?` for `$n` and keeps named placeholders; for PostgreSQL
 * it keeps `$n` and turns each distinct name, and each `?`, into `$k` (names numbered in order of
 * first appearance, `?` one by one).
 */
export function scanPlaceholders(sql: string, dialect: Dialect = 'sqlite'): Scan {
  let out = '';
  const numbered: number[] = [];
  let anonymous = 0;
  const named = new Set<string>();
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const skipTo = (end: number): void => {
      out += sql.slice(i, end);
      i = end;
    };
    const dollarTag = dialect === 'postgres' && c === '$' ? /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i)) : null;
    if (dollarTag) {
      const end = sql.indexOf(dollarTag[0], i + dollarTag[0].length);
      skipTo(end < 0 ? sql.length : end + dollarTag[0].length);
    } else if (c === "'" || c === '"' || c === '`') skipTo(closing(sql, i, c));
    else if (c === '[') skipTo(indexOrEnd(sql, ']', i + 1) + 1);
    else if (c === '-' && sql[i + 1] === '-') skipTo(indexOrEnd(sql, '\n', i));
    else if (c === '/' && sql[i + 1] === '*') skipTo(indexOrEnd(sql, '*/', i + 2) + 2);
    else if (c === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      const m = /^\$([0-9]+)/.exec(sql.slice(i))!;
      numbered.push(Number(m[1]));
      out += dialect === 'postgres' ? m[0] : '?';
      i += m[0].length;
    } else if ((c === ':' || c === '@' || c === '$') && /[A-Za-z_]/.test(sql[i + 1] ?? '') && !(c === ':' && sql[i - 1] === ':')) {
      const m = /^[:@$]([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i))!;
      named.add(m[1]!);
      if (dialect === 'postgres') {
        out += `$${[...named].indexOf(m[1]!) + 1}`;
        i += m[0].length;
      } else skipTo(i + m[0].length);
    } else if (c === '?') {
      if (/[0-9]/.test(sql[i + 1] ?? '')) throw dbError('DbBadParameter', 'Use $1, $2, ... for numbered parameters, not ?1, ?2', { placeholder: '?NNN' });
      anonymous += 1;
      if (dialect === 'postgres') {
        out += `$${anonymous}`;
        i += 1;
      } else skipTo(i + 1);
    } else skipTo(i + 1);
  }
  return { sql: out, numbered, anonymous, named };
}

/** Matches the parameters to the query's placeholders, or throws DbBadParameter saying what to fix. */
export function bindParameters(sql: string, parameters: Parameters | undefined, dialect: Dialect = 'sqlite'): PreparedQuery {
  const scan = scanPlaceholders(sql, dialect);
  const pg = dialect === 'postgres';
  const kinds = [scan.numbered.length > 0 && '$1-style', scan.anonymous > 0 && '?', scan.named.size > 0 && 'named'].filter(Boolean);
  if (kinds.length > 1) throw bad(`The query mixes ${kinds.join(' and ')} placeholders; use one style`);
  const given = parameters ?? [];

  if (scan.named.size > 0) {
    if (Array.isArray(given)) throw bad(`The query uses named parameters (${[...scan.named].join(', ')}); pass parameters as an object`);
    const missing = [...scan.named].filter((n) => !Object.prototype.hasOwnProperty.call(given, n));
    if (missing.length) throw bad(`Missing parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, { missing });
    const extra = Object.keys(given).filter((n) => !scan.named.has(n));
    if (extra.length) throw bad(`Parameter${extra.length > 1 ? 's' : ''} ${extra.join(', ')} not used by the query`, { extra });
    if (pg) return { sql: scan.sql, values: [...scan.named].map((name) => toPostgres(given[name]!, name)) };
    const values: Record<string, unknown> = {};
    for (const name of scan.named) values[name] = toSqlite(given[name]!, name);
    return { sql: scan.sql, values };
  }

  if (!Array.isArray(given)) {
    if (Object.keys(given).length === 0) return bindParameters(sql, [], dialect);
    throw bad('The query uses positional placeholders; pass parameters as an array');
  }
  const expected = scan.anonymous > 0 ? scan.anonymous : Math.max(0, ...scan.numbered);
  if (given.length !== expected) {
    throw bad(`The query has ${expected} parameter${expected === 1 ? '' : 's'} but ${given.length} ${given.length === 1 ? 'was' : 'were'} given`, { expected, given: given.length });
  }
  if (scan.numbered.length > 0) {
    if (scan.numbered.includes(0)) throw bad('Parameters are numbered from $1; $0 does not exist');
    const unused = given.map((_, i) => i + 1).filter((n) => !scan.numbered.includes(n));
    if (unused.length) throw bad(`Parameter ${unused.map((n) => `$${n}`).join(', ')} is never used by the query`, { unused });
    if (pg) return { sql: scan.sql, values: given.map((v, i) => toPostgres(v, `$${i + 1}`)) };
    return { sql: scan.sql, values: scan.numbered.map((n) => toSqlite(given[n - 1]!, `$${n}`)) };
  }
  return { sql: scan.sql, values: given.map((v, i) => (pg ? toPostgres : toSqlite)(v, `?${i + 1}`)) };
}

/** A bound value for PostgreSQL: JSON scalars as they are (pg sends them as text the server casts). */
export function toPostgres(value: BoundValue, name: string): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw bad(`Parameter ${name} is ${value}, which cannot be bound`);
  if (value !== null && typeof value === 'object') throw bad(`Parameter ${name} is an object; bind a string (JSON text, cast with ::jsonb) instead`);
  return value;
}

/** A bound value SQLite can store: booleans become 1/0; objects never get here (the schema refuses them). */
export function toSqlite(value: BoundValue, name: string): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && !Number.isFinite(value)) throw bad(`Parameter ${name} is ${value}, which SQLite cannot store`);
  if (value !== null && typeof value === 'object') throw bad(`Parameter ${name} is an object; bind a string (JSON text) instead`);
  return value;
}

function bad(message: string, data?: Record<string, unknown>) {
  return dbError('DbBadParameter', message, data);
}

/** Index after the quote closing the literal opened at `start` (a doubled quote is an escape). */
export function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const at = sql.indexOf(quote, i);
    if (at < 0) return sql.length;
    if (sql[at + 1] === quote) i = at + 2;
    else return at + 1;
  }
}

function indexOrEnd(sql: string, needle: string, from: number): number {
  const at = sql.indexOf(needle, from);
  return at < 0 ? sql.length : at;
}
