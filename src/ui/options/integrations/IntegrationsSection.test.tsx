// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { parseIntegration } from '../../../integrations/saved/schema';
import type { IntegrationHealth, IntegrationInput } from '../../../integrations/saved/types';
import type { IntegrationRow } from '../../../storage/rows';
import { fakeSend } from '../../test-support/fake-send';
import { formProblems, emptyForm, inputOf, formOf } from './formModel';
import type { IntegrationsClient } from './integrationsClient';
import { IntegrationsSection } from './IntegrationsSection';

z.config({ jitless: true });
afterEach(cleanup);

const row = (input: IntegrationInput, extra: Partial<IntegrationRow> = {}): IntegrationRow => ({ ...input, createdAt: 1, updatedAt: 1, ...extra }) as IntegrationRow;
const CRM = row({ id: 'crm', name: 'CRM', kind: 'rest', config: { baseUrl: 'https://crm.example.com/v1', healthPath: '/health', auth: { type: 'bearer', token: '{{credentials.crmToken}}' } } });
const WAREHOUSE = row({ id: 'warehouse', name: 'Warehouse', kind: 'database', config: { connectionConfig: { type: 'sqlite', database: 'wh.sqlite' } } });

function fakeClient(rows: IntegrationRow[], overrides: Partial<IntegrationsClient> = {}): IntegrationsClient & { rows: IntegrationRow[] } {
  const state = { rows: [...rows] };
  const health = (): IntegrationHealth[] => state.rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, breaker: { key: r.id, state: r.id === 'crm' ? 'open' : 'closed' } }));
  const { send } = fakeSend({ 'host.call': () => ({ ok: true, result: { roots: [{ name: 'exports', path: '/home/ada/exports', default: true, readOnly: false, exists: true }], limits: { maxReadBytes: 1 << 26, maxWriteBytes: 1 << 26 } } }) });
  return Object.assign(state, {
    send,
    list: vi.fn(async () => state.rows),
    save: vi.fn(async (input: IntegrationInput) => {
      parseIntegration(input);
      const saved = row(input);
      state.rows = [...state.rows.filter((r) => r.id !== input.id), saved];
      return saved;
    }),
    remove: vi.fn(async (id: string) => {
      state.rows = state.rows.filter((r) => r.id !== id);
      return true;
    }),
    test: vi.fn(async (id: string) => (id === 'crm' ? { ok: false, reachable: true, latencyMs: 12, httpStatus: 401, detail: 'Reachable, credentials refused (GET crm.example.com/v1/health answered 401)', error: 'The server answered 401 Unauthorized: check the auth settings.', at: 5 } : { ok: true, reachable: true, latencyMs: 3, detail: 'Connected: SELECT 1 on sqlite:wh.sqlite', at: 5 })),
    health: vi.fn(async () => health()),
    credentialNames: vi.fn(async () => ['crmToken', 'dbPassword']),
    env: vi.fn(async () => ({})),
    listRoot: vi.fn(async () => ({ entries: 0 })),
    allowedOrigins: vi.fn(async () => []),
    requestOrigins: vi.fn(async () => true),
    ...overrides,
  });
}

