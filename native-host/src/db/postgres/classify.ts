/**
 * The gate in front of every pipeline-supplied statement of db.select and db.execute on PostgreSQL.
 * It parses, with PostgreSQL's own parser (parser.ts), the exact text that goes to the server (after
 * bindParameters has turned named and `?` placeholders into $n; for db.select, the DECLARE ... CURSOR
 * FOR text that wraps the query), and refuses it unless it is exactly one statement of a kind the method
 * runs (statement-policy.ts) that reaches no function or view of function-policy.ts anywhere in its tree.
 * The host's own statements (the record writer's INSERTs, CREATE TABLE, BEGIN/COMMIT) are built from
 * validated identifiers and bound values and do not pass through here.
 */
import type { ParseResult } from 'libpg-query';
import { dbError } from '../db-error';
import { functionRefusal, functionRisk, isFileView } from './function-policy';
import { parsePostgres, type ParseOutcome } from './parser';
import { statementName } from './statement-names';
import { checkStatementKind, type PgMethod } from './statement-policy';
import { fieldsOf, nodesOf, objectsOf, stringsOf, unwrap, type TreeNode } from './tree';

export const SELECT_CURSOR = 'ferry_select';
const CURSOR_PREFIX = `DECLARE ${SELECT_CURSOR} NO SCROLL CURSOR FOR `;

/**
 * The text db.select sends to declare its cursor over `sql` (placeholders already $n), once that text
 * has been parsed and found to be one cursor over one read-only query that reaches nothing it may not.
 */
export async function classifiedSelect(sql: string): Promise<string> {
  refuseNul(sql);
  const text = CURSOR_PREFIX + sql.replace(/[\s;]+$/, '');
  const wrapped = await parsePostgres(text);
  const declare = wrapped.ok && wrapped.tree.stmts?.length === 1 ? unwrap(wrapped.tree.stmts[0]!.stmt) : undefined;
  const query = declare?.type === 'DeclareCursorStmt' && declare.fields.portalname === SELECT_CURSOR ? unwrap(declare.fields.query) : undefined;
  if (wrapped.ok && query) {
    checkStatement(query, 'db.select', false);
    return text;
  }
  // The wrapped text is not one cursor over one query: the query alone says why (syntax, several
  // statements, a kind db.select does not run), with positions in the caller's terms.
  const alone = await parsePostgres(sql);
  checkParsed(alone, 'db.select', false, sql);
  throw syntaxError(wrapped.ok ? { ok: false, message: 'the query cannot be the query of a cursor' } : { ...wrapped, position: wrapped.position === undefined ? undefined : Math.max(0, wrapped.position - CURSOR_PREFIX.length) }, sql);
}

/** Parses `sql`, the exact text db.execute sends, and throws unless the method may run it; returns the statement's kind. */
export async function classifyExecute(sql: string, allowSchemaChanges: boolean): Promise<string> {
  refuseNul(sql);
  return checkParsed(await parsePostgres(sql), 'db.execute', allowSchemaChanges, sql);
}

/** The parser (a C string) would stop at a NUL character while the text sent goes on: never let the two differ. */
function refuseNul(sql: string): void {
  const at = sql.indexOf('\u0000');
  if (at >= 0) throw dbError('DbQueryFailed', `The query holds a NUL character (at character ${at + 1}); remove it, or bind the value as a parameter`, { position: at + 1 });
}

function checkParsed(outcome: ParseOutcome, method: PgMethod, allowSchemaChanges: boolean, sql: string): string {
  if (!outcome.ok) throw syntaxError(outcome, sql);
  return checkTree(outcome.tree, method, allowSchemaChanges);
}

/** The refusal of a parsed text (as a thrown dbError), or the kind of its one statement. Exported for unit tests. */
export function checkTree(tree: ParseResult, method: PgMethod, allowSchemaChanges: boolean): string {
  const stmts = tree.stmts ?? [];
  if (stmts.length === 0) throw dbError('DbQueryFailed', 'The query is empty');
  if (stmts.length > 1) throw dbError('DbQueryFailed', `The query holds ${stmts.length} statements; send one statement per call`, { statements: stmts.length });
  const stmt = unwrap(stmts[0]!.stmt);
  if (!stmt) throw dbError('DbQueryFailed', 'The query holds no statement PostgreSQL can run');
  return checkStatement(stmt, method, allowSchemaChanges);
}

function checkStatement(stmt: TreeNode, method: PgMethod, allowSchemaChanges: boolean): string {
  // What the statement reaches first: a refusal that no flag lifts comes before "set allowSchemaChanges".
  checkReach(stmt);
  checkStatementKind(stmt, method, allowSchemaChanges);
  if (method === 'db.select') checkReadOnly(stmt);
  return statementName(stmt);
}

const readOnly = (message: string, data: Record<string, unknown> = {}) => dbError('DbQueryFailed', `db.select runs read-only queries: ${message}`, data);

function checkReadOnly(select: TreeNode): void {
  if (select.fields.intoClause) throw readOnly('SELECT ... INTO creates a table; use db.execute with CREATE TABLE ... AS (allowSchemaChanges: true)', { statement: 'SELECT INTO' });
  for (const node of nodesOf(select.fields)) {
    if (node.type === 'LockingClause') throw readOnly('FOR UPDATE / FOR SHARE lock rows; drop the locking clause', { statement: 'SELECT FOR UPDATE' });
    if (node.type === 'InsertStmt' || node.type === 'UpdateStmt' || node.type === 'DeleteStmt' || node.type === 'MergeStmt') {
      throw readOnly(`use db.execute for statements that change rows (this query holds ${statementName(node)})`, { statement: statementName(node) });
    }
  }
}

