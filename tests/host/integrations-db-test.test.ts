import 'fake-indexeddb/auto';
/**
 * `integrations.test` for database integrations through the real host process: `SELECT 1` on a
 * SQLite file in the host's data folder and on the PostgreSQL server (127.0.0.1:5432, database
 * `test`, as a least-privilege role of this run's own, tests/support/pg-role.ts), the connection rendered in the
 * background ({{env.*}} from the store, {{credentials.*}} from the vault), a refused port answered
 * with the host's own message, which names host:port, and the superuser `postgres` warned about
 * beside "Connected".
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationRoutes } from '../../src/background/integration-routes';
import type { MessageType, RequestOf, ResponseOf } from '../../src/messaging/contract';
import type { Route } from '../../src/messaging/router';
import { NativeClient } from '../../src/native/client';
import { createRepositories } from '../../src/storage/repositories';
import { testDb } from '../../src/storage/test-db.test-support';
import { hostProcessConnector } from '../support/host-port';
import { isolatedEnv, tempDir } from './host-process';
import { adminClient, createTestRole, type TestRole } from '../support/pg-role';

const PASSWORD = 'pg-integration-canary-71c4';
let home: string;
let client: NativeClient;
let admin: pg.Client;
let role: TestRole;

beforeAll(async () => {
  home = tempDir('integrations-db');
  client = new NativeClient({ connector: hostProcessConnector(isolatedEnv({ FERRY_HOME: home })), backoff: { initialMs: 20, maxMs: 100 } });
  admin = await adminClient();
  role = await createTestRole(admin, 'ferry_itest');
});
afterAll(async () => {
  client.disconnect();
  rmSync(home, { recursive: true, force: true });
  await role?.drop();
  await admin?.end();
});

async function setup(dbUser = role.role) {
  const repos = createRepositories(await testDb());
  await repos.vault.setCredential('dbUser', dbUser);
  await repos.vault.setCredential('dbPassword', PASSWORD);
  await repos.env.set('DB_HOST', '127.0.0.1');
  await repos.env.set('DB_PORT', '5432');
  const routes = integrationRoutes({ repos: async () => repos, host: client });
  const call = async <T extends MessageType>(type: T, data: RequestOf<T>): Promise<ResponseOf<T>> => ((routes as unknown as Record<string, Route<T>>)[type]!).handle(data, {});
  return { repos, call };
}

const database = (id: string, connectionConfig: Record<string, unknown>) => ({ integration: { id, name: id, kind: 'database' as const, config: { connectionConfig: connectionConfig as never } } });

describe('integrations.test (databases, through the host)', () => {
  it('SQLite: SELECT 1 in a file of the host’s data folder', async () => {
    const { call } = await setup();
    await call('integrations.save', database('local', { type: 'sqlite', database: 'integration-test.sqlite' }));
    const result = await call('integrations.test', { id: 'local' });
    expect(result).toMatchObject({ ok: true, reachable: true, detail: 'Connected: SELECT 1 on sqlite:integration-test.sqlite' });
    const info = (await client.call('system.info', {})) as { dataDir: string };
    expect(existsSync(path.join(info.dataDir, 'integration-test.sqlite'))).toBe(true);
  });

  it('PostgreSQL: host and port from env, user and password from the vault', async () => {
    const { call } = await setup();
    await call('integrations.save', database('pg', { type: 'postgresql', host: '{{env.DB_HOST}}', port: '{{env.DB_PORT}}', database: 'test', username: '{{credentials.dbUser}}', password: '{{credentials.dbPassword}}', ssl: false }));
    const result = await call('integrations.test', { id: 'pg' });
    expect(result).toMatchObject({ ok: true, detail: 'Connected: SELECT 1 on postgresql:127.0.0.1:5432/test' });
    expect(result).not.toHaveProperty('warning');
    const [health] = await call('integrations.health', undefined);
    expect(health).toMatchObject({ id: 'pg', breaker: { key: 'db:postgresql:127.0.0.1:5432/test', state: 'closed' }, lastTest: { ok: true } });
  });

  it('PostgreSQL as the superuser postgres: connected, with a warning in words and what to do, kept with the last test', async () => {
    const { call } = await setup('postgres');
    await call('integrations.save', database('pg-super', { type: 'postgresql', host: '{{env.DB_HOST}}', port: '{{env.DB_PORT}}', database: 'test', username: 'postgres', password: '{{credentials.dbPassword}}', ssl: false }));
    const result = await call('integrations.test', { id: 'pg-super' });
    expect(result).toMatchObject({ ok: true, reachable: true, detail: 'Connected as postgres on postgresql:127.0.0.1:5432/test' });
    expect(result.warning).toMatch(/^Ferry logs in to PostgreSQL as “postgres”, which is a superuser: SQL in a pipeline can read and write any file on the database server, run programs there/);
    expect(result.warning).toMatch(/Connect with a role that has only the rights the pipeline needs/);
    expect(result.warning).toMatch(/Ferry runs none of this connection’s own SQL \(select and execute steps\)/);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    const health = (await call('integrations.health', undefined)).find((h) => h.id === 'pg-super');
    expect(health?.lastTest?.warning).toBe(result.warning);
  });

  it('a refused port: the host’s message names host:port, and no secret is in the answer', async () => {
    const { call } = await setup();
    await call('integrations.save', database('refused', { type: 'postgresql', host: '127.0.0.1', port: 1, database: 'test', username: '{{credentials.dbUser}}', password: '{{credentials.dbPassword}}' }));
    const result = await call('integrations.test', { id: 'refused' });
    expect(result).toMatchObject({ ok: false, reachable: false, detail: 'Database not reachable' });
    expect(result.error).toContain('127.0.0.1:1');
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });
});