describe('Integrations section', () => {
  it('lists integrations with kind, target and health; Test connection shows its result inline', async () => {
    const client = fakeClient([CRM, WAREHOUSE]);
    render(<IntegrationsSection client={client} />);
    const rows = await screen.findAllByTestId('integration-row');
    expect(rows.map((r) => r.dataset.kind)).toEqual(['rest', 'database']);
    expect(within(rows[0]!).getByTestId('integration-target').textContent).toBe('https://crm.example.com/v1');
    expect(within(rows[1]!).getByTestId('integration-target').textContent).toBe('SQLite wh.sqlite (host’s data folder)');
    await waitFor(() => expect(within(rows[0]!).getByTestId('integration-breaker').dataset.state).toBe('open'));
    expect(within(rows[0]!).getByTestId('integration-breaker').textContent).toBe('Circuit open');
    expect(within(rows[0]!).getByTestId('integration-last-test').textContent).toBe('Not tested');

    fireEvent.click(within(rows[0]!).getByTestId('integration-test'));
    const result = await within(rows[0]!).findByTestId('integration-test-result');
    expect(result.dataset.ok).toBe('false');
    expect(result.textContent).toContain('Reachable, credentials refused');
    expect(result.textContent).toContain('12 ms');
    expect(client.test).toHaveBeenCalledWith('crm');
    // Allow asks for the API's origin only, inside the click.
    fireEvent.click(within(rows[0]!).getByTestId('integration-allow'));
    expect(client.requestOrigins).toHaveBeenCalledWith(['https://crm.example.com/*']);
  });

  it('Test connection on a PostgreSQL integration shows the role warning beside "Connected"; the form explains the role to create', async () => {
    const PG = row({ id: 'pg', name: 'PG', kind: 'database', config: { connectionConfig: { type: 'postgresql', host: 'db.test', database: 'wh', username: 'postgres' } } });
    const warning = 'Ferry logs in to PostgreSQL as “postgres”, which is a superuser: SQL in a pipeline can read and write any file on the database server. Connect with a role that has only the rights the pipeline needs.';
    const client = fakeClient([PG], { test: vi.fn(async () => ({ ok: true, reachable: true, latencyMs: 4, detail: 'Connected: SELECT 1 on postgresql:db.test:5432/wh', warning, at: 5 })) });
    render(<IntegrationsSection client={client} />);
    const [pg] = await screen.findAllByTestId('integration-row');
    fireEvent.click(within(pg!).getByTestId('integration-test'));
    const result = await within(pg!).findByTestId('integration-test-result');
    expect(result.dataset.ok).toBe('true');
    expect(result.textContent).toContain('Connected: SELECT 1 on postgresql:db.test:5432/wh');
    expect(within(result).getByTestId('integration-test-warning').textContent).toBe(warning);

    fireEvent.click(within(pg!).getByTestId('integration-edit'));
    const help = await screen.findByTestId('postgres-role-help');
    expect(help.textContent).toContain('Ferry warns about such a role');
    const sql = within(help).getByTestId('postgres-role-sql').textContent!;
    for (const line of ['CREATE ROLE ferry_pipeline LOGIN PASSWORD', 'GRANT CONNECT ON DATABASE', 'GRANT USAGE ON SCHEMA ferry', 'GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ferry', 'ALTER DEFAULT PRIVILEGES IN SCHEMA ferry', 'GRANT CREATE ON SCHEMA ferry']) expect(sql).toContain(line);
  });

  it('shows empty, loading and error states', async () => {
    let fail = true;
    const client = fakeClient([], { list: vi.fn(async () => (fail ? Promise.reject(new Error('The vault is locked.')) : [])) });
    render(<IntegrationsSection client={client} />);
    expect(screen.getByTestId('integrations-loading')).toBeTruthy();
    expect((await screen.findByTestId('integrations-error')).textContent).toContain('The vault is locked.');
    fail = false;
    fireEvent.click(screen.getByText('Try again'));
    expect((await screen.findByTestId('integrations-empty')).textContent).toContain('No integrations yet');
  });

  it('creates a REST integration: the id follows the name, problems are named on their fields, a plain secret is refused', async () => {
    const client = fakeClient([]);
    render(<IntegrationsSection client={client} />);
    fireEvent.click(await screen.findByTestId('integration-add'));
    fireEvent.change(screen.getByTestId('integration-name'), { target: { value: 'Orders API (prod)' } });
    expect((screen.getByTestId('integration-id') as HTMLInputElement).value).toBe('orders-api-prod');
    fireEvent.change(screen.getByTestId('integration-baseUrl'), { target: { value: 'ftp://nope' } });
    expect(screen.getByTestId('integration-baseUrl-error').textContent).toMatch(/^Expected an absolute http or https URL/);
    fireEvent.change(screen.getByTestId('integration-baseUrl'), { target: { value: 'https://orders.example.com/v2' } });
    expect(screen.queryByTestId('integration-baseUrl-error')).toBeNull();
    fireEvent.change(screen.getByTestId('integration-authType'), { target: { value: 'bearer' } });
    fireEvent.change(screen.getByTestId('integration-token'), { target: { value: 'sk-live-plain' } });
    expect(screen.getByTestId('integration-token-error').textContent).toContain('a credential reference');
    expect(screen.getByTestId('integration-token-error').textContent).not.toContain('sk-live-plain');
    fireEvent.click(screen.getByTestId('integration-save'));
    expect(client.save).not.toHaveBeenCalled();
    expect(screen.getByTestId('integration-token').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByTestId('integration-token'), { target: { value: '{{credentials.crmToken}}' } });
    fireEvent.change(screen.getByTestId('integration-headers'), { target: { value: 'X-Client: ferry' } });
    fireEvent.click(screen.getByTestId('integration-save'));
    await waitFor(() => expect(client.save).toHaveBeenCalledTimes(1));
    expect(client.save).toHaveBeenCalledWith({ id: 'orders-api-prod', name: 'Orders API (prod)', kind: 'rest', config: { baseUrl: 'https://orders.example.com/v2', headers: { 'X-Client': 'ferry' }, auth: { type: 'bearer', token: '{{credentials.crmToken}}' } } }, true);
    expect((await screen.findByTestId('integration-saved')).textContent).toContain('Saved Orders API (prod).');
    expect(await screen.findAllByTestId('integration-allow')).toHaveLength(2); // in the notice and in the row
    expect(screen.getAllByTestId('integration-row')).toHaveLength(1);
  });

  it('edits a database integration (id fixed) and deletes after asking', async () => {
    const client = fakeClient([WAREHOUSE]);
    render(<IntegrationsSection client={client} />);
    fireEvent.click(await screen.findByTestId('integration-edit'));
    expect((screen.getByTestId('integration-id') as HTMLInputElement).readOnly).toBe(true);
    fireEvent.change(screen.getByTestId('integration-dbType'), { target: { value: 'postgresql' } });
    fireEvent.change(screen.getByTestId('integration-dbDatabase'), { target: { value: 'wh' } });
    fireEvent.change(screen.getByTestId('integration-dbHost'), { target: { value: '{{env.DB_HOST}}' } });
    fireEvent.change(screen.getByTestId('integration-dbPort'), { target: { value: '70000' } });
    expect(screen.getByTestId('integration-dbPort-error').textContent).toContain('a port number from 1 to 65535');
    fireEvent.change(screen.getByTestId('integration-dbPort'), { target: { value: '5433' } });
    fireEvent.change(screen.getByTestId('integration-dbPassword'), { target: { value: '{{credentials.dbPassword}}' } });
    fireEvent.click(screen.getByTestId('integration-save'));
    await waitFor(() => expect(client.save).toHaveBeenCalledWith({ id: 'warehouse', name: 'Warehouse', kind: 'database', config: { connectionConfig: { type: 'postgresql', database: 'wh', host: '{{env.DB_HOST}}', port: 5433, password: '{{credentials.dbPassword}}' } } }, false));
    expect(await screen.findByTestId('integration-saved')).toBeTruthy();

    fireEvent.click(screen.getByTestId('integration-delete'));
    fireEvent.click(screen.getByTestId('integration-delete-confirm'));
    expect((await screen.findByTestId('integrations-notice')).textContent).toContain('Deleted Warehouse');
    expect(await screen.findByTestId('integrations-empty')).toBeTruthy();
  });

  it('lists the granted folders with the command, and tests one by listing it', async () => {
    const client = fakeClient([]);
    render(<IntegrationsSection client={client} />);
    expect((await screen.findByTestId('granted-folders')).textContent).toContain('npx ferry-host roots add');
    fireEvent.click(await screen.findByTestId('root-test'));
    expect((await screen.findByTestId('root-test-result')).textContent).toBe('Readable (empty)');
    expect(client.listRoot).toHaveBeenCalledWith('/home/ada/exports');
  });

  it('round-trips every kind through the form model', () => {
    for (const r of [CRM, WAREHOUSE]) expect(inputOf(formOf(r))).toEqual({ id: r.id, name: r.name, kind: r.kind, config: r.config });
    expect(formProblems({ ...emptyForm('rest'), id: 'x', name: 'X', baseUrl: 'https://a.test', headers: 'no colon' }).byField.headers).toBe('Line 1: write each header as "Name: value".');
  });
});
