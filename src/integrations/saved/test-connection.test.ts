import { describe, expect, it, vi } from 'vitest';
import { RpcError, ErrorCode } from '../../protocol/errors';
import type { HostCaller } from '../host/call';
import { testIntegration } from './test-connection';
import type { IntegrationInput } from './types';

const superuser = { role: 'admin_user', risks: ['superuser'], message: 'Ferry logs in to PostgreSQL as “admin_user”, which is a superuser: … Connect with a role that has only the rights the pipeline needs.' };

function hostAnswering(answers: Record<string, (params: unknown) => unknown>): HostCaller & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    call: vi.fn(async (method: string, params: unknown) => {
      calls.push(method);
      return answers[method]!(params);
    }) as HostCaller['call'],
  };
}

const deps = (host: HostCaller) => ({ host, env: async () => ({}), resolveCredential: async (name: string) => (name === 'dbUser' ? 'admin_user' : 'pw-secret') });
const postgres: IntegrationInput = { id: 'wh', name: 'WH', kind: 'database', config: { connectionConfig: { type: 'postgresql', host: 'db.test', database: 'wh', username: '{{credentials.dbUser}}', password: '{{credentials.dbPassword}}' } } };

describe('Test connection for a database', () => {
  it('PostgreSQL as a superuser: connected, runs no SELECT 1 (the host would refuse it), and says why and what to do, scrubbed of the credentials it used', async () => {
    const host = hostAnswering({ 'db.inspectRole': () => ({ role: 'admin_user', superuser: true, readServerFiles: true, writeServerFiles: true, executeServerProgram: true, createRole: true, serverVersionNum: 150020, warning: superuser }) });
    const result = await testIntegration(postgres, deps(host));
    expect(host.calls).toEqual(['db.inspectRole']);
    expect(result).toMatchObject({ ok: true, reachable: true, detail: 'Connected as [redacted] on postgresql:db.test:5432/wh' });
    expect(result.warning).toMatch(/^Ferry logs in to PostgreSQL as “\[redacted\]”, which is a superuser/i);
    expect(result.warning).toMatch(/runs none of this connection’s own SQL \(select and execute steps\); inserts still run\. To run it anyway, set "allowPrivilegedRole": true/);
    expect(JSON.stringify(result)).not.toContain('admin_user');
  });

  it('PostgreSQL as a superuser the connection allows: SELECT 1 runs, and the warning stays', async () => {
    const host = hostAnswering({ 'db.inspectRole': () => ({ role: 'admin_user', superuser: true, readServerFiles: true, writeServerFiles: true, executeServerProgram: true, createRole: true, serverVersionNum: 150020, warning: superuser }), 'db.select': () => ({ columns: [], rows: [], rowCount: 1 }) });
    const allowed: IntegrationInput = { ...postgres, config: { connectionConfig: { ...(postgres.config as { connectionConfig: object }).connectionConfig, allowPrivilegedRole: true } } } as IntegrationInput;
    const result = await testIntegration(allowed, deps(host));
    expect(host.calls).toEqual(['db.inspectRole', 'db.select']);
    expect(result).toMatchObject({ ok: true, detail: 'Connected: SELECT 1 on postgresql:db.test:5432/wh' });
    expect(result.warning).toMatch(/which is a superuser/);
  });

  it('PostgreSQL with a least-privilege role: the role checked, SELECT 1, no warning', async () => {
    const host = hostAnswering({ 'db.select': () => ({ columns: [], rows: [], rowCount: 1 }), 'db.inspectRole': () => ({ role: 'ferry_writer', superuser: false, readServerFiles: false, writeServerFiles: false, executeServerProgram: false, createRole: false, serverVersionNum: 150020 }) });
    expect(await testIntegration(postgres, deps(host))).not.toHaveProperty('warning');
    expect(host.calls).toEqual(['db.inspectRole', 'db.select']);
  });

  it('a host that cannot check the role: Test connection fails with the host’s message', async () => {
    const host = hostAnswering({ 'db.inspectRole': () => { throw new RpcError(ErrorCode.MethodNotFound, 'Method not found: db.inspectRole'); } });
    expect(await testIntegration(postgres, deps(host))).toMatchObject({ ok: false });
  });

  it('SQLite has no roles: SELECT 1 only', async () => {
    const host = hostAnswering({ 'db.select': () => ({ columns: [], rows: [], rowCount: 1 }) });
    const result = await testIntegration({ id: 'l', name: 'L', kind: 'database', config: { connectionConfig: { type: 'sqlite', database: 'l.sqlite' } } }, deps(host));
    expect(host.calls).toEqual(['db.select']);
    expect(result).toMatchObject({ ok: true, detail: 'Connected: SELECT 1 on sqlite:l.sqlite' });
    expect(result).not.toHaveProperty('warning');
  });
});
