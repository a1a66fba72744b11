import 'fake-indexeddb/auto';
/** Concurrent lanes in one drive: several jobs in flight, still each record applied exactly once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../../../src/runs';
import { createIngestApi } from '../../support/servers/ingest-api';
import { startRestServer, type RestServer } from '../../support/servers/rest-server';
import { driveUntilIdle, harness } from './harness';
import { goodRecord, seedHttpPipeline } from './seed-pipeline';

let rest: RestServer;
beforeAll(async () => {
  rest = await startRestServer();
});
afterAll(() => rest.close());

describe('a drive with concurrency 4', () => {
  it('keeps several requests in flight and still applies every record once, under its own key', async () => {
    const api = createIngestApi();
    let inFlight = 0;
    let peak = 0;
    rest.route('/v1/data', async (req, res, ctx) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight -= 1;
      await api.handler(req, res, ctx);
    });
    const h = await harness({ deps: { concurrency: 4 } });
    const records = Array.from({ length: 20 }, (_, i) => goodRecord(i));
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(rest.origin), records });
    await driveUntilIdle(h);

    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(4);
    expect(api.applied).toHaveLength(20);
    expect(new Set(api.requests.map((r) => r.key)).size).toBe(20);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 20, failed: 0 } });
  });
});
