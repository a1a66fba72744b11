import 'fake-indexeddb/auto';
/** The new routes are thin: each one reaches the logic it names, for extension pages only. */
import { describe, expect, it, vi } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import type { MessageType, RequestOf, ResponseOf } from '../messaging/contract';
import type { Route } from '../messaging/router';
import type { NativeClient } from '../native/client';
import type { HostMonitor } from '../native/host-monitor';
import type { BreakerRegistry } from '../resilience';
import { createRunService } from '../runs';
import { createRepositories } from '../storage/repositories';
import { testDb } from '../storage/test-db.test-support';
import type { RunEngine } from './run-engine';
import { createRoutes } from './routes';

async function setup() {
  const repos = createRepositories(await testDb());
  const service = createRunService({ repos, breakers: {} as BreakerRegistry, resolveCredential: async () => undefined, owner: 'w1' });
  const engine: RunEngine = { service: async () => service, repos: async () => repos, vault: async () => repos.vault, pipelines: async () => repos.pipelines, kick: vi.fn(),
    vaultLock: () => Promise.reject(new Error('see vault-routes.test.ts')), oauth: () => Promise.reject(new Error('see vault-routes.test.ts')),
    apiKeys: () => Promise.reject(new Error('see api-key-routes.test.ts')), auditSettings: () => Promise.reject(new Error('see api-key-routes.test.ts')),
    setAuditSettings: () => Promise.reject(new Error('see api-key-routes.test.ts')) };
  const routes = createRoutes({} as NativeClient, {} as HostMonitor, engine);
  const call = async <T extends MessageType>(type: T, data: RequestOf<T>): Promise<ResponseOf<T>> => {
    const route = routes[type] as Route<T>;
    expect(route.allow).toEqual(['extension-page']);
    return route.handle(data, {});
  };
  return { repos, engine, call };
}

const DOCUMENT = {
  version: 1,
  id: 'orders',
  name: 'Orders',
  source: { type: 'supplied' },
  steps: [{ http: { method: 'POST', url: '{{env.API_BASE}}/v1/orders', body: '{{transformedData}}' } }],
};

describe('background routes', () => {
  it('answers only Ferry\'s own pages for everything that starts runs or reads tabs', () => {
    const routes = createRoutes({} as NativeClient, {} as HostMonitor, {} as RunEngine);
    // A content script runs inside a web page: it must never start a run, least of all with a pipeline it chose.
    expect(routes['runs.start'].allow).toEqual(['extension-page']);
    expect(routes['runs.startFromTab'].allow).toEqual(['extension-page']);
    for (const [type, route] of Object.entries(routes)) expect(route.allow, type).not.toContain('foreign');
  });

  it('env.set, env.list, env.delete', async () => {
    const { call } = await setup();
    expect(await call('env.set', { name: 'API_BASE', value: 'https://api.test' })).toMatchObject({ name: 'API_BASE', value: 'https://api.test' });
    expect((await call('env.list', undefined)).map((v) => [v.name, v.value])).toEqual([['API_BASE', 'https://api.test']]);
    expect(isFerryError(await call('env.set', { name: 'api_base', value: 'x' }).catch((e: unknown) => e), 'ENV_NAME_INVALID')).toBe(true);
    expect(await call('env.delete', { name: 'API_BASE' })).toEqual({ deleted: true });
    expect(await call('env.list', undefined)).toEqual([]);
  });

  it('pipelines.save, list, get and delete; runs.start by pipelineId', async () => {
    const { call, engine } = await setup();
    expect(await call('pipelines.save', { name: 'Orders', document: DOCUMENT })).toMatchObject({ id: 'orders', name: 'Orders' });
    expect((await call('pipelines.list', undefined)).map((p) => p.id)).toEqual(['orders']);
    expect(await call('pipelines.get', { id: 'orders' })).toMatchObject({ document: DOCUMENT });
    expect(isFerryError(await call('runs.start', { pipelineId: 'orders', records: [{}] }).catch((e: unknown) => e), 'ENV_NOT_SET')).toBe(true);
    await call('env.set', { name: 'API_BASE', value: 'https://api.test' });
    const { runId } = await call('runs.start', { pipelineId: 'orders', records: [{}] });
    expect(engine.kick).toHaveBeenCalledTimes(1);
    expect(await call('runs.get', { runId })).toMatchObject({ pipelineId: 'orders', jobs: { pending: 1 } });
    expect(await call('pipelines.delete', { id: 'orders' })).toEqual({ deleted: true });
    expect(await call('pipelines.get', { id: 'orders' })).toBeNull();
  });

  it('pipelines.save refuses to replace a saved pipeline unasked, and says how to keep both or replace', async () => {
    const { call } = await setup();
    await call('pipelines.save', { name: 'Orders', document: DOCUMENT });
    const error = await call('pipelines.save', { name: 'Other orders', document: DOCUMENT }).catch((e: unknown) => e);
    expect(isFerryError(error, 'PIPELINE_EXISTS')).toBe(true);
    expect((error as Error).message).toContain('"newId": true saves it as "other-orders"');
    expect(await call('pipelines.get', { id: 'orders' })).toMatchObject({ name: 'Orders' });
    expect(await call('pipelines.save', { name: 'Other orders', document: DOCUMENT, newId: true })).toMatchObject({ id: 'other-orders' });
    expect(await call('pipelines.save', { name: 'Orders again', document: DOCUMENT, replace: true })).toMatchObject({ id: 'orders', name: 'Orders again' });
    expect((await call('pipelines.list', undefined)).map((p) => p.id)).toEqual(['orders', 'other-orders']);
  });

  it('runs.jobs pages a run\'s jobs in order, with previews and no lease fields', async () => {
    const { call } = await setup();
    await call('env.set', { name: 'API_BASE', value: 'https://api.test' });
    await call('pipelines.save', { name: 'Orders', document: DOCUMENT });
    const records = Array.from({ length: 5 }, (_, i) => ({ order: i, note: 'x'.repeat(300) }));
    const { runId } = await call('runs.start', { pipelineId: 'orders', records });
    const page = await call('runs.jobs', { runId, offset: 1, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.offset).toBe(1);
    expect(page.jobs.map((j) => [j.seq, j.status, j.records])).toEqual([[1, 'pending', 1], [2, 'pending', 1]]);
    expect(page.jobs[0]!.preview.startsWith('{"order":1,"note":"xxx')).toBe(true);
    expect(page.jobs[0]!.preview.length).toBe(160);
    expect(Object.keys(page.jobs[0]!)).not.toContain('leaseId');
    expect(Object.keys(page.jobs[0]!)).not.toContain('leaseOwner');
    expect(await call('runs.jobs', { runId: 'nope' })).toEqual({ total: 0, offset: 0, jobs: [] });
  });

  it('runs.discardDeadLetters checks its target first', async () => {
    const { call } = await setup();
    expect(await call('runs.discardDeadLetters', { runId: 'r1' })).toEqual({ discarded: 0 });
    const error = await call('runs.discardDeadLetters', { ids: [1], runId: 'r1' } as never).catch((e: unknown) => e);
    expect(isFerryError(error, 'DEAD_LETTER_TARGET_INVALID')).toBe(true);
  });
});
