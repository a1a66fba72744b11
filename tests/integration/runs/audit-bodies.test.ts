import 'fake-indexeddb/auto';
/**
 * The audit trail of real runs: one entry per request with its operation, and the request body only
 * when the user turned "record payload bodies" on, scrubbed of the credentials the request carried.
 */
import { describe, expect, it } from 'vitest';
import { API_TOKEN, driveUntilIdle, harness } from './harness';
import { ingestServerPerTest } from './ingest-server';
import { goodRecord, seedBlock, seedHttpPipeline } from './seed-pipeline';

const ingest = ingestServerPerTest();

/** The seed's request with the token also in the body, as some APIs want it. */
function pipelineWithTokenInBody(origin: string) {
  const http = seedBlock('http-request', origin) as { body: { metadata: Record<string, unknown> } };
  http.body.metadata.apiKey = '{{credentials.apiToken}}';
  const pipeline = seedHttpPipeline(origin);
  (pipeline.steps as Record<string, unknown>[])[1]!.http = http;
  return pipeline;
}

describe('audit entries of a run', () => {
  it('record no body by default: method, host, path, status, duration, attempt, outcome and operation', async () => {
    const h = await harness();
    const runId = await h.service().start({ pipeline: seedHttpPipeline(ingest.rest.origin), records: [goodRecord(1), goodRecord(2)] });
    await driveUntilIdle(h);
    const entries = await h.repos.audit.listByRun(runId);
    expect(entries).toHaveLength(ingest.api.requests.length);
    for (const entry of entries) {
      expect(entry).toMatchObject({ runId, pipelineId: 'seed-http', operation: 'http', method: 'POST', host: new URL(ingest.rest.origin).host, path: '/v1/data', status: 201, attempt: 1, outcome: 'success' });
      expect(entry).not.toHaveProperty('body');
    }
  });

  it('record the body, scrubbed of the request\'s credentials, once the user opts in', async () => {
    let recordBodies = false;
    const h = await harness({ deps: { recordAuditBodies: () => recordBodies } });
    recordBodies = true;
    const runId = await h.service().start({ pipeline: pipelineWithTokenInBody(ingest.rest.origin), records: [goodRecord(7)] });
    await driveUntilIdle(h);
    expect(ingest.api.requests.map((r) => r.result)).toEqual(['applied']);
    const [entry] = await h.repos.audit.listByRun(runId);
    const body = JSON.parse(entry!.body!) as { data: unknown; metadata: Record<string, unknown> };
    expect(body.metadata).toMatchObject({ source: 'browser-workflow', apiKey: '[redacted]' });
    expect(JSON.stringify(body.data)).toContain('item-7');
    expect(JSON.stringify(await h.repos.db.audit.toArray())).not.toContain(API_TOKEN);
  });
});
