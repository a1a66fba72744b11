/**
 * What the PostgreSQL role Ferry logs in as may do beyond the pipeline's own tables. SQL that a
 * pipeline holds runs with the role's rights, and some rights reach outside the database: a
 * superuser, or a member of pg_read_server_files / pg_write_server_files / pg_execute_server_program,
 * can read and write the server's files and run programs there whatever Ferry refuses. CREATEROLE
 * can grant itself those memberships on PostgreSQL 15 and older (16 needs ADMIN on the role), and
 * can make new roles; BYPASSRLS reads rows that row-level security hides. The warning says so in
 * plain words, with what to do.
 */
import type pg from 'pg';
import type { PgRoleRisk, PgRoleWarning } from '../../../../src/protocol';

/**
 * Membership (not only inherited use) counts: a member can `set_config('role', ...)` to the role.
 * `to_regrole` keeps the query working on servers older than 11, which have no such roles.
 */
export const ROLE_QUERY = `SELECT current_user::text AS role, r.rolsuper AS superuser, r.rolcreaterole AS "createRole", r.rolbypassrls AS "bypassRls",
  CASE WHEN to_regrole('pg_read_server_files') IS NULL THEN false ELSE pg_has_role('pg_read_server_files', 'MEMBER') END AS "readServerFiles",
  CASE WHEN to_regrole('pg_write_server_files') IS NULL THEN false ELSE pg_has_role('pg_write_server_files', 'MEMBER') END AS "writeServerFiles",
  CASE WHEN to_regrole('pg_execute_server_program') IS NULL THEN false ELSE pg_has_role('pg_execute_server_program', 'MEMBER') END AS "executeServerProgram",
  current_setting('standard_conforming_strings') = 'on' AS "standardConformingStrings",
  current_setting('server_version_num')::int AS "serverVersionNum"
FROM pg_roles r WHERE r.rolname = current_user`;

export interface PgRoleFacts {
  role: string;
  superuser: boolean;
  readServerFiles: boolean;
  writeServerFiles: boolean;
  executeServerProgram: boolean;
  createRole: boolean;
  bypassRls: boolean;
  /** The SQL gate reads strings as the server does only while this is on (privileged-role.ts). */
  standardConformingStrings: boolean;
  /** 150020 for 15.20: CREATEROLE reaches the server's files before 16 (privileged-role.ts). */
  serverVersionNum: number;
}

export async function readRoleFacts(client: pg.ClientBase): Promise<PgRoleFacts> {
  const { rows } = await client.query<PgRoleFacts>(ROLE_QUERY);
  const row = rows[0];
  if (!row) throw new Error('the login role is missing from pg_roles');
  return row;
}

/** The rights that reach beyond the pipeline's tables, most serious first; a superuser's are all in `superuser`. */
export function roleRisks(facts: PgRoleFacts): PgRoleRisk[] {
  if (facts.superuser) return ['superuser'];
  const risks: PgRoleRisk[] = [];
  if (facts.executeServerProgram) risks.push('executeServerProgram');
  if (facts.readServerFiles) risks.push('readServerFiles');
  if (facts.writeServerFiles) risks.push('writeServerFiles');
  if (facts.createRole) risks.push('createRole');
  if (facts.bypassRls) risks.push('bypassRls');
  return risks;
}

const SAYS: Record<PgRoleRisk, string> = {
  superuser: 'is a superuser: SQL in a pipeline can read and write any file on the database server, run programs there and change any data or role',
  executeServerProgram: 'can run programs on the database server (member of pg_execute_server_program)',
  readServerFiles: 'can read files on the database server (member of pg_read_server_files)',
  writeServerFiles: 'can write files on the database server (member of pg_write_server_files)',
  createRole: 'can create roles and grant rights (CREATEROLE), which on PostgreSQL 15 and older includes the rights to reach the server’s files',
  bypassRls: 'reads rows hidden by row-level security (BYPASSRLS)',
};

const ADVICE = 'Connect with a role that has only the rights the pipeline needs: LOGIN, CONNECT on the database, USAGE on one schema and SELECT, INSERT, UPDATE on its tables (see “A role for Ferry” in the PostgreSQL help of the Integrations page).';

/** The warning for `facts`, or undefined when the role holds none of the rights above. */
export function roleWarning(facts: PgRoleFacts): PgRoleWarning | undefined {
  const risks = roleRisks(facts);
  if (risks.length === 0) return undefined;
  const said = risks.map((r) => SAYS[r]);
  const list = said.length === 1 ? said[0] : `${said.slice(0, -1).join('; ')}; and ${said[said.length - 1]}`;
  return { role: facts.role, risks, message: `Ferry logs in to PostgreSQL as “${facts.role}”, which ${list}. ${ADVICE}` };
}
