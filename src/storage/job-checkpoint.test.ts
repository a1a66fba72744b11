import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { JobQueue } from './job-queue';
import type { JobCheckpoint } from './rows';
import { Runs } from './runs';
import { testClock, testDb } from './test-db.test-support';

const LEASE = 10_000;

async function setup() {
  const db = await testDb();
  const clock = testClock();
  const queue = new JobQueue(db, { now: clock.now, leaseMs: LEASE });
  const runs = new Runs(db, clock.now);
  const run = await runs.create({ pipelineId: 'p1', id: 'run-1' });
  await queue.enqueue(run.id, [{ records: [{ q: 'a' }], idempotencyKey: 'run-1:0' }]);
  const job = (await queue.claimNext(run.id, 'w1'))!;
  return { db, clock, queue, runs, job };
}

const read = (pages: number, cursor: string): JobCheckpoint => ({ next: { cursor, pages }, pages, items: pages * 3 });

describe('JobQueue.saveCheckpoint', () => {
  it('keeps the job in flight under the same lease, with the checkpoint, the outcome and the run counts', async () => {
    const { queue, runs, job } = await setup();
    expect(await queue.saveCheckpoint(job, read(1, 'c2'), { status: 'inFlight', outcome: { label: 'reading' } }, { retried: 1 })).toBe(true);
    const [row] = await queue.listByRun(job.runId);
    expect(row).toMatchObject({ status: 'inFlight', leaseId: job.leaseId, leaseUntil: job.leaseUntil, checkpoint: read(1, 'c2'), lastOutcome: { label: 'reading' } });
    expect((await runs.get(job.runId))!.counts).toMatchObject({ retried: 1, sent: 0 });
    // The claim still holds: the claimer saves the next page, and the lease renews with the checkpoint kept.
    expect(await queue.saveCheckpoint(job, read(2, 'c3'), { status: 'inFlight', outcome: { label: 'reading' } })).toBe(true);
    expect((await queue.renewLease(job)).checkpoint).toEqual(read(2, 'c3'));
  });

  it('settles with the checkpoint kept: given back pending (a new claim resumes from it), or done', async () => {
    const { queue, runs, clock, job } = await setup();
    expect(await queue.saveCheckpoint(job, read(2, 'c3'), { status: 'pending', at: clock.now() + 500, outcome: { label: 'read_paused' } })).toBe(true);
    const [paused] = await queue.listByRun(job.runId);
    expect(paused).toMatchObject({ status: 'pending', nextAttemptAt: clock.now() + 500, checkpoint: read(2, 'c3') });
    expect(paused!.leaseId).toBeUndefined();

    clock.advance(500);
    const again = (await queue.claimNext(job.runId, 'w2'))!;
    expect(again).toMatchObject({ attempts: 2, checkpoint: read(2, 'c3') });
    const last: JobCheckpoint = { next: null, pages: 3, items: 7 };
    expect(await queue.saveCheckpoint(again, last, { status: 'done', outcome: { label: 'success', details: { pages: 3 } } }, { sent: 1 })).toBe(true);
    expect((await queue.listByRun(job.runId))[0]).toMatchObject({ status: 'done', checkpoint: last, lastOutcome: { label: 'success' } });
    expect((await runs.get(job.runId))!.counts).toMatchObject({ sent: 1 });
  });

  it('writes nothing for a lost claim', async () => {
    const { queue, runs, clock, job } = await setup();
    clock.advance(LEASE);
    const thief = (await queue.claimNext(job.runId, 'w2'))!;
    expect(await queue.saveCheckpoint(job, read(5, 'c6'), { status: 'inFlight', outcome: { label: 'reading' } }, { retried: 4 })).toBe(false);
    const [row] = await queue.listByRun(job.runId);
    expect(row).toMatchObject({ leaseId: thief.leaseId, leaseOwner: 'w2' });
    expect(row!.checkpoint).toBeUndefined();
    expect((await runs.get(job.runId))!.counts.retried).toBe(0);
  });
});
