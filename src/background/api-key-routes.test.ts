import 'fake-indexeddb/auto';
/** The API key and audit routes are thin, for extension pages only, and none returns a key or edits an entry. */
import { describe, expect, it, vi } from 'vitest';
import { ApiKeys } from '../auth/api-keys';
import type { MessageType, RequestOf, ResponseOf } from '../messaging/contract';
import type { Route } from '../messaging/router';
import { readAuditSettings, writeAuditSettings } from '../storage/audit-settings';
import { createRepositories } from '../storage/repositories';
import { testDb } from '../storage/test-db.test-support';
import { apiKeyRoutes } from './api-key-routes';
import type { RunEngine } from './run-engine';

const KEY = 'key_live_ROUTES_0123456789';

async function setup() {
  const repos = createRepositories(await testDb());
  const fetch = vi.fn(async () => new Response('{"status":"valid"}', { status: 200 }));
  const keys = new ApiKeys(repos.db, repos.vault, repos.audit, { fetch: fetch as unknown as typeof globalThis.fetch });
  const engine = {
    repos: async () => repos, apiKeys: async () => keys,
    auditSettings: () => readAuditSettings(repos.db), setAuditSettings: (change: Parameters<typeof writeAuditSettings>[1]) => writeAuditSettings(repos.db, change),
  } as unknown as RunEngine;
  const routes = apiKeyRoutes(engine);
  const call = async <T extends keyof typeof routes & MessageType>(type: T, data: RequestOf<T>): Promise<ResponseOf<T>> => {
    const route = routes[type] as unknown as Route<T>;
    expect(route.allow).toEqual(['extension-page']);
    return route.handle(data, {});
  };
  return { repos, call, routes };
}

describe('API key and audit routes', () => {
  it('save, list, validate, rotate and delete a key; no answer holds its value', async () => {
    const { call } = await setup();
    const answers: unknown[] = [];
    answers.push(await call('apiKeys.save', { name: 'billing', value: KEY, baseUrl: 'https://api.example.com', auth: 'X-API-Key', apiKeyConfig: { validation: { testEndpoint: '/v', expectedResponse: { status: 'valid' } } } }));
    answers.push(await call('apiKeys.list', undefined));
    answers.push(await call('apiKeys.validate', { name: 'billing' }));
    answers.push(await call('apiKeys.rotate', { name: 'billing', newValue: `${KEY}2` }));
    expect(answers[1]).toMatchObject([{ name: 'billing', lastValidation: { ok: true } }]);
    expect(JSON.stringify(answers)).not.toContain(KEY);
    expect(await call('apiKeys.delete', { name: 'billing' })).toEqual({ deleted: true });
    expect(await call('apiKeys.list', undefined)).toEqual([]);
  });

  it('audit settings: read, change, and a shorter retention prunes at once; export as JSON Lines', async () => {
    const { call, repos } = await setup();
    expect(await call('audit.settings', undefined)).toEqual({ retentionDays: 30, recordBodies: false });
    await repos.audit.append({ runId: 'old', at: Date.now() - 10 * 86_400_000, method: 'POST', host: 'h', path: '/', durationMs: 1, attempt: 1, outcome: 'success' });
    await repos.audit.append({ runId: 'new', method: 'POST', host: 'h', path: '/', durationMs: 1, attempt: 1, outcome: 'success' });
    expect(await call('audit.setSettings', { retentionDays: 7 })).toEqual({ retentionDays: 7, recordBodies: false });
    const all = await call('audit.export', undefined);
    expect(all.count).toBe(1);
    expect(JSON.parse(all.jsonl.trim())).toMatchObject({ runId: 'new' });
    expect((await call('audit.export', { runId: 'old' })).count).toBe(0);
  });

  it('offers no route that changes or deletes an audit entry', async () => {
    const { routes } = await setup();
    expect(Object.keys(routes).filter((type) => type.startsWith('audit.')).sort()).toEqual(['audit.export', 'audit.setSettings', 'audit.settings']);
  });
});
