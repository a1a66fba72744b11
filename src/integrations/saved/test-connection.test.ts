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
  it('PostgreSQL: connected, with the role warning checked afresh by db.inspectRole and scrubbed of the credentials it used', async () => {
    const host = hostAnswering({ 'db.select': () => ({ columns: [], rows: [], rowCount: 1 }), 'db.inspectRole': () => ({ role: 'admin_user', superuser: true, warning: superuser }) });
    const result = await testIntegration(postgres, deps(host));
    expect(host.calls).toEqual(['db.select', 'db.inspectRole']);
    expect(result).toMatchObject({ ok: true, reachable: true, detail: 'Connected: SELECT 1 on postgresql:db.test:5432/wh' });
    expect(result.warning).toMatch(/^Ferry logs in to PostgreSQL as “\[redacted\]”, which is a superuser/i);
    expect(JSON.stringify(result)).not.toContain('admin_user');
  });

  it('PostgreSQL with a least-privilege role: no warning', async () => {
    const host = hostAnswering({ 'db.select': () => ({ columns: [], rows: [], rowCount: 1 }), 'db.inspectRole': () => ({ role: 'ferry_writer', superuser: false }) });
    expect(await testIntegration(postgres, deps(host))).not.toHaveProperty('warning');
  });

  it('a host that cannot check the role afresh: the warning the select came with', async () => {
    const host = hostAnswering({
      'db.select': () => ({ columns: [], rows: [], rowCount: 1, roleWarning: superuser }),
      'db.inspectRole': () => { throw new RpcError(ErrorCode.MethodNotFound, 'Method not found: db.inspectRole'); },
    });
    expect((await testIntegration(postgres, deps(host))).warning).toMatch(/which is a superuser/);
  });

  it('SQLite has no roles: SELECT 1 only', async () => {
    const host = hostAnswering({ 'db.select': () => ({ columns: [], rows: [], rowCount: 1 }) });
    const result = await testIntegration({ id: 'l', name: 'L', kind: 'database', config: { connectionConfig: { type: 'sqlite', database: 'l.sqlite' } } }, deps(host));
    expect(host.calls).toEqual(['db.select']);
    expect(result).toMatchObject({ ok: true, detail: 'Connected: SELECT 1 on sqlite:l.sqlite' });
    expect(result).not.toHaveProperty('warning');
  });
});
