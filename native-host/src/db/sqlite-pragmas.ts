/**
 * PRAGMA statements, decided before anything is prepared: SQLite applies most PRAGMAs while it
 * compiles them (checked on better-sqlite3 12.9.0: merely preparing `PRAGMA trusted_schema = OFF`,
 * `query_only = ON`, `foreign_keys = OFF`, `temp_store_directory = '...'`, `mmap_size = ...`,
 * `locking_mode = EXCLUSIVE` or `synchronous = OFF` changes the connection, also as `EXPLAIN PRAGMA
 * ...`, after a leading `;`, and before better-sqlite3 notices a second statement). So a PRAGMA never
 * reaches `db.prepare` unless it is one of the few below.
 *
 * db.select runs no PRAGMA statement (read with `SELECT * FROM pragma_table_info('t')` instead);
 * db.execute runs only `PRAGMA [main.]user_version` / `application_id = <integer>` (numbers in the
 * file's header that nothing else reads), with allowSchemaChanges. Every other PRAGMA is refused
 * whatever the flags: the connection's settings (journal, locking, temp files, memory mapping,
 * foreign keys, trusted schema, query-only, ...) are Ferry's, set when the file is opened.
 */
import type { RpcError } from '../../../src/protocol';
import { refuse } from './sqlite-refusals';
import { asciiUpper, isWord, nameOf, type SqliteToken } from './sqlite-tokens';

const HEADER_VALUES = new Set(['USER_VERSION', 'APPLICATION_ID']);

/** Pragmas that protect the connection or point it at files, named in their refusal. */
const CONNECTION_SAFETY = new Set([
  'WRITABLE_SCHEMA', 'TRUSTED_SCHEMA', 'JOURNAL_MODE', 'LOCKING_MODE', 'TEMP_STORE_DIRECTORY', 'DATA_STORE_DIRECTORY',
  'LOCK_PROXY_FILE', 'MMAP_SIZE', 'QUERY_ONLY', 'FOREIGN_KEYS', 'SYNCHRONOUS', 'TEMP_STORE', 'CELL_SIZE_CHECK',
  'IGNORE_CHECK_CONSTRAINTS', 'DEFER_FOREIGN_KEYS', 'RECURSIVE_TRIGGERS', 'LEGACY_ALTER_TABLE', 'BUSY_TIMEOUT',
  'JOURNAL_SIZE_LIMIT', 'WAL_AUTOCHECKPOINT', 'CACHE_SIZE', 'CACHE_SPILL', 'SECURE_DELETE', 'AUTO_VACUUM',
  'PAGE_SIZE', 'MAX_PAGE_COUNT', 'ENCODING', 'HARD_HEAP_LIMIT', 'SOFT_HEAP_LIMIT', 'THREADS', 'FULLFSYNC', 'CHECKPOINT_FULLFSYNC',
]);

/**
 * `tokens` start at the PRAGMA keyword. Returns the refusal, or undefined when db.execute may run
 * the statement (then only with allowSchemaChanges, which the caller checks).
 */
export function checkPragma(tokens: readonly SqliteToken[], method: 'db.select' | 'db.execute', allowSchemaChanges: boolean): RpcError | undefined {
  const parsed = parsePragma(tokens.slice(1));
  const name = parsed?.name ?? asciiUpper(nameOf(tokens[tokens[2]?.text === '.' ? 3 : 1]) ?? '');
  const label = `PRAGMA ${name.toLowerCase()}`.trim();
  if (method === 'db.select') {
    return refuse('PRAGMA', `${label} is not run by db.select: SQLite applies a PRAGMA while preparing it. Read what it reports through its table-valued function, e.g. SELECT * FROM pragma_table_info('items'), pragma_index_list('items') or pragma_${name ? name.toLowerCase() : 'user_version'}.`, { pragma: name });
  }
  if (CONNECTION_SAFETY.has(name)) {
    return refuse('PRAGMA', `${label} changes how the connection stores or protects the database; Ferry sets that when it opens the file and never lets a pipeline change it. Leave the PRAGMA out.`, { pragma: name });
  }
  if (!parsed || !HEADER_VALUES.has(parsed.name) || parsed.value === undefined || (parsed.schema !== undefined && parsed.schema !== 'MAIN')) {
    return refuse('PRAGMA', `${label || 'This PRAGMA'} is not run by db.execute; the only PRAGMAs it runs (with allowSchemaChanges: true) set user_version or application_id to an integer. Read other settings with SELECT * FROM pragma_<name> through db.select.`, { pragma: name });
  }
  if (!allowSchemaChanges) {
    return refuse('PRAGMA', `${label} changes the database file's header; set allowSchemaChanges: true on db.execute if that is intended.`, { pragma: name });
  }
  return undefined;
}

interface ParsedPragma {
  schema?: string;
  name: string;
  value?: string;
}

/** `[schema .] name [= integer | ( integer )] [;]` and nothing else; undefined for any other shape. */
function parsePragma(tokens: readonly SqliteToken[]): ParsedPragma | undefined {
  let i = 0;
  let schema: string | undefined;
  let name = nameOf(tokens[i]);
  if (name === undefined) return undefined;
  i += 1;
  if (tokens[i]?.text === '.') {
    schema = asciiUpper(name);
    name = nameOf(tokens[i + 1]);
    if (name === undefined) return undefined;
    i += 2;
  }
  const pragma: ParsedPragma = { name: asciiUpper(name), ...(schema === undefined ? {} : { schema }) };
  const open = tokens[i]?.text;
  if (open === '=' || open === '(') {
    i += 1;
    let sign = '';
    if (tokens[i]?.text === '-' || tokens[i]?.text === '+') sign = tokens[i++]!.text;
    const number = tokens[i];
    if (number?.kind !== 'number' || !/^[0-9]+$/.test(number.text)) return undefined;
    pragma.value = sign + number.text;
    i += 1;
    if (open === '(') {
      if (tokens[i]?.text !== ')') return undefined;
      i += 1;
    }
  }
  while (tokens[i]?.text === ';') i += 1;
  return i === tokens.length ? pragma : undefined;
}

export function isPragma(token: SqliteToken | undefined): boolean {
  return isWord(token, 'PRAGMA');
}
