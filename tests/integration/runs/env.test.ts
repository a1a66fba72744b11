import 'fake-indexeddb/auto';
/**
 * {{env.NAME}} in a real run: values come from the env store at start and stay with the run, so a
 * new worker, and a dead letter replayed after the user changed the variable, send what the run
 * started with.
 */
import { describe, expect, it } from 'vitest';
import { harness } from './harness';
import { ingestServerPerTest } from './ingest-server';
import { goodRecord, seedBlock, seedHttpPipeline } from './seed-pipeline';

const server = ingestServerPerTest();

function envPipeline(origin: string) {
  const http = seedBlock('http-request', origin) as { headers: Record<string, string> };
  return seedHttpPipeline(origin, {
    http: { ...http, url: '{{env.API_BASE}}/v1/data', headers: { ...http.headers, 'X-Tenant': '{{env.TENANT}}' } },
    resultProcessing: { extractFields: ['id'], storage: { type: 'local', key: '{{env.TENANT}}_{{id}}' } },
  });
}

describe('runs and environment variables', () => {
  it('a new worker and a replay after the variables changed send the values the run started with', async () => {
    const h = await harness();
    await h.repos.env.set('API_BASE', server.rest.origin);
    await h.repos.env.set('TENANT', 'acme');
    server.api.failNext({ status: 400 }); // final: the first batch is dead-lettered
    const first = h.service('worker-1');
    const runId = await first.start({ pipeline: envPipeline(server.rest.origin), records: [goodRecord(0), goodRecord(1)] });
    await first.drive();
    const [letter] = await first.listDeadLetters({ runId });
    expect(letter).toBeDefined();

    // The user points the variables elsewhere; the run keeps its own copy.
    await h.repos.env.set('API_BASE', 'http://127.0.0.1:9');
    await h.repos.env.set('TENANT', 'globex');
    const second = h.service('worker-2');
    expect(await second.replayDeadLetters([letter!.id])).toEqual({ replayed: 1 });
    await second.drive();

    expect(server.api.requests.map((r) => [r.key, r.result, r.headers['x-tenant']])).toEqual([
      [`${runId}:0`, 'failed', 'acme'],
      [`${runId}:1`, 'applied', 'acme'],
      [`${runId}:0`, 'applied', 'acme'],
    ]);
    expect(await second.getRun(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 2, failed: 1 } });
    expect((await h.repos.results.list('acme_')).length).toBe(2);
    expect(await h.repos.results.list('globex_')).toEqual([]);
  });

  it('a variable that is not set refuses the run at start', async () => {
    const h = await harness();
    await h.repos.env.set('API_BASE', server.rest.origin);
    await expect(h.service('w1').start({ pipeline: envPipeline(server.rest.origin), records: [goodRecord(0)] })).rejects.toMatchObject({
      code: 'ENV_NOT_SET',
      message: expect.stringContaining('{{env.TENANT}} in steps[1].http.headers["X-Tenant"] (and 1 more place) reads the environment variable TENANT, which is not set'),
    });
    expect(await h.repos.runs.listResumable()).toEqual([]);
  });
});
