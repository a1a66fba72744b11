import { mutedClass } from '../../table';

/**
 * The SQL that makes a role with only the rights a pipeline needs, kept in step with the
 * "Databases / PostgreSQL" part of docs/ARCHITECTURE.md.
 */
export const LEAST_PRIVILEGE_ROLE_SQL = `-- As an administrator, once. Pick your own names and a long password.
CREATE ROLE ferry_pipeline LOGIN PASSWORD 'a-long-random-password';
GRANT CONNECT ON DATABASE crm TO ferry_pipeline;
CREATE SCHEMA IF NOT EXISTS ferry;
GRANT USAGE ON SCHEMA ferry TO ferry_pipeline;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ferry TO ferry_pipeline;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA ferry TO ferry_pipeline;
-- Tables and sequences you create there later get the same rights:
ALTER DEFAULT PRIVILEGES IN SCHEMA ferry GRANT SELECT, INSERT, UPDATE ON TABLES TO ferry_pipeline;
ALTER DEFAULT PRIVILEGES IN SCHEMA ferry GRANT USAGE ON SEQUENCES TO ferry_pipeline;
-- Unqualified table names in the pipeline land in that schema:
ALTER ROLE ferry_pipeline SET search_path = ferry;
-- Only if the pipeline deletes rows:
--   GRANT DELETE ON ALL TABLES IN SCHEMA ferry TO ferry_pipeline;
-- Only if the pipeline creates its own tables (createTable, CREATE TABLE):
--   GRANT CREATE ON SCHEMA ferry TO ferry_pipeline;`;

/** Help beside a PostgreSQL integration's fields: which role to log in as, and the SQL to make it. */
export function PostgresRoleHelp() {
  return (
    <details className="rounded-md bg-zinc-50 px-3 py-2 text-[13px] ring-1 ring-zinc-200 ring-inset dark:bg-zinc-800/60 dark:ring-zinc-700" data-testid="postgres-role-help">
      <summary className="cursor-pointer font-medium text-zinc-800 dark:text-zinc-200">A role for Ferry: only the rights the pipeline needs</summary>
      <div className="mt-2 space-y-2 text-zinc-700 dark:text-zinc-300">
        <p>
          A pipeline’s SQL runs with the rights of the role Ferry logs in as. A superuser, or a member of pg_read_server_files, pg_write_server_files or
          pg_execute_server_program, can read and write files on the database server and run programs there, whatever the pipeline says. Ferry warns about
          such a role in “Test connection” and in every run that uses it, and runs no select or execute step through it unless its connection says
          "allowPrivilegedRole": true.
        </p>
        <p>Log in as a role of its own instead: it may connect, use one schema, and read and write the tables in it.</p>
        <pre className="overflow-x-auto rounded bg-white p-2 font-mono text-[11px] leading-relaxed ring-1 ring-zinc-200 ring-inset dark:bg-zinc-900 dark:ring-zinc-700" data-testid="postgres-role-sql">
          {LEAST_PRIVILEGE_ROLE_SQL}
        </pre>
        <p className={mutedClass}>Keep the password in the vault (Credentials) and write {'{{credentials.dbPassword}}'} above. Never give this role SUPERUSER, CREATEROLE or BYPASSRLS.</p>
      </div>
    </details>
  );
}
