import 'fake-indexeddb/auto';
/** A pipeline built from the seed's blocks, run end to end against a real local API. */
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../../src/errors/ferry-error';
import { startRun } from '../../../src/runs';
import { API_TOKEN, driveUntilIdle, harness } from './harness';
import { ingestServerPerTest } from './ingest-server';
import { goodRecord, seedHttpPipeline } from './seed-pipeline';

const server = ingestServerPerTest();

describe('a supplied-records run of the seed pipeline', () => {
  it('delivers every accepted record exactly once with its job key, stores rejects with reasons, audits each request without secrets', async () => {
    const h = await harness();
    const records = [goodRecord(0), { field2: 'no-field1@example.test' }, goodRecord(1), { field1: 'bad-email', field2: 'not an email' }, goodRecord(2)];
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records, source: { url: 'https://shop.example.test/orders' } });

    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'queued', counts: { extracted: 5, rejected: 2, sent: 0 } });
    await driveUntilIdle(h);

    expect(server.api.applied.map((r) => (r as { apiField1: string }).apiField1)).toEqual(['item-0', 'item-1', 'item-2']);
    expect(server.api.requests.map((r) => r.key)).toEqual([`${runId}:0`, `${runId}:1`, `${runId}:2`]);
    expect(server.api.requests.every((r) => r.headers.authorization === `Bearer ${API_TOKEN}`)).toBe(true);
    expect(server.api.requests[0]!.body).toMatchObject({ data: { apiField1: 'item-0', apiField2: 'user0@example.test' }, metadata: { source: 'browser-workflow' } });

    const rejects = await h.repos.rejects.listByRun(runId);
    expect(rejects.map((r) => r.record)).toEqual([records[1], records[3]]);
    expect(rejects[0]!.reasons).toEqual([expect.objectContaining({ path: 'apiField1', rule: 'template' })]);
    expect(rejects[1]!.reasons).toEqual([expect.objectContaining({ path: 'apiField2', rule: 'format', message: expect.stringContaining('email') })]);

    const run = await h.repos.runs.get(runId);
    expect(run).toMatchObject({ status: 'succeeded', counts: { extracted: 5, rejected: 2, sent: 3, failed: 0, retried: 0 } });
    expect(run!.error).toBeUndefined();

    const audit = await h.repos.audit.listByRun(runId);
    const host = new URL(server.rest.origin).host;
    expect(audit.map(({ method, host: h2, path, status, attempt, outcome }) => ({ method, host: h2, path, status, attempt, outcome }))).toEqual(
      [0, 1, 2].map(() => ({ method: 'POST', host, path: '/v1/data', status: 201, attempt: 1, outcome: 'success' })),
    );
    expect(JSON.stringify(audit)).not.toContain(API_TOKEN);
    expect(h.errors).toEqual([]);
  });

  it('a run whose every record is rejected ends nothingSent, not succeeded, and sends nothing', async () => {
    const h = await harness();
    const records = [{ field2: 'no-field1@example.test' }, { field1: 'bad-email', field2: 'not an email' }];
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records });
    await driveUntilIdle(h);
    expect(server.api.requests).toEqual([]);
    expect(await h.repos.runs.get(runId)).toMatchObject({
      status: 'nothingSent',
      counts: { extracted: 2, rejected: 2, sent: 0, failed: 0 },
      error: { code: 'RUN_NOTHING_SENT', message: 'Nothing sent: all 2 records were rejected.' },
    });
    expect(h.errors).toEqual([]);
  });

  it('stores resultProcessing output under the templated key, with parseDate normalized to UTC', async () => {
    const h = await harness();
    await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0), goodRecord(1)] });
    await driveUntilIdle(h);
    const results = await h.repos.results.list('api_results_');
    expect(results.map((r) => [r.key, r.value])).toEqual([
      ['api_results_rec-1', { id: 'rec-1', status: 'created', createdAt: '2024-05-01T08:00:00.000Z' }],
      ['api_results_rec-2', { id: 'rec-2', status: 'created', createdAt: '2024-05-01T08:00:00.000Z' }],
    ]);
  });

  it('batch mode: N records per request under one key per batch, {{transformedData}} is the list', async () => {
    const h = await harness();
    const records = Array.from({ length: 5 }, (_, i) => goodRecord(i));
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin, { batching: { mode: 'batch', size: 2 } }), records });
    expect((await h.repos.jobs.listByRun(runId)).map((j) => j.records.length)).toEqual([2, 2, 1]);
    await driveUntilIdle(h);
    expect(server.api.requests.map((r) => r.key)).toEqual([`${runId}:0`, `${runId}:1`, `${runId}:2`]);
    expect(server.api.requests.map((r) => ((r.body as { data: unknown[] }).data).length)).toEqual([2, 2, 1]);
    expect(server.api.applied).toHaveLength(5);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 5 } });
  });

  it('refuses pipelines it cannot run, creating nothing', async () => {
    const h = await harness();
    const pipeline = seedHttpPipeline(server.rest.origin);
    const steps = pipeline.steps as unknown[];
    const twoDeliveries = { ...pipeline, steps: [...steps, steps[1]] };
    const deliveryFirst = { ...pipeline, steps: [steps[1], steps[0]] };
    for (const shape of [twoDeliveries, deliveryFirst]) {
      const error = await startRun(h.deps, { pipeline: shape, records: [goodRecord(0)] }).catch((e: unknown) => e);
      expect(isFerryError(error, 'PIPELINE_UNSUPPORTED_SHAPE')).toBe(true);
      expect((error as Error).message).toMatch(/zero or more "dataTransformation" steps followed by exactly one "http", "graphqlConfig", "database" or "file" delivery step/);
    }
    const credentialMapping = { ...pipeline, steps: [{ dataTransformation: { mapping: { token: '{{credentials.apiToken}}' } } }, steps[1]] };
    await expect(startRun(h.deps, { pipeline: credentialMapping, records: [goodRecord(0)] })).rejects.toMatchObject({ code: 'PIPELINE_UNSUPPORTED_SHAPE' });
    expect(await h.repos.runs.listResumable()).toEqual([]);
  });

  it('a start repeated with the same runId changes nothing', async () => {
    const h = await harness();
    const input = { pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0), goodRecord(1)], runId: 'run-fixed' };
    expect(await startRun(h.deps, input)).toBe('run-fixed');
    expect(await startRun(h.deps, input)).toBe('run-fixed');
    expect(await h.repos.jobs.listByRun('run-fixed')).toHaveLength(2);
    expect((await h.repos.runs.get('run-fixed'))!.counts.extracted).toBe(2);
  });
});
