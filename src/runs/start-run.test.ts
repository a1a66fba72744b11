import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import type { BreakerRegistry } from '../resilience';
import { createRepositories } from '../storage/repositories';
import { testClock, testDb } from '../storage/test-db.test-support';
import { renderDelivery } from './render-delivery';
import { runContext } from './run-context';
import { savePipeline } from './saved-pipelines';
import { startRun } from './start-run';
import type { RunDeps } from './types';

const PIPELINE = {
  version: 1,
  id: 'orders',
  name: 'Orders',
  source: { type: 'supplied' },
  steps: [
    { dataTransformation: { mapping: { id: '{{extracted.id}}', tenant: '{{env.TENANT}}' } } },
    { http: { method: 'POST', url: '{{env.API_BASE}}/v1/orders', headers: { 'X-Region': '{{env.REGION | default: "eu"}}' }, body: '{{transformedData}}' } },
  ],
};

async function setup(deps: Partial<RunDeps> = {}) {
  const clock = testClock(1_000);
  const repos = createRepositories(await testDb(), { now: clock.now });
  const run: RunDeps = { repos, breakers: {} as BreakerRegistry, resolveCredential: async () => undefined, now: clock.now, ...deps };
  return { repos, deps: run };
}

/** What the first batch of the run would send now, rendered the way a (new) worker renders it. */
async function firstRequest(deps: RunDeps, runId: string) {
  const context = await runContext(deps.repos.db, (await deps.repos.runs.get(runId))!);
  const [job] = await deps.repos.db.jobs.where('[runId+seq]').equals([runId, 0]).toArray();
  const rendered = await renderDelivery(context.plan, job!, context.source, deps);
  return { url: rendered.url, records: job!.records };
}

describe('startRun and {{env.NAME}}', () => {
  it('copies the values the pipeline reads into the run, which renders with them after the store changes', async () => {
    const { repos, deps } = await setup();
    await repos.env.set('API_BASE', 'https://one.test');
    await repos.env.set('TENANT', 'acme');
    await repos.env.set('UNUSED', 'not copied');
    const runId = await startRun(deps, { pipeline: PIPELINE, records: [{ id: 1 }] });
    const definition = await repos.db.runDefinitions.get(runId);
    expect(definition!.env).toEqual({ API_BASE: 'https://one.test', TENANT: 'acme' });

    await repos.env.set('API_BASE', 'https://two.test');
    await repos.env.delete('TENANT');
    expect(await firstRequest(deps, runId)).toEqual({ url: 'https://one.test/v1/orders', records: [{ id: 1, tenant: 'acme' }] });
  });

  it('refuses to start, creating nothing, when a variable read without a default is not set', async () => {
    const { repos, deps } = await setup();
    await repos.env.set('TENANT', 'acme');
    const error: unknown = await startRun(deps, { pipeline: PIPELINE, records: [{ id: 1 }] }).catch((e: unknown) => e);
    expect(isFerryError(error, 'ENV_NOT_SET')).toBe(true);
    expect((error as Error).message).toContain('{{env.API_BASE}} in steps[1].http.url reads the environment variable API_BASE, which is not set');
    expect(await repos.db.runs.count()).toBe(0);
    expect(await repos.db.jobs.count()).toBe(0);
  });

  it('deps.env overrides the store at start and the stored values at send time (tests)', async () => {
    const { repos, deps } = await setup({ env: { API_BASE: 'https://override.test', TENANT: 't' } });
    await repos.env.set('API_BASE', 'https://store.test');
    const runId = await startRun(deps, { pipeline: PIPELINE, records: [{ id: 1 }] });
    expect((await firstRequest(deps, runId)).url).toBe('https://override.test/v1/orders');
    expect((await firstRequest({ ...deps, env: { API_BASE: 'https://later.test' } }, runId)).url).toBe('https://later.test/v1/orders');
  });

  it('starts a saved pipeline by id; a repeated start with the same runId changes nothing, even if the env changed', async () => {
    const { repos, deps } = await setup();
    await savePipeline(repos.pipelines, { name: 'Orders', document: PIPELINE });
    await repos.env.set('API_BASE', 'https://one.test');
    await repos.env.set('TENANT', 'acme');
    const runId = await startRun(deps, { pipelineId: 'orders', records: [{ id: 1 }], runId: 'r1' });
    expect(runId).toBe('r1');
    expect(await repos.runs.get('r1')).toMatchObject({ pipelineId: 'orders', counts: { extracted: 1 } });
    await repos.env.delete('TENANT');
    expect(await startRun(deps, { pipelineId: 'orders', records: [{ id: 1 }], runId: 'r1' })).toBe('r1');
    expect(await repos.db.jobs.count()).toBe(1);
    expect(isFerryError(await startRun(deps, { pipeline: PIPELINE, pipelineId: 'orders', records: [] }).catch((e: unknown) => e), 'RUN_START_INVALID')).toBe(true);
  });

  it('a run keeps the name its pipeline had when it started: renaming or replacing the pipeline does not relabel it', async () => {
    const { repos, deps } = await setup();
    await repos.env.set('API_BASE', 'https://one.test');
    await repos.env.set('TENANT', 'acme');
    await savePipeline(repos.pipelines, { name: 'Orders to CRM', document: PIPELINE });
    await startRun(deps, { pipelineId: 'orders', records: [{ id: 1 }], runId: 'before' });
    await savePipeline(repos.pipelines, { name: 'Invoices', document: PIPELINE, replace: true });
    await startRun(deps, { pipelineId: 'orders', records: [{ id: 1 }], runId: 'after' });
    await startRun(deps, { pipeline: PIPELINE, records: [{ id: 1 }], runId: 'inline' });
    expect(await repos.runs.get('before')).toMatchObject({ pipelineId: 'orders', pipelineName: 'Orders to CRM' });
    expect(await repos.runs.get('after')).toMatchObject({ pipelineId: 'orders', pipelineName: 'Invoices' });
    expect(await repos.runs.get('inline')).toMatchObject({ pipelineName: 'Orders' });
  });
});
