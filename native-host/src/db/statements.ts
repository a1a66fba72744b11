/**
 * What `db.select` and `db.execute` agree to run on a SQLite connection, decided by SQLite itself:
 * the statement's first word (SQLite's own statement type, what its parser dispatches on), then
 * better-sqlite3's `stmt.reader` / `stmt.readonly` of the prepared statement and SQLite's bytecode
 * for it (sqlite-bytecode.ts). SQLite's authorizer would be the natural hook, but better-sqlite3 12
 * does not expose sqlite3_set_authorizer.
 *
 * Never, whatever the flags: VACUUM INTO, ATTACH/DETACH, transaction control, EXPLAIN, TEMP objects
 * (`CREATE TEMP ...`, or anything whose program writes the `temp` schema: it would shadow a main
 * table of the same name for every later call on the connection), functions
 * that reach files or native code (sqlite-refusals.ts), PRAGMAs other than two header values
 * (sqlite-pragmas.ts). db.execute: row changes (INSERT, UPDATE, DELETE, REPLACE, upserts, with WITH)
 * always; CREATE TABLE IF NOT EXISTS of a plain table always (creating what is missing changes
 * nothing that exists); every other schema change (triggers, indexes, views, virtual tables, DROP,
 * ALTER, VACUUM, ANALYZE, REINDEX, user_version) only with allowSchemaChanges. db.select: SELECT,
 * VALUES or WITH statements that SQLite reports as reader and readonly and whose program calls no
 * refused function; they run with `query_only` on (sqlite-hardening.ts), so not even a virtual
 * table's own statements (pragma_optimize) can write.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from './connections';
import { dbError } from './db-error';
import { withSqliteErrors } from './errors';
import { bytecodeFacts, explain, type BytecodeFacts } from './sqlite-bytecode';
import { checkPragma, isPragma } from './sqlite-pragmas';
import { refuse, refusalForPrepareError, refusedFunction, refusedStatement, tempObject, transactionControl, vacuumInto } from './sqlite-refusals';
import { isWord, leadingTokens, type SqliteToken } from './sqlite-tokens';
import { bindParameters, type Parameters, type PreparedQuery } from './sql-params';

export interface CheckedStatement {
  statement: BetterSqlite3.Statement;
  values: PreparedQuery['values'];
  /** The statement's first word (INSERT, SELECT, CREATE, ...), upper-case. */
  statementType: string;
}

const QUERIES = ['SELECT', 'VALUES', 'WITH'];
const ROW_CHANGES = ['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH'];
/**
 * First words that reach db.prepare from db.execute (PRAGMA only after sqlite-pragmas.ts agreed).
 * Anything else is refused unprepared: SQLite reads some prefixes this module does not (a leading
 * U+FEFF is dropped, so `\uFEFFPRAGMA query_only = 1` prepares and applies on better-sqlite3 12.9),
 * and an unknown first word must never get the chance.
 */
const EXECUTABLE = [...ROW_CHANGES, 'SELECT', 'VALUES', 'CREATE', 'DROP', 'ALTER', 'VACUUM', 'ANALYZE', 'REINDEX', 'PRAGMA'];
const PRAGMA_TOKENS = 64;

/** A statement db.select may run, prepared; or a refusal saying what to use instead. */
export function prepareSelect(db: SqliteDatabase, query: string, parameters: Parameters | undefined): CheckedStatement {
  const tokens = firstTokens(query);
  const first = firstWord(tokens);
  if (isPragma(tokens[0])) throw checkPragma(statementTokens(query), 'db.select', false)!;
  const never = refusedStatement(first);
  if (never) throw never;
  if (!QUERIES.includes(first)) {
    const what = EXECUTABLE.includes(first) ? `${first} is not one: use db.execute for statements that change rows` : `this one starts with ${JSON.stringify(firstText(tokens))}`;
    throw dbError('DbQueryFailed', `db.select runs queries (SELECT, VALUES or WITH ... SELECT); ${what}`, { statement: first });
  }
  const { statement, values, facts } = prepareChecked(db, query, parameters);
  if (!statement.reader) throw dbError('DbQueryFailed', 'db.select runs queries that return rows; use db.execute for this statement', { statement: first });
  if (!statement.readonly || facts.schemaOpcodes.size > 0 || facts.transactionControl || facts.writesTempSchema) {
    throw dbError('DbQueryFailed', 'db.select runs read-only queries; use db.execute for statements that change rows (RETURNING rows are not returned)', { statement: first });
  }
  return { statement, values, statementType: first };
}

