/**
 * Which statement kinds each method runs on PostgreSQL: an allow-list of parse-tree node types, so a
 * kind nobody thought of is refused.
 *
 * - db.select: a SelectStmt (SELECT, WITH ... SELECT, VALUES, TABLE, UNION ...); without INTO, without
 *   FOR UPDATE / FOR SHARE anywhere, without a data-modifying statement anywhere (checked in classify.ts).
 * - db.execute: INSERT, UPDATE, DELETE, MERGE (with WITH). Schema changes with allowSchemaChanges: true,
 *   limited to tables, indexes, views, materialized views, sequences and schemas: CREATE / ALTER / DROP /
 *   RENAME / SET SCHEMA / COMMENT ON of those, CREATE TABLE AS, REFRESH MATERIALIZED VIEW, TRUNCATE, and
 *   CREATE SCHEMA whose elements pass the same rules. Without the flag only a plain
 *   `CREATE TABLE IF NOT EXISTS` (not TEMP, PARTITION OF, INHERITS or OF type: those change or hang
 *   off tables that exist) runs: it can only add a table that was missing. Ownership changes, triggers and
 *   rules are never part of a schema change here.
 * - Everything else, whatever the flags: COPY, extensions, foreign servers and tables, functions and
 *   procedures in any language, DO, CALL, LOAD, ALTER SYSTEM, session state (SET, RESET, DISCARD,
 *   LISTEN/NOTIFY, PREPARE/EXECUTE, cursors, LOCK, transaction control), roles and privileges, triggers,
 *   rules, types, operators, maintenance (VACUUM, CHECKPOINT, REINDEX, CLUSTER) and the rest.
 */
import { dbError } from '../db-error';
import { objectWords, statementName } from './statement-names';
import { fieldsOf, unwrap, type TreeNode } from './tree';

export type PgMethod = 'db.select' | 'db.execute';

const ROW_CHANGES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Object types a schema change may touch. */
const SCHEMA_OBJECTS = new Set(['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_SCHEMA', 'OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT']);
const SCHEMA_OBJECT_WORDS = 'tables, indexes, views, sequences and schemas';

type Group = 'files' | 'code' | 'otherServers' | 'session' | 'transaction' | 'roles' | 'administration';

const NEVER: Record<string, Group> = {
  CopyStmt: 'files',
  CreateTableSpaceStmt: 'files',
  DropTableSpaceStmt: 'files',
  AlterTableSpaceOptionsStmt: 'files',
  AlterTableMoveAllStmt: 'files',
  CreateExtensionStmt: 'code',
  AlterExtensionStmt: 'code',
  AlterExtensionContentsStmt: 'code',
  LoadStmt: 'code',
  CreatePLangStmt: 'code',
  CreateFunctionStmt: 'code',
  AlterFunctionStmt: 'code',
  DoStmt: 'code',
  CallStmt: 'code',
  CreateTrigStmt: 'code',
  RuleStmt: 'code',
  CreateEventTrigStmt: 'code',
  AlterEventTrigStmt: 'code',
  CreateCastStmt: 'code',
  CreateTransformStmt: 'code',
  DefineStmt: 'code',
  CreateOpClassStmt: 'code',
  CreateOpFamilyStmt: 'code',
  AlterOpFamilyStmt: 'code',
  CreateConversionStmt: 'code',
  CreateAmStmt: 'code',
  CreateDomainStmt: 'code',
  AlterDomainStmt: 'code',
  CompositeTypeStmt: 'code',
  CreateEnumStmt: 'code',
  CreateRangeStmt: 'code',
  AlterEnumStmt: 'code',
  AlterTypeStmt: 'code',
  CreateStatsStmt: 'code',
  CreateForeignServerStmt: 'otherServers',
  AlterForeignServerStmt: 'otherServers',
  CreateFdwStmt: 'otherServers',
  AlterFdwStmt: 'otherServers',
  CreateForeignTableStmt: 'otherServers',
  CreateUserMappingStmt: 'otherServers',
  AlterUserMappingStmt: 'otherServers',
  DropUserMappingStmt: 'otherServers',
  ImportForeignSchemaStmt: 'otherServers',
  CreateSubscriptionStmt: 'otherServers',
  AlterSubscriptionStmt: 'otherServers',
  DropSubscriptionStmt: 'otherServers',
  CreatePublicationStmt: 'otherServers',
  AlterPublicationStmt: 'otherServers',
  VariableSetStmt: 'session',
  VariableShowStmt: 'session',
  DiscardStmt: 'session',
  ListenStmt: 'session',
  UnlistenStmt: 'session',
  NotifyStmt: 'session',
  PrepareStmt: 'session',
  ExecuteStmt: 'session',
  DeallocateStmt: 'session',
  DeclareCursorStmt: 'session',
  FetchStmt: 'session',
  ClosePortalStmt: 'session',
  LockStmt: 'transaction',
  ConstraintsSetStmt: 'transaction',
  TransactionStmt: 'transaction',
  CreateRoleStmt: 'roles',
  AlterRoleStmt: 'roles',
  AlterRoleSetStmt: 'roles',
  DropRoleStmt: 'roles',
  GrantStmt: 'roles',
  GrantRoleStmt: 'roles',
  AlterDefaultPrivilegesStmt: 'roles',
  ReassignOwnedStmt: 'roles',
  DropOwnedStmt: 'roles',
  AlterOwnerStmt: 'roles',
  CreatePolicyStmt: 'roles',
  AlterPolicyStmt: 'roles',
  SecLabelStmt: 'roles',
  AlterSystemStmt: 'administration',
  VacuumStmt: 'administration',
  CheckPointStmt: 'administration',
  ReindexStmt: 'administration',
  ClusterStmt: 'administration',
  CreatedbStmt: 'administration',
  DropdbStmt: 'administration',
  AlterDatabaseStmt: 'administration',
  AlterDatabaseSetStmt: 'administration',
  AlterDatabaseRefreshCollStmt: 'administration',
  AlterCollationStmt: 'administration',
  ExplainStmt: 'administration',
};

