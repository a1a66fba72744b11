import 'fake-indexeddb/auto';
/**
 * A service worker may stop at any moment. These tests stop one mid-job (a claim that is never
 * settled, with or without its request having reached the server) and count what the server applied:
 * each record exactly once, because the batch is re-sent with the SAME Idempotency-Key.
 */
import { describe, expect, it } from 'vitest';
import { drive, startRun } from '../../../src/runs';
import { renderDelivery } from '../../../src/runs/render-delivery';
import { runContext } from '../../../src/runs/run-context';
import type { ClaimedJob } from '../../../src/storage/job-queue';
import { sleep } from '../../support/servers/respond';
import { harness, type Harness } from './harness';
import { ingestServerPerTest } from './ingest-server';
import { goodRecord, seedHttpPipeline } from './seed-pipeline';

const server = ingestServerPerTest();

/** What a dying worker got done: it claimed the run's first job and (optionally) sent it, then stopped. */
async function dieMidJob(h: Harness, runId: string, options: { sent: boolean }): Promise<ClaimedJob> {
  const job = await h.repos.jobs.claimNext(runId, 'worker-that-died', { leaseMs: 60_000 });
  if (!job) throw new Error('nothing to claim');
  if (options.sent) {
    const { plan, source } = await runContext(h.repos.db, (await h.repos.runs.get(runId))!);
    await (await renderDelivery(plan, job, source, h.deps)).send(new AbortController().signal);
  }
  return job;
}

const appliedFields = () => server.api.applied.map((r) => (r as { apiField1: string }).apiField1).sort();

describe('a worker that dies mid-job', () => {
  it('sent but never settled: once the lease expires, another owner re-sends with the same key and the server applies it once', async () => {
    const h = await harness();
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0), goodRecord(1)] });
    const dropped = await dieMidJob(h, runId, { sent: true });

    // Before the lease ends the dropped job is not claimable; the other one goes through.
    expect(await drive(h.deps, { owner: 'worker-2' })).toEqual({ processed: 1, nextDueAt: dropped.leaseUntil });
    h.clock.set(dropped.leaseUntil);
    expect(await drive(h.deps, { owner: 'worker-2' })).toEqual({ processed: 1 });

    expect(server.api.requests.map((r) => [r.key, r.result])).toEqual([[`${runId}:0`, 'applied'], [`${runId}:1`, 'applied'], [`${runId}:0`, 'replayed']]);
    expect(appliedFields()).toEqual(['item-0', 'item-1']);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 2, failed: 0 } });
    // The dead claim counts as an attempt, so a batch that keeps killing workers still runs out of them.
    const job = (await h.repos.jobs.listByRun(runId))[0]!;
    expect(job).toMatchObject({ status: 'done', attempts: 2, lastOutcome: { details: { attemptsMade: 2, claims: 2 } } });
  });

  it('the next worker releases its dead predecessor\'s jobs at once (releaseAbandoned), without waiting for the lease', async () => {
    const h = await harness();
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin, { batching: { mode: 'batch', size: 2 } }), records: [0, 1, 2].map(goodRecord) });
    await dieMidJob(h, runId, { sent: true });

    const result = await h.service('worker-after-restart').drive();
    expect(result).toEqual({ processed: 2 });
    expect(server.api.requests.map((r) => [r.key, r.result])).toEqual([[`${runId}:0`, 'applied'], [`${runId}:0`, 'replayed'], [`${runId}:1`, 'applied']]);
    expect(appliedFields()).toEqual(['item-0', 'item-1', 'item-2']);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 3 } });
  });

  it('claimed but never sent: the batch is sent once, by the next worker', async () => {
    const h = await harness();
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0)] });
    await dieMidJob(h, runId, { sent: false });
    await h.service('worker-2').drive();
    expect(server.api.requests.map((r) => [r.key, r.result])).toEqual([[`${runId}:0`, 'applied']]);
  });

  it('an aborted drive gives the job in hand back, due at once, and the next drive sends it with the same key', async () => {
    const h = await harness();
    const controller = new AbortController();
    let hang = true;
    server.rest.route('/v1/data', async (req, res, ctx) => {
      if (!hang) return server.api.handler(req, res, ctx);
      controller.abort(); // the worker is told to stop while this request is in flight
      await sleep(10_000, req); // ends when the client gives up the request
    });
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0), goodRecord(1)] });
    const t0 = h.clock.now();

    expect(await drive(h.deps, { owner: 'w1', signal: controller.signal })).toEqual({ processed: 1, nextDueAt: t0 });
    const jobs = await h.repos.jobs.listByRun(runId);
    expect(jobs.map((j) => [j.status, j.lastOutcome?.label])).toEqual([['pending', 'aborted'], ['pending', undefined]]);

    hang = false;
    await drive(h.deps, { owner: 'w1' });
    expect(server.api.requests.map((r) => [r.key, r.result])).toEqual([[`${runId}:0`, 'applied'], [`${runId}:1`, 'applied']]);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 2 } });
  });

  it('a long attempt renews its lease, so no other claimer can take the batch meanwhile', async () => {
    const h = await harness({ deps: { leaseMs: 3_000 } });
    let runId = '';
    let stolen: unknown = 'not tried';
    server.rest.route('/v1/data', async (req, res, ctx) => {
      h.clock.advance(10_000); // by the clock, the 3 s lease taken at the claim is long over
      await new Promise((resolve) => setTimeout(resolve, 1_300)); // the keeper renews every second
      stolen = await h.repos.jobs.claimNext(runId, 'another-worker');
      return server.api.handler(req, res, ctx);
    });
    runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0)] });
    expect(await drive(h.deps, { owner: 'w1' })).toEqual({ processed: 1 });
    expect(stolen).toBeUndefined();
    expect(server.api.requests.map((r) => r.result)).toEqual(['applied']);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1 } });
  });
});
