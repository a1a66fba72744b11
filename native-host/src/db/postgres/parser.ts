/**
 * PostgreSQL's own parser: libpg-query is the server's grammar (scan.l, gram.y) compiled to
 * WebAssembly, so a statement is split and classified exactly as the server will read it, comments,
 * quoted names and dollar quotes included. The module (and its 1.7 MB .wasm) loads on the first
 * PostgreSQL call that needs it, not at host start, and after the stdout guard has taken console.log
 * over (Emscripten binds console.log for the C code's stdout when it loads).
 *
 * The host bundle keeps libpg-query external (native-host/build.mjs): Node resolves it from the
 * checkout's node_modules, and its loader finds libpg-query.wasm beside its own file.
 */
import type { ParseResult } from 'libpg-query';
import { dbError } from '../db-error';

type LibPgQuery = typeof import('libpg-query');

let loading: Promise<LibPgQuery> | undefined;

function parserModule(): Promise<LibPgQuery> {
  if (!loading) {
    loading = import('libpg-query').then(async (mod) => {
      await mod.loadModule();
      return mod;
    });
    // A failed load is retried on the next call rather than remembered forever.
    loading.catch(() => (loading = undefined));
  }
  return loading;
}

export type ParseOutcome =
  | { ok: true; tree: ParseResult }
  | { ok: false; message: string; /** 0-based offset into the parsed text, when the parser gave one. */ position?: number };

/**
 * The longest pipeline SQL the gate parses. Values travel as bound parameters, so a statement is
 * text a person wrote; parsing megabytes of it would block the host for seconds and take gigabytes.
 */
export const MAX_PIPELINE_SQL_BYTES = 1024 * 1024;

/** Parses `sql` as the server would; a syntax error is an outcome (with its position), not an exception. */
export async function parsePostgres(sql: string): Promise<ParseOutcome> {
  const bytes = Buffer.byteLength(sql);
  if (bytes > MAX_PIPELINE_SQL_BYTES) {
    throw dbError('DbQueryFailed', `The query is ${bytes} bytes long, above the ${MAX_PIPELINE_SQL_BYTES} bytes Ferry checks; pass values as parameters ($1, $2, ...) instead of writing them into the SQL, or split the work`, { bytes, maxBytes: MAX_PIPELINE_SQL_BYTES });
  }
  let mod: LibPgQuery;
  try {
    mod = await parserModule();
  } catch (error) {
    throw dbError('DbQueryFailed', `PostgreSQL's parser (libpg-query) could not be loaded, so no statement is run: ${error instanceof Error ? error.message : String(error)}. Reinstall the dependencies (npm ci) and rebuild the host (npm run build:host)`, { parser: 'libpg-query' });
  }
  if (sql.trim() === '') return { ok: true, tree: { version: 0, stmts: [] } as ParseResult };
  try {
    return { ok: true, tree: await mod.parse(sql) };
  } catch (error) {
    // Emscripten's exit() throws a plain object (out of memory, an abort inside the parser).
    if (!(error instanceof Error)) throw dbError('DbQueryFailed', `PostgreSQL's parser gave up on the query (${describe(error)}), so it is not run; shorten or simplify it`, { parser: 'libpg-query' });
    const position = mod.hasSqlDetails(error) ? error.sqlDetails?.cursorPosition : undefined;
    return { ok: false, message: error.message, ...(position === undefined ? {} : { position }) };
  }
}

function describe(thrown: unknown): string {
  if (thrown && typeof thrown === 'object' && 'status' in thrown) return `exit status ${String((thrown as { status: unknown }).status)}`;
  return String(thrown);
}
