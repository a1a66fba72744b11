/**
 * SQLite's own tokenizer rules (tokenize.c), as far as Ferry needs them before a statement is
 * prepared: whitespace is space, tab, LF, FF and CR; comments are `--` to the end of the line and
 * `/* ... *\/` (an unclosed one runs to the end); identifiers are letters, digits, `_`, `$` and every
 * character above U+007F, not starting with a digit or `$`; `"..."`, `` `...` `` and `[...]` quote
 * identifiers, `'...'` strings (a doubled quote escapes). Words compare ASCII-case-insensitively, as
 * SQLite's do. The first word of a statement is SQLite's own statement type: its parser dispatches
 * on it, so that is what this module reads, never words further in.
 */
import { closing } from './sql-params';

export type SqliteToken =
  | { kind: 'word'; text: string; upper: string }
  | { kind: 'quoted'; text: string; value: string }
  | { kind: 'string'; text: string; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'other'; text: string };

const SPACE = new Set([' ', '\t', '\n', '\f', '\r']);

function isIdStart(c: string): boolean {
  return /[A-Za-z_]/.test(c) || c.charCodeAt(0) > 0x7f;
}

function isIdChar(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) > 0x7f;
}

/** ASCII-only upper case: SQLite folds nothing else, so `İ` is not `I` to it either. */
export function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (s) => s.toUpperCase());
}

/** Every token of `sql` after whitespace and comments, in order. */
export function* sqliteTokens(sql: string): Generator<SqliteToken> {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (SPACE.has(c)) {
      i += 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = closing(sql, i, c);
      const text = sql.slice(i, end);
      const value = text.slice(1, text.endsWith(c) && text.length > 1 ? -1 : undefined).split(c + c).join(c);
      yield c === "'" ? { kind: 'string', text, value } : { kind: 'quoted', text, value };
      i = end;
    } else if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      const end = close < 0 ? sql.length : close + 1;
      yield { kind: 'quoted', text: sql.slice(i, end), value: sql.slice(i + 1, close < 0 ? sql.length : close) };
      i = end;
    } else if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const end = closing(sql, i + 1, "'");
      yield { kind: 'other', text: sql.slice(i, end) };
      i = end;
    } else if (isIdStart(c)) {
      let end = i + 1;
      while (end < sql.length && isIdChar(sql[end]!)) end += 1;
      const text = sql.slice(i, end);
      yield { kind: 'word', text, upper: asciiUpper(text) };
      i = end;
    } else if (/[0-9.]/.test(c) && /[0-9]/.test(c === '.' ? (sql[i + 1] ?? '') : c)) {
      const m = /^(0[xX][0-9A-Fa-f_]+|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)/.exec(sql.slice(i))!;
      yield { kind: 'number', text: m[0] };
      i += m[0].length;
    } else {
      yield { kind: 'other', text: c };
      i += 1;
    }
  }
}

/** The first `count` tokens of the statement, after leading whitespace, comments and empty statements (`;`). */
export function leadingTokens(sql: string, count: number): SqliteToken[] {
  const out: SqliteToken[] = [];
  for (const token of sqliteTokens(sql)) {
    if (out.length === 0 && token.kind === 'other' && token.text === ';') continue;
    out.push(token);
    if (out.length === count) break;
  }
  return out;
}

/** A token as a name, the way SQLite reads `nm` in its grammar: a word, a quoted identifier or a string. */
export function nameOf(token: SqliteToken | undefined): string | undefined {
  if (!token) return undefined;
  if (token.kind === 'word') return token.text;
  if (token.kind === 'quoted' || token.kind === 'string') return token.value;
  return undefined;
}

export function isWord(token: SqliteToken | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.upper);
}
