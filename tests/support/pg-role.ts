/**
 * A least-privilege PostgreSQL role for tests, as docs/ARCHITECTURE.md tells users to make one: LOGIN
 * with a password, CONNECT on the database, USAGE and CREATE on one schema of its own (the tests'
 * pipelines create their tables), and SELECT, INSERT, UPDATE, DELETE on the tables in it, those the
 * admin makes included (ALTER DEFAULT PRIVILEGES). Names carry the pid and a random suffix: other
 * test runs share the server. `drop()` removes schema and role (REASSIGN / DROP OWNED first).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_SERVER = { host: '127.0.0.1', port: 5432, database: 'test' };

export interface TestRole {
  role: string;
  password: string;
  schema: string;
  /** `connectionConfig` fields for the host: host, port, database, username, password. */
  login: { host: string; port: number; database: string; username: string; password: string };
  drop(): Promise<void>;
}

/** A pg.Client as the superuser `postgres` (trust auth on this machine), connected. */
export async function adminClient(): Promise<pg.Client> {
  const admin = new pg.Client({ ...PG_SERVER, user: 'postgres' });
  await admin.connect();
  return admin;
}

export async function createTestRole(admin: pg.Client, prefix: string, extraGrants: string[] = [], options: { password?: string } = {}): Promise<TestRole> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const role = `${prefix}_role_${suffix}`;
  const schema = `${prefix}_${suffix}`;
  const password = options.password ?? `pw-${randomBytes(8).toString('hex')}`;
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  for (const grant of [
    `GRANT CONNECT ON DATABASE ${PG_SERVER.database} TO ${role}`,
    `GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE ON SEQUENCES TO ${role}`,
    // Unqualified names land in the role's schema, as a pipeline's would.
    `ALTER ROLE ${role} SET search_path = ${schema}`,
    ...extraGrants.map((g) => g.replaceAll('{role}', role).replaceAll('{schema}', schema)),
  ]) {
    await admin.query(grant);
  }
  return {
    role,
    password,
    schema,
    login: { ...PG_SERVER, username: role, password },
    drop: async () => {
      // A statement of the role's still running (a test that failed mid-way) would hold its locks.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.query(`REASSIGN OWNED BY ${role} TO postgres`);
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    },
  };
}