function neverMessage(name: string, group: Group | undefined): string {
  const never = 'Ferry never lets a pipeline do that.';
  switch (group) {
    case 'files':
      return `${name} reads and writes files on the database server, or runs programs there (COPY ... PROGRAM); ${never} Load rows with db.batchInsert, read them with db.select, and use a file step inside a granted folder for files.`;
    case 'code':
      return `${name} puts code on the database server or runs it there (a function body, trigger or DO block may run COPY ... TO PROGRAM or read files), which Ferry cannot check; ${never} Write the statement itself in db.execute, or have the database's administrator create what you need.`;
    case 'otherServers':
      return `${name} reaches other servers, files or programs through a foreign-data wrapper or replication; ${never} Add the other database as a connection of its own.`;
    case 'session':
      return `${name} leaves state on the session (settings, prepared statements, cursors, listeners), which later calls on the same pooled connection would inherit; ${never} Have the database's administrator set settings on the role (ALTER ROLE ... SET ...); read one with SELECT current_setting('name').`;
    case 'transaction':
      return `${name} controls transactions or locks, and each call is its own transaction; ${never} Send one statement per call (db.batchInsert writes many rows in one transaction).`;
    case 'roles':
      return `${name} changes roles, ownership or privileges; ${never} Have the database's administrator do it (docs/ARCHITECTURE.md shows the role Ferry should connect as).`;
    case 'administration':
      return `${name} administers the database server; ${never} Run it as the database's administrator, outside Ferry.`;
    default:
      return `${name} is not among the statements db.execute runs on PostgreSQL (INSERT, UPDATE, DELETE and MERGE; with allowSchemaChanges: true, CREATE, ALTER and DROP of ${SCHEMA_OBJECT_WORDS}, and TRUNCATE).`;
  }
}

function refuse(stmt: TreeNode, message: string): never {
  throw dbError('DbSchemaChangeRefused', message, { statement: statementName(stmt) });
}

