import 'fake-indexeddb/auto';
/**
 * The circuit breaker's fallbacks in a durable run. The breaker (cockatiel) reads Date.now, so these
 * tests fake Date alone (timers and I/O stay real) and move it together with the run's clock.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { drive, startRun } from '../../../src/runs';
import { createIngestApi, type IngestApi } from '../../support/servers/ingest-api';
import { sendJson } from '../../support/servers/respond';
import { startRestServer, type RestServer } from '../../support/servers/rest-server';
import { driveUntilIdle, harness, type Harness } from './harness';
import { goodRecord, seedHttpPipeline } from './seed-pipeline';

let rest: RestServer;
let api: IngestApi;
beforeAll(async () => {
  rest = await startRestServer();
});
afterAll(() => rest.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  api = createIngestApi();
  rest.route('/v1/data', api.handler);
});
afterEach(() => {
  vi.useRealTimers();
});

function setTime(h: Harness, at: number): void {
  h.clock.set(at);
  vi.setSystemTime(at);
}

const openAfter = (failureThreshold: number, fallbackAction: string) => ({ circuitBreaker: { failureThreshold, resetTimeout: 60_000, fallbackAction } });

describe('circuit breaker fallbacks', () => {
  it("'queue': once the circuit opens, batches wait for its retry time without spending attempts, then go through once it closes", async () => {
    const h = await harness();
    const t0 = Date.now();
    setTime(h, t0);
    api.storm({ status: 503 });
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(rest.origin, openAfter(2, 'queue')), records: [0, 1, 2, 3].map(goodRecord) });

    expect(await drive(h.deps, { owner: 'w1' })).toMatchObject({ processed: 4 });
    expect(api.requests).toHaveLength(2); // the two failures that opened the circuit
    const jobs = await h.repos.jobs.listByRun(runId);
    expect(jobs.map((j) => [j.lastOutcome?.label, j.lastOutcome?.details?.attemptsMade])).toEqual([
      ['server_error', 1],
      ['server_error', 1],
      ['circuit_open', 0],
      ['circuit_open', 0],
    ]);
    expect(jobs[2]!.nextAttemptAt).toBe(t0 + 60_000);

    // The first two come due for their retry while the circuit is still open: queued again, attempts unspent.
    setTime(h, jobs[0]!.nextAttemptAt);
    await drive(h.deps, { owner: 'w1' });
    expect(api.requests).toHaveLength(2);
    expect((await h.repos.jobs.listByRun(runId)).map((j) => [j.status, j.lastOutcome?.label, j.lastOutcome?.details?.attemptsMade, j.nextAttemptAt])).toEqual([
      ['pending', 'circuit_open', 1, t0 + 60_000],
      ['pending', 'circuit_open', 1, t0 + 60_000],
      ['pending', 'circuit_open', 0, t0 + 60_000],
      ['pending', 'circuit_open', 0, t0 + 60_000],
    ]);

    api.storm(undefined);
    setTime(h, t0 + 60_000); // the open period is over: the first call is the half-open probe
    await driveUntilIdle(h);
    expect(api.requests.slice(2).map((r) => [r.key, r.result])).toEqual([0, 1, 2, 3].map((i) => [`${runId}:${i}`, 'applied']));
    expect(api.applied).toHaveLength(4);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 4, failed: 0, retried: 2 } });
  });

  it("'fail': a refused batch goes to the dead-letter list at once, without a request", async () => {
    const h = await harness();
    api.storm({ status: 503 });
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(rest.origin, openAfter(1, 'fail')), records: [goodRecord(0), goodRecord(1)] });
    await drive(h.deps, { owner: 'w1' });
    expect(api.requests.map((r) => r.key)).toEqual([`${runId}:0`]);
    const letters = await h.repos.deadLetters.list({ runId });
    expect(letters.map((l) => [l.idempotencyKey, l.lastOutcome.label])).toEqual([[`${runId}:1`, 'circuit_open']]);
    expect(letters[0]!.lastOutcome.message).toMatch(/failed repeatedly, so Ferry stopped calling it/);
  });

  it("'useCache': a refused GET is answered by the last good response, and its result is stored as if fresh", async () => {
    const h = await harness();
    let failing = false;
    rest.route('/v1/items', (_req, res, { url }) => {
      if (failing) return sendJson(res, 503, { error: 'down' });
      sendJson(res, 200, { id: url.searchParams.get('id'), status: 'in stock' });
    });
    const pipeline = {
      version: 1, id: 'items', name: 'Item lookups', source: { type: 'supplied' },
      steps: [
        { dataTransformation: { mapping: { id: '{{extracted.id}}' } } },
        {
          http: { method: 'GET', url: `${rest.origin}/v1/items`, query: { id: '{{transformedData.id}}' } },
          retryStrategy: { maxAttempts: 1 },
          ...openAfter(1, 'useCache'),
          resultProcessing: { extractFields: ['id', 'status'], storage: { type: 'local', key: 'item_{{id}}' } },
        },
      ],
    };
    await startRun(h.deps, { pipeline, records: [{ id: 'a' }, { id: 'b' }] });
    await driveUntilIdle(h);
    await h.repos.results.delete('item_b');
    const before = rest.requests.length;

    failing = true;
    const runId = await startRun(h.deps, { pipeline, records: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    await drive(h.deps, { owner: 'w1' });

    expect(rest.requests.slice(before).map((r) => r.query.id)).toEqual([['a']]); // a failed and opened the circuit; b and c were refused
    const jobs = await h.repos.jobs.listByRun(runId);
    expect(jobs.map((j) => [j.status, j.lastOutcome?.label])).toEqual([['deadLettered', 'server_error'], ['done', 'served_from_cache'], ['deadLettered', 'circuit_open']]);
    expect((await h.repos.results.get('item_b'))?.value).toEqual({ id: 'b', status: 'in stock' });
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'failed', counts: { sent: 1, failed: 2 }, error: { code: 'RUN_COMPLETED_WITH_FAILURES' } });
  });
});
