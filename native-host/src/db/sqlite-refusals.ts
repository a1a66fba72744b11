/**
 * What Ferry never lets a pipeline's SQL do on a SQLite connection, whatever flags it sets, and the
 * message each refusal answers: what was refused, and what to do instead.
 */
import type { RpcError } from '../../../src/protocol';
import { dbError } from './db-error';

/** SQL functions that reach files or native code (load_extension is built in; the rest come from SQLite's fileio, shell and fts3 sources). */
const FUNCTIONS: Record<string, string> = {
  load_extension: 'load_extension loads a native library into the host process; Ferry never lets a pipeline do that. Use SQLite\'s built-in functions, or transform values in the pipeline before they reach the database.',
  readfile: 'readfile reads a file from disk; Ferry never lets SQL reach files. Read the file with a file step from a granted folder and insert its content.',
  fsdir: 'fsdir lists folders on disk; Ferry never lets SQL reach files. List files with a file step in a granted folder.',
  lsmode: 'lsmode belongs to SQLite\'s file functions; Ferry never lets SQL reach files. Use a file step in a granted folder.',
  writefile: 'writefile writes a file to disk; Ferry never lets SQL reach files. Export rows with a file step into a granted folder.',
  edit: 'edit runs an editor program on a value; Ferry never lets SQL start programs. Change the value in the pipeline instead.',
  fts3_tokenizer: 'fts3_tokenizer registers native code with SQLite; Ferry never lets a pipeline do that. Use a built-in tokenizer, e.g. USING fts5(body, tokenize = \'unicode61\').',
  sqlite_attach: 'ATTACH opens another database file; Ferry never lets a pipeline do that. Name another file in the host\'s data folder with connection { "type": "sqlite", "database": "name.sqlite" }.',
  sqlite_detach: 'DETACH changes which databases the connection has open; Ferry never lets a pipeline do that. Name the database with connection { "type": "sqlite", "database": "name.sqlite" } instead.',
};

export function refusedFunction(names: Iterable<string>): RpcError | undefined {
  for (const name of names) {
    const message = FUNCTIONS[name.toLowerCase()];
    if (message) return refuse(name.startsWith('sqlite_') ? name.slice(7).toUpperCase() : name, message, { refused: name });
  }
  return undefined;
}

/** SQLite answers "no such function: readfile" or "unsafe use of load_extension()" while preparing; say why instead. */
export function refusalForPrepareError(error: unknown): RpcError | undefined {
  const message = error instanceof Error ? error.message : '';
  const catalogue = /table (sqlite_master|sqlite_schema|sqlite_temp_master|sqlite_temp_schema) may not be modified/.exec(message);
  if (catalogue) {
    return refuse('sqlite_schema', `${catalogue[1]} is SQLite's own catalogue of the schema; SQLite's defensive mode, which Ferry keeps on, never lets a statement write it. Change the schema with CREATE, ALTER or DROP through db.execute with allowSchemaChanges: true.`, { refused: catalogue[1] });
  }
  const name = /no such function: ([A-Za-z_0-9]+)|unsafe use of ([A-Za-z_0-9]+)\(\)/.exec(message);
  return name ? refusedFunction([name[1] ?? name[2]!]) : undefined;
}

const NEVER_STATEMENTS: Record<string, string> = {
  ATTACH: FUNCTIONS.sqlite_attach!,
  DETACH: FUNCTIONS.sqlite_detach!,
  EXPLAIN: 'EXPLAIN compiles the statement it explains, which for a PRAGMA already applies it; Ferry does not run EXPLAIN for a pipeline. Run the statement itself.',
};
const TRANSACTION = ['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'];

/** Statements refused by their first word, SQLite's own statement type. */
export function refusedStatement(first: string): RpcError | undefined {
  if (NEVER_STATEMENTS[first]) return refuse(first, NEVER_STATEMENTS[first]);
  if (TRANSACTION.includes(first)) return transactionControl(first);
  return undefined;
}

export function transactionControl(statement: string): RpcError {
  return refuse(statement, `${statement} is transaction control; each db.execute call is its own transaction, and one left open would hold every later call hostage. Use db.batchInsert to write many rows in one transaction.`);
}

/**
 * TEMP objects are refused whatever the flags: they live as long as the host's connection, and a
 * temp table or view shadows the main table of the same name for every later call on it (another
 * pipeline's select reads it, and a plain `INSERT INTO name` lands in it, lost when the host exits).
 */
export function tempObject(statement: string): RpcError {
  return refuse(statement, `${statement} creates or writes an object in SQLite's temp schema; Ferry refuses TEMP objects because one would shadow the table of the same name for every later call on this connection (other pipelines would read it and their writes could land in it, lost when the host exits). Create the table in the database itself (CREATE TABLE IF NOT EXISTS name (...), dropped when no longer needed), or keep intermediate rows in a WITH clause.`, { schema: 'temp' });
}

export function vacuumInto(): RpcError {
  return refuse('VACUUM INTO', 'VACUUM INTO writes a copy of the database to a file; Ferry never lets a pipeline do that. Export rows with a file step into a granted folder.');
}

export function refuse(statement: string, message: string, data: Record<string, unknown> = {}): RpcError {
  return dbError('DbSchemaChangeRefused', message, { statement, ...data });
}
