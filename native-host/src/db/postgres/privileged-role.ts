/**
 * Whether a pipeline's own SQL (db.select, db.execute) may run on a connection, given what its login
 * role may do. The SQL gate (classify.ts) refuses the statements and built-in functions that reach
 * the server's files and programs, but it reads names, and a server can hold functions it does not
 * know (contrib modules such as tablefunc's crosstab or xml2's xpath_table run SQL handed to them as
 * text). What actually bounds such SQL is the role: a least-privilege role cannot read a server file
 * or run a program through any function. So on a role that can (a superuser, a member of
 * pg_read_server_files, pg_write_server_files or pg_execute_server_program) Ferry runs no pipeline
 * SQL unless the connection says `allowPrivilegedRole: true`: the user's explicit, visible choice
 * (the pipeline review shows it as a warning). The host's own writes (db.insert, db.batchInsert) are
 * built from validated names and bound values and still run, with the role warning.
 *
 * The gate also reads string literals as the server does only while standard_conforming_strings is
 * on; pools.ts sets it at connection start, and a connection where it is off anyway (a pooler that
 * drops startup options) runs no pipeline SQL at all.
 */
import { dbError } from '../db-error';
import { roleReachesServer, type PgRoleRisk } from '../../../../src/protocol';
import type { PgRoleReport } from './pools';
import { roleRisks } from './role';
import type { PgTargetInfo } from './errors';

const REACHES_SERVER: readonly PgRoleRisk[] = ['superuser', 'readServerFiles', 'writeServerFiles', 'executeServerProgram'];

export function assertPipelineSqlAllowed(role: PgRoleReport | undefined, allowPrivilegedRole: boolean, server: PgTargetInfo, roleError?: string): void {
  const where = `${server.host}:${server.port}`;
  if (!role) {
    throw dbError('DbSchemaChangeRefused', `Ferry could not check what the login role may do on PostgreSQL at ${where}${roleError ? ` (${roleError})` : ''}, so it runs no SQL of the pipeline there; check that the role can read pg_roles and call pg_has_role, then try again`, { reason: 'roleUnchecked', ...(roleError ? { roleError } : {}) });
  }
  if (role.standardConformingStrings === false) {
    throw dbError('DbSchemaChangeRefused', `The connection to PostgreSQL at ${where} reads backslashes in strings the old way (standard_conforming_strings is off, perhaps because a connection pooler dropped Ferry's startup options), so Ferry cannot read the pipeline's SQL as the server will and runs none of it; connect directly, or let the pooler pass "options"`, { reason: 'standardConformingStringsOff' });
  }
  // One rule, shared with Test connection (src/protocol/db-methods.ts); the risks only name it.
  if (!roleReachesServer(role) || allowPrivilegedRole) return;
  const reaches = roleRisks(role).filter((risk) => REACHES_SERVER.includes(risk) || risk === 'createRole');
  const what = role.superuser ? 'is a superuser' : reaches.some((r) => r !== 'createRole') ? `can ${abilities(role)} on the database server` : 'can create roles (CREATEROLE), which on PostgreSQL 15 and older includes granting itself the rights to reach the server\'s files and programs';
  throw dbError(
    'DbSchemaChangeRefused',
    `Ferry logs in to PostgreSQL at ${where} as “${role.role}”, which ${what}, so it does not run the pipeline's own SQL there: through the role, SQL could reach the server's files and programs. Connect as a role with only the rights the pipeline needs (see “A role for Ferry” in the PostgreSQL help of the Integrations page), or, if you trust this pipeline's SQL, set "allowPrivilegedRole": true in its connectionConfig`,
    { reason: 'privilegedRole', role: role.role, risks: reaches },
  );
}

/** "read files", "read and write files and run programs", ... (CREATEROLE is said on its own). */
function abilities(role: PgRoleReport): string {
  const files = [role.readServerFiles && 'read', role.writeServerFiles && 'write'].filter(Boolean).join(' and ');
  return [files && `${files} files`, role.executeServerProgram && 'run programs'].filter(Boolean).join(' and ');
}
