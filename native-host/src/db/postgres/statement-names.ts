/** The SQL words a person would use for a parsed statement (`CopyStmt` → "COPY", `DropStmt` of a function → "DROP FUNCTION"). */
import type { TreeNode } from './tree';

const NAMES: Record<string, string> = {
  SelectStmt: 'SELECT',
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  CopyStmt: 'COPY',
  CreateStmt: 'CREATE TABLE',
  ViewStmt: 'CREATE VIEW',
  IndexStmt: 'CREATE INDEX',
  CreateSeqStmt: 'CREATE SEQUENCE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  CreateForeignServerStmt: 'CREATE SERVER',
  AlterForeignServerStmt: 'ALTER SERVER',
  CreateFdwStmt: 'CREATE FOREIGN DATA WRAPPER',
  AlterFdwStmt: 'ALTER FOREIGN DATA WRAPPER',
  CreatePLangStmt: 'CREATE LANGUAGE',
  CreateTrigStmt: 'CREATE TRIGGER',
  RuleStmt: 'CREATE RULE',
  CreateEventTrigStmt: 'CREATE EVENT TRIGGER',
  CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE',
  CheckPointStmt: 'CHECKPOINT',
  DoStmt: 'DO',
  CallStmt: 'CALL',
  LoadStmt: 'LOAD',
  VariableShowStmt: 'SHOW',
  DiscardStmt: 'DISCARD',
  ListenStmt: 'LISTEN',
  UnlistenStmt: 'UNLISTEN',
  NotifyStmt: 'NOTIFY',
  PrepareStmt: 'PREPARE',
  ExecuteStmt: 'EXECUTE',
  DeallocateStmt: 'DEALLOCATE',
  DeclareCursorStmt: 'DECLARE',
  ClosePortalStmt: 'CLOSE',
  LockStmt: 'LOCK',
  ConstraintsSetStmt: 'SET CONSTRAINTS',
  ExplainStmt: 'EXPLAIN',
  ReindexStmt: 'REINDEX',
  ClusterStmt: 'CLUSTER',
  AlterOwnerStmt: 'ALTER ... OWNER TO',
  AlterObjectSchemaStmt: 'ALTER ... SET SCHEMA',
  RenameStmt: 'ALTER ... RENAME',
  CommentStmt: 'COMMENT',
  SecLabelStmt: 'SECURITY LABEL',
  TruncateStmt: 'TRUNCATE',
};

const TRANSACTION: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

/** `OBJECT_FOREIGN_TABLE` → "FOREIGN TABLE". */
export function objectWords(objectType: unknown): string {
  const raw = String(objectType ?? '').replace(/^OBJECT_/, '');
  const special: Record<string, string> = { MATVIEW: 'MATERIALIZED VIEW', TABCONSTRAINT: 'CONSTRAINT', FDW: 'FOREIGN DATA WRAPPER', FOREIGN_SERVER: 'SERVER' };
  return special[raw] ?? raw.replace(/_/g, ' ');
}

export function statementName(node: TreeNode): string {
  const f = node.fields;
  switch (node.type) {
    case 'CreateTableAsStmt':
      return f.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
    case 'CreateFunctionStmt':
      return f.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
    case 'DropStmt':
      return `DROP ${objectWords(f.removeType)}`;
    case 'DefineStmt':
      return `CREATE ${objectWords(f.kind)}`;
    case 'AlterTableStmt':
      return `ALTER ${objectWords(f.objtype)}`;
    case 'GrantStmt':
    case 'GrantRoleStmt':
      return f.is_grant ? 'GRANT' : 'REVOKE';
    case 'VacuumStmt':
      return f.is_vacuumcmd ? 'VACUUM' : 'ANALYZE';
    case 'FetchStmt':
      return f.ismove ? 'MOVE' : 'FETCH';
    case 'TransactionStmt':
      return TRANSACTION[String(f.kind)] ?? 'a transaction statement';
    case 'VariableSetStmt':
      if (f.kind === 'VAR_RESET' || f.kind === 'VAR_RESET_ALL') return 'RESET';
      if (f.name === 'role') return 'SET ROLE';
      if (f.name === 'session_authorization') return 'SET SESSION AUTHORIZATION';
      return 'SET';
    default:
      // CreateExtensionStmt → CREATE EXTENSION, AlterSystemStmt → ALTER SYSTEM, ...
      return NAMES[node.type] ?? node.type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  }
}