/** Throws unless `stmt`, the one top-level statement, is a kind `method` runs with these flags. */
export function checkStatementKind(stmt: TreeNode, method: PgMethod, allowSchemaChanges: boolean): void {
  const name = statementName(stmt);
  if (stmt.type === 'ExplainStmt') {
    // EXPLAIN ANALYZE runs its statement, and a plan is no pipeline's data: read plans in psql.
    refuse(stmt, `${name} shows (or, with ANALYZE, runs) a statement's plan, which is no pipeline's data; Ferry does not run it. Look at plans in psql or another SQL client.`);
  }
  if (method === 'db.select') {
    if (stmt.type === 'SelectStmt') return;
    if (ROW_CHANGES.has(stmt.type) || schemaChange(stmt) !== undefined) {
      throw dbError('DbQueryFailed', `db.select runs queries that return rows (SELECT, WITH, VALUES, TABLE); use db.execute for ${name}`, { statement: name });
    }
    refuse(stmt, neverMessage(name, NEVER[stmt.type]));
  }
  if (ROW_CHANGES.has(stmt.type)) return;
  if (stmt.type === 'SelectStmt') {
    throw dbError('DbQueryFailed', 'db.execute runs statements that change rows (INSERT, UPDATE, DELETE, MERGE); use db.select for queries. A function that writes cannot run in either: db.select is read-only; write the INSERT, UPDATE or DELETE itself in db.execute', { statement: name });
  }
  const verdict = schemaChange(stmt);
  if (verdict === undefined) refuse(stmt, neverMessage(name, NEVER[stmt.type]));
  if ('refusal' in verdict) refuse(stmt, verdict.refusal);
  if (verdict.allowed === 'free' || allowSchemaChanges) return;
  refuse(stmt, `${name} changes the database's schema; set allowSchemaChanges: true on db.execute if that is intended`);
}

type Verdict = { allowed: 'free' | 'flag' } | { refusal: string } | undefined;
const FREE: Verdict = { allowed: 'free' };
const FLAG: Verdict = { allowed: 'flag' };

/**
 * 'free' for the one schema change that needs no flag, 'flag' for those allowed with
 * allowSchemaChanges, a refusal for a schema statement on an object it may not touch, and undefined
 * for statements that are no schema change at all.
 */
function schemaChange(stmt: TreeNode): Verdict {
  const f = stmt.fields;
  const name = statementName(stmt);
  const outside = (objectType: unknown): Verdict => ({ refusal: `${name} is not run by db.execute: schema changes are limited to ${SCHEMA_OBJECT_WORDS} (${objectWords(objectType).toLowerCase()} is none of them)` });
  switch (stmt.type) {
    case 'CreateStmt':
      if (f.if_not_exists && !f.inhRelations && !f.partbound && !f.ofTypename) return FREE;
      return FLAG;
    case 'CreateTableAsStmt':
    case 'ViewStmt':
    case 'IndexStmt':
    case 'CreateSeqStmt':
    case 'AlterSeqStmt':
    case 'RefreshMatViewStmt':
    case 'TruncateStmt':
      return FLAG;
    case 'AlterTableStmt': {
      if (!SCHEMA_OBJECTS.has(String(f.objtype))) return outside(f.objtype);
      const risky = (Array.isArray(f.cmds) ? f.cmds : []).map((c) => String(fieldsOf(unwrap(c)?.fields)?.subtype ?? '')).find((s) => /Owner|Trig|Rule/.test(s));
      if (!risky) return FLAG;
      return { refusal: `${name} ... ${/Owner/.test(risky) ? 'OWNER TO changes ownership' : 'ENABLE/DISABLE TRIGGER or RULE switches code that runs on the server'}; Ferry never lets a pipeline do that. Have the database's administrator do it.` };
    }
    case 'DropStmt':
      return SCHEMA_OBJECTS.has(String(f.removeType)) ? FLAG : outside(f.removeType);
    case 'RenameStmt':
      return SCHEMA_OBJECTS.has(String(f.renameType)) ? FLAG : outside(f.renameType);
    case 'AlterObjectSchemaStmt':
      return SCHEMA_OBJECTS.has(String(f.objectType)) ? FLAG : outside(f.objectType);
    case 'CommentStmt':
      return SCHEMA_OBJECTS.has(String(f.objtype)) ? FLAG : outside(f.objtype);
    case 'CreateSchemaStmt': {
      if (f.authrole) return { refusal: "CREATE SCHEMA ... AUTHORIZATION makes another role its owner; Ferry never lets a pipeline do that. Have the database's administrator do it." };
      for (const element of Array.isArray(f.schemaElts) ? f.schemaElts : []) {
        const inner = unwrap(element);
        if (!inner) continue;
        const verdict = schemaChange(inner);
        if (verdict === undefined) return { refusal: `CREATE SCHEMA ... ${neverMessage(statementName(inner), NEVER[inner.type])}` };
        if ('refusal' in verdict) return verdict;
      }
      return FLAG;
    }
    default:
      return undefined;
  }
}