/** A statement db.execute may run, prepared; or a refusal saying what was refused and what to do instead. */
export function prepareExecute(db: SqliteDatabase, query: string, parameters: Parameters | undefined, allowSchemaChanges: boolean): CheckedStatement {
  const tokens = firstTokens(query);
  const first = firstWord(tokens);
  if (!first && tokens.length === 0) throw dbError('DbQueryFailed', 'The query is empty');
  if (isPragma(tokens[0])) {
    const refused = checkPragma(statementTokens(query), 'db.execute', allowSchemaChanges);
    if (refused) throw refused;
  }
  const never = refusedStatement(first);
  if (never) throw never;
  if (first === 'CREATE' && isWord(tokens[1], 'TEMP', 'TEMPORARY')) throw tempObject(`CREATE ${tokens.slice(1, 3).map((t) => (t.kind === 'word' ? t.upper : t.text)).join(' ')}`);
  if (!EXECUTABLE.includes(first)) {
    throw dbError('DbQueryFailed', `db.execute runs one SQLite statement starting with ${EXECUTABLE.join(', ')}; this one starts with ${JSON.stringify(firstText(tokens))}`, { statement: first });
  }
  const { statement, values, facts } = prepareChecked(db, query, parameters);
  if (facts.transactionControl) throw transactionControl(first);
  if (facts.writesTempSchema) throw tempObject(first === 'CREATE' ? `CREATE ${createdKind(tokens, facts).replace(' IF NOT EXISTS', '')} in temp` : `${first} into temp`);
  if (statement.reader) {
    throw dbError('DbQueryFailed', QUERIES.includes(first) && first !== 'WITH' ? 'db.execute runs statements that change rows; use db.select for queries' : 'The statement returns rows; use db.select for queries (RETURNING is not supported by db.execute)', { statement: first });
  }
  const change = schemaChange(first, tokens, facts);
  if (change && !allowSchemaChanges) {
    throw refuse(change.statement, `${change.what}; set allowSchemaChanges: true on db.execute if that is intended${change.statement.startsWith('CREATE') ? ' (only CREATE TABLE IF NOT EXISTS of a plain table runs without it)' : ''}.`);
  }
  return { statement, values, statementType: first };
}

/** Binds, prepares, reads the program, and refuses what no flag allows. */
function prepareChecked(db: SqliteDatabase, query: string, parameters: Parameters | undefined): Omit<CheckedStatement, 'statementType'> & { facts: BytecodeFacts } {
  if (query.includes('\0')) throw dbError('DbQueryFailed', 'The query holds a NUL character, which ends a statement for SQLite; remove it');
  const { sql, values } = bindParameters(query, parameters);
  const statement = withSqliteErrors(() => {
    try {
      return db.prepare(sql);
    } catch (error) {
      throw refusalForPrepareError(error) ?? error;
    }
  });
  const facts = bytecodeFacts(withSqliteErrors(() => explain(db, sql, values)));
  const refused = refusedFunction(facts.functions);
  if (refused) throw refused;
  if (facts.vacuumInto) throw vacuumInto();
  return { statement, values, facts };
}

interface SchemaChange {
  statement: string;
  what: string;
}

function schemaChange(first: string, tokens: readonly SqliteToken[], facts: BytecodeFacts): SchemaChange | undefined {
  if (first === 'CREATE') {
    const created = createdKind(tokens, facts);
    if (created === 'TABLE IF NOT EXISTS') return undefined;
    return { statement: `CREATE ${created}`, what: `CREATE ${created} ${CREATED[created] ?? 'changes the database\'s schema'}` };
  }
  if (ROW_CHANGES.includes(first) && facts.schemaOpcodes.size === 0) return undefined;
  if (first === 'VACUUM') return { statement: first, what: 'VACUUM rewrites the whole database file' };
  if (first === 'PRAGMA') return { statement: first, what: 'The PRAGMA changes the database file\'s header' };
  return { statement: first || 'statement', what: `${first || 'The statement'} changes the database's schema` };
}

const CREATED: Record<string, string> = {
  TRIGGER: 'adds a trigger, which runs SQL on every later change of its table',
  INDEX: 'adds an index, which can refuse later rows (UNIQUE) and slows writes',
  'UNIQUE INDEX': 'adds a unique index, which refuses later rows that repeat its key',
  VIEW: 'adds a view',
  'VIRTUAL TABLE': 'adds a virtual table, whose module runs on every use',
  TABLE: 'without IF NOT EXISTS fails on an existing table and changes the schema',
};

/** What a CREATE adds, by SQLite's grammar (`CREATE [TEMP] TABLE IF NOT EXISTS`; TEMP is refused before) cross-checked with its program. */
function createdKind(tokens: readonly SqliteToken[], facts: BytecodeFacts): string {
  let i = 1;
  if (isWord(tokens[i], 'TEMP', 'TEMPORARY')) i += 1;
  if (facts.createsTrigger || isWord(tokens[i], 'TRIGGER')) return 'TRIGGER';
  if (facts.createsVirtualTable || isWord(tokens[i], 'VIRTUAL')) return 'VIRTUAL TABLE';
  if (isWord(tokens[i], 'UNIQUE')) return 'UNIQUE INDEX';
  if (facts.createsIndex || isWord(tokens[i], 'INDEX')) return 'INDEX';
  if (facts.createsView || isWord(tokens[i], 'VIEW')) return 'VIEW';
  const ifNotExists = isWord(tokens[i + 1], 'IF') && isWord(tokens[i + 2], 'NOT') && isWord(tokens[i + 3], 'EXISTS');
  return isWord(tokens[i], 'TABLE') && ifNotExists ? 'TABLE IF NOT EXISTS' : 'TABLE';
}

/** The first few tokens: enough for `CREATE TEMP TABLE IF NOT EXISTS`. */
function firstTokens(query: string): SqliteToken[] {
  return leadingTokens(query, 6);
}

function firstText(tokens: readonly SqliteToken[]): string {
  return tokens[0]?.text.slice(0, 40) ?? '';
}

function firstWord(tokens: readonly SqliteToken[]): string {
  return tokens[0]?.kind === 'word' ? tokens[0].upper : '';
}

/** The statement's tokens, enough for any PRAGMA Ferry runs (a longer one is refused as unparsed). */
function statementTokens(query: string): SqliteToken[] {
  return leadingTokens(query, PRAGMA_TOKENS);
}