function refused(message: string, data: Record<string, unknown>): never {
  throw dbError('DbSchemaChangeRefused', message, data);
}

function checkFunctionName(name: string | undefined, statement: string, schema?: string, attribute = false): void {
  if (!name) return;
  const risk = functionRisk(name, schema, attribute);
  if (risk) refused(functionRefusal(schema === undefined ? name : `${schema}.${name}`, risk), { function: name, statement });
}

/**
 * Every function call anywhere in the tree, including attribute notation (`('/etc/passwd'::text).pg_read_file`
 * calls pg_read_file: a column or field name after a dot may name a function, so those are checked
 * too), every relation (the views that read configuration files; TEMP objects, which would stay on
 * the pooled connection) and the targets of row changes (the system catalog: an UPDATE of pg_settings
 * is a set_config).
 */
function checkReach(stmt: TreeNode): void {
  const statement = statementName(stmt);
  for (const { key, fields } of objectsOf({ [stmt.type]: stmt.fields })) {
    if (key === 'FuncCall') {
      const qualified = stringsOf(fields.funcname);
      checkFunctionName(qualified.at(-1), statement, qualified.length > 1 ? qualified.at(-2) : undefined);
    }
    else if (key === 'ColumnRef') for (const name of stringsOf(fields.fields).slice(1)) checkFunctionName(name, statement, undefined, true);
    else if (key === 'A_Indirection') for (const name of stringsOf(fields.indirection)) checkFunctionName(name, statement, undefined, true);
    // pg_temp.x names the session's temporary schema just as TEMPORARY does.
    if (fields.relpersistence === 't' || (typeof fields.schemaname === 'string' && /^pg_temp/i.test(fields.schemaname))) {
      refused(`${statement} ... TEMPORARY would leave ${String(fields.relname ?? 'the object')} on the pooled connection for later calls; Ferry never lets a pipeline do that. Create an ordinary table (and drop it when done).`, { statement, relation: String(fields.relname ?? '') });
    }
    if (typeof fields.relname === 'string' && isFileView(fields.relname)) {
      refused(`${fields.relname} reads the database server's configuration files; Ferry never lets a pipeline do that. Ask the database's administrator.`, { statement, relation: fields.relname });
    }
    if (key === 'InsertStmt' || key === 'UpdateStmt' || key === 'DeleteStmt' || key === 'MergeStmt') checkTarget(fieldsOf(fields.relation), statementName({ type: key, fields }));
    if (key === 'ViewStmt' || key === 'CreateTableAsStmt') checkDefinedOver(fields, statementName({ type: key, fields }));
  }
}

/**
 * A view over the system catalog is a way to write it (an UPDATE of a simple view updates its table)
 * and a table made from one copies what the role may read there: neither is a pipeline's business.
 */
function checkDefinedOver(fields: Record<string, unknown>, statement: string): void {
  for (const { key, fields: relation } of objectsOf(fields.query)) {
    if (key !== 'RangeVar') continue;
    const schema = typeof relation.schemaname === 'string' ? relation.schemaname.toLowerCase() : undefined;
    const name = String(relation.relname ?? '').toLowerCase();
    if (schema === 'pg_catalog' || schema === 'information_schema' || (schema === undefined && name.startsWith('pg_'))) {
      refused(`${statement} over ${schema ? `${schema}.` : ''}${name} builds on PostgreSQL's system catalog (a view over it can write it); Ferry never lets a pipeline do that. Build views and tables from your own tables.`, { statement, relation: name });
    }
  }
}

function checkTarget(relation: Record<string, unknown> | undefined, statement: string): void {
  const schema = typeof relation?.schemaname === 'string' ? relation.schemaname.toLowerCase() : undefined;
  const name = String(relation?.relname ?? '').toLowerCase();
  // Unqualified pg_* names resolve to pg_catalog first, whatever the search_path says.
  if (schema === 'pg_catalog' || schema === 'information_schema' || (schema === undefined && name.startsWith('pg_'))) {
    refused(`${statement} into ${schema ? `${schema}.` : ''}${name} writes PostgreSQL's system catalog${name === 'pg_settings' ? ' (an UPDATE of pg_settings changes the pooled connection\'s settings, like SET)' : ''}; Ferry never lets a pipeline do that. Write to your own tables.`, { statement, relation: name });
  }
}

function syntaxError(outcome: Extract<ParseOutcome, { ok: false }>, sql: string): Error {
  if (outcome.position === undefined) return dbError('DbQueryFailed', `PostgreSQL's parser refused the query: ${outcome.message}`, { pgMessage: outcome.message });
  const near = sql.slice(outcome.position, outcome.position + 40);
  return dbError('DbQueryFailed', `PostgreSQL's parser refused the query: ${outcome.message} at character ${outcome.position + 1}${near ? ` ("${near}")` : ''}; fix the SQL (placeholders count as $1, $2, ...)`, { pgMessage: outcome.message, position: outcome.position + 1 });
}
