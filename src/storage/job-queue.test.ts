import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import { JobQueue, type ClaimedJob } from './job-queue';
import { Runs } from './runs';
import { testClock, testDb, uniqueDbName } from './test-db.test-support';

const LEASE = 10_000;
const batches = (n: number) => Array.from({ length: n }, (_, i) => ({ records: [{ n: i }] }));

async function setup(db?: FerryDB) {
  db ??= await testDb();
  const clock = testClock();
  const queue = new JobQueue(db, { now: clock.now, leaseMs: LEASE });
  const runs = new Runs(db, clock.now);
  const run = await runs.create({ pipelineId: 'p1', id: 'run-1' });
  return { db, clock, queue, runs, run };
}

async function drain(queue: JobQueue, runId: string, owner: string): Promise<ClaimedJob[]> {
  const claimed: ClaimedJob[] = [];
  for (let job = await queue.claimNext(runId, owner); job; job = await queue.claimNext(runId, owner)) claimed.push(job);
  return claimed;
}

describe('JobQueue', () => {
  it('enqueues batches in seq order with one stable idempotency key each, and claims them in that order', async () => {
    const { queue, run } = await setup();
    const jobs = await queue.enqueue(run.id, batches(5));
    expect(jobs.map((j) => j.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(5);
    const more = await queue.enqueue(run.id, batches(2));
    expect(more.map((j) => j.seq)).toEqual([5, 6]);

    const claimed = await drain(queue, run.id, 'w1');
    expect(claimed.map((j) => j.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(claimed.map((j) => j.idempotencyKey)).toEqual([...jobs, ...more].map((j) => j.idempotencyKey));
    expect(claimed.every((j) => j.status === 'inFlight' && j.attempts === 1 && j.leaseOwner === 'w1')).toBe(true);
    expect(await queue.countsByRun(run.id)).toEqual({ pending: 0, inFlight: 7, done: 0, failed: 0, deadLettered: 0, total: 7 });
  });

  it('saves the pagination checkpoint and counts in the same transaction as the batches', async () => {
    const { queue, runs, run } = await setup();
    await queue.enqueue(run.id, batches(3), { checkpoint: { cursor: 'page-2' }, counts: { extracted: 3 } });
    expect(await runs.get(run.id)).toMatchObject({ checkpoint: { cursor: 'page-2' }, counts: { extracted: 3 } });
    const missing = await queue.enqueue('nope', batches(1)).catch((e: unknown) => e);
    expect(isFerryError(missing, 'RUN_NOT_FOUND')).toBe(true);
  });

  it('makes an in-flight job claimable again once its lease expires, with the same idempotency key', async () => {
    const { queue, clock, run } = await setup();
    await queue.enqueue(run.id, batches(1));
    const first = await queue.claimNext(run.id, 'dead-worker');
    expect(first).toBeDefined();
    clock.advance(LEASE - 1);
    expect(await queue.claimNext(run.id, 'w2')).toBeUndefined();
    clock.advance(1);
    const second = await queue.claimNext(run.id, 'w2');
    expect(second).toMatchObject({ id: first!.id, idempotencyKey: first!.idempotencyKey, attempts: 2, leaseOwner: 'w2' });

    // The first claimer's late result is refused; the current claim settles.
    const late = await queue.markDone(first!).catch((e: unknown) => e);
    expect(isFerryError(late, 'JOB_LEASE_LOST')).toBe(true);
    await queue.markDone(second!);
    expect((await queue.countsByRun(run.id)).done).toBe(1);
  });

  it('never claims a done or failed job again', async () => {
    const { queue, clock, run } = await setup();
    await queue.enqueue(run.id, batches(3));
    const [a, b] = await drain(queue, run.id, 'w1');
    await queue.markDone(a!, { counts: { sent: 1 } });
    await queue.markFailed(b!, { label: 'validation_error', httpStatus: 422 }, { counts: { failed: 1 } });
    clock.advance(LEASE * 100);
    const again = await drain(queue, run.id, 'w2');
    expect(again.map((j) => j.seq)).toEqual([2]);
    expect(await queue.countsByRun(run.id)).toMatchObject({ done: 1, failed: 1, inFlight: 1 });
  });

  it('never hands the same job to two claimers on two connections', async () => {
    const name = uniqueDbName();
    const { queue, clock, run } = await setup(await testDb(name));
    const other = new JobQueue(await testDb(name), { now: clock.now, leaseMs: LEASE });
    await queue.enqueue(run.id, batches(40));

    const [mine, theirs] = await Promise.all([drain(queue, run.id, 'a'), drain(other, run.id, 'b')]);
    const ids = [...mine, ...theirs].map((j) => j.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect(mine.length).toBeGreaterThan(0);
    expect(theirs.length).toBeGreaterThan(0);

    // Simultaneous single claims too.
    await queue.enqueue(run.id, batches(10));
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? queue : other).claimNext(run.id, `c${i}`)));
    const got = burst.filter((j) => j !== undefined).map((j) => j.id);
    expect(got).toHaveLength(10);
    expect(new Set(got).size).toBe(10);
  });

  it('respects retry-at: a job given back is not claimable before its time, and keeps its key', async () => {
    const { queue, clock, runs, run } = await setup();
    await queue.enqueue(run.id, batches(2));
    const job = (await queue.claimNext(run.id, 'w1'))!;
    await queue.retryAt(job, clock.now() + 5_000, { label: 'rate_limit_exceeded', httpStatus: 429 }, { counts: { retried: 1 } });
    const other = (await queue.claimNext(run.id, 'w1'))!;
    expect(other.seq).toBe(1);
    await queue.markDone(other);
    expect(await queue.claimNext(run.id, 'w1')).toBeUndefined();
    expect(await queue.nextDueAt(run.id)).toBe(clock.now() + 5_000);
    clock.advance(4_999);
    expect(await queue.claimNext(run.id, 'w1')).toBeUndefined();
    clock.advance(1);
    expect(await queue.claimNext(run.id, 'w1')).toMatchObject({ id: job.id, idempotencyKey: job.idempotencyKey, attempts: 2, lastOutcome: { label: 'rate_limit_exceeded' } });
    expect((await runs.get(run.id))!.counts.retried).toBe(1);
  });

  it('hands out nothing for a paused or cancelled run', async () => {
    const { queue, runs, run } = await setup();
    await queue.enqueue(run.id, batches(1));
    await runs.setStatus(run.id, 'paused');
    expect(await queue.claimNext(run.id, 'w1')).toBeUndefined();
    await runs.setStatus(run.id, 'running');
    expect(await queue.claimNext(run.id, 'w1')).toBeDefined();
  });

  it('a new worker releases the jobs its dead predecessor held without waiting for their leases', async () => {
    const { queue, run } = await setup();
    await queue.enqueue(run.id, batches(3));
    const held = [(await queue.claimNext(run.id, 'old'))!, (await queue.claimNext(run.id, 'old'))!];
    const mine = (await queue.claimNext(run.id, 'new'))!;
    expect(await queue.releaseAbandoned('new')).toBe(2);
    const again = await drain(queue, run.id, 'new');
    expect(again.map((j) => j.idempotencyKey)).toEqual(held.map((j) => j.idempotencyKey));
    await queue.markDone(mine);
    expect(isFerryError(await queue.markDone(held[0]!).catch((e: unknown) => e), 'JOB_LEASE_LOST')).toBe(true);
  });

  it('renews a held lease', async () => {
    const { queue, clock, run } = await setup();
    await queue.enqueue(run.id, batches(1));
    const job = (await queue.claimNext(run.id, 'w1'))!;
    clock.advance(LEASE - 1);
    const renewed = await queue.renewLease(job);
    clock.advance(LEASE - 1);
    expect(await queue.claimNext(run.id, 'w2')).toBeUndefined();
    await queue.markDone(renewed);
  });

  it('a worker that dies mid-run loses and duplicates nothing: every batch is delivered under its own key, and counted once', async () => {
    const { db, queue, clock, runs, run } = await setup();
    const jobs = await queue.enqueue(run.id, batches(6));
    const delivered = new Map<string, number>(); // what an idempotent server keeps: key → times seen
    const send = (job: ClaimedJob) => delivered.set(job.idempotencyKey, (delivered.get(job.idempotencyKey) ?? 0) + 1);

    // Worker 1 settles two jobs, then sends a third and stops before recording the outcome.
    for (let i = 0; i < 2; i++) {
      const job = (await queue.claimNext(run.id, 'w1'))!;
      send(job);
      await queue.markDone(job, { counts: { sent: 1 } });
    }
    send((await queue.claimNext(run.id, 'w1'))!);

    // Worker 2 wakes later, on a fresh connection, and finishes the run.
    clock.advance(LEASE);
    const queue2 = new JobQueue(await testDb(db.name), { now: clock.now, leaseMs: LEASE });
    for (let job = await queue2.claimNext(run.id, 'w2'); job; job = await queue2.claimNext(run.id, 'w2')) {
      send(job);
      await queue2.markDone(job, { counts: { sent: 1 } });
    }
    expect([...delivered.keys()].sort()).toEqual(jobs.map((j) => j.idempotencyKey).sort());
    expect([...delivered.values()].filter((n) => n > 1)).toEqual([2]); // the interrupted batch, re-sent with its key
    expect((await runs.get(run.id))!.counts.sent).toBe(6);
    expect(await queue2.countsByRun(run.id)).toMatchObject({ done: 6, total: 6 });
  });

  describe('batch operations', () => {
    it('claims several due jobs in one go, in due order, never more than asked', async () => {
      const { queue, clock, run } = await setup();
      await queue.enqueue(run.id, batches(5));
      const first = (await queue.claimNext(run.id, 'w1'))!;
      await queue.retryAt(first, clock.now() + 1_000, { label: 'server_error' });
      const claimed = await queue.claimMany(run.id, 'w1', 3);
      expect(claimed.map((j) => j.seq)).toEqual([1, 2, 3]);
      expect(claimed.every((j) => j.status === 'inFlight' && j.leaseOwner === 'w1' && j.attempts === 1)).toBe(true);
      clock.advance(1_000);
      // Due order, not seq order: job 4 has been due since it was enqueued, job 0 only since its retry time.
      expect((await queue.claimMany(run.id, 'w1', 10)).map((j) => j.seq)).toEqual([4, 0]);
      expect(await queue.claimMany(run.id, 'w1', 10)).toEqual([]);
    });

    it('gives back claimed jobs that were never started without counting the claim as an attempt', async () => {
      const { queue, run } = await setup();
      await queue.enqueue(run.id, batches(3));
      const claimed = await queue.claimMany(run.id, 'w1', 3);
      await queue.markDone(claimed[0]!);
      expect(await queue.release(claimed)).toBe(2); // the settled one is no longer held
      const again = await queue.claimMany(run.id, 'w2', 3);
      expect(again.map((j) => [j.seq, j.attempts])).toEqual([[1, 1], [2, 1]]);
    });

    it('renews every held lease in one go and leaves out the lost ones', async () => {
      const { queue, clock, run } = await setup();
      await queue.enqueue(run.id, batches(3));
      const [a, b, c] = await queue.claimMany(run.id, 'w1', 3);
      await queue.markDone(c!);
      clock.advance(LEASE);
      const stolen = (await queue.claimNext(run.id, 'w2'))!; // a's lease ran out first (same due time: lowest id)
      expect(stolen.id).toBe(a!.id);
      const renewed = await queue.renewLeases([a!, b!, c!]);
      expect(renewed.map((j) => j.id)).toEqual([b!.id]);
      expect(renewed[0]!.leaseUntil).toBe(clock.now() + LEASE);
    });

    it('settles several claims in one transaction, adds each run\'s counts once, and skips a lost claim', async () => {
      const { queue, clock, runs, run } = await setup();
      await queue.enqueue(run.id, batches(4));
      const [a, b, c, d] = await queue.claimMany(run.id, 'w1', 4);
      clock.advance(LEASE);
      await queue.claimNext(run.id, 'w2'); // takes a
      const held = await queue.settleAll([
        { job: a!, to: { status: 'done' }, counts: { sent: 1 } },
        { job: b!, to: { status: 'done' }, counts: { sent: 1 } },
        { job: c!, to: { status: 'pending', at: clock.now() + 5_000, outcome: { label: 'rate_limit_exceeded', httpStatus: 429 } }, counts: { retried: 1 } },
        { job: d!, to: { status: 'failed', outcome: { label: 'validation_error', httpStatus: 422 } }, counts: { failed: 1 } },
      ]);
      expect(held).toEqual([false, true, true, true]);
      expect((await runs.get(run.id))!.counts).toMatchObject({ sent: 1, retried: 1, failed: 1 });
      expect(await queue.countsByRun(run.id)).toMatchObject({ done: 1, pending: 1, failed: 1, inFlight: 1 });
      expect(await queue.nextDueAt(run.id)).toBe(clock.now() + 5_000); // c's retry, before a's new lease ends
    });

    it('counts only the first `charge` claimed jobs as attempts; the ones claimed ahead are marked and uncounted', async () => {
      const { queue, run } = await setup();
      await queue.enqueue(run.id, batches(3));
      const claimed = await queue.claimMany(run.id, 'w1', 3, { charge: 1 });
      expect(claimed.map((j) => [j.attempts, j.claimedAhead])).toEqual([[1, undefined], [0, true], [0, true]]);
      await queue.markDone(claimed[1]!);
      const [done] = (await queue.listByRun(run.id)).filter((j) => j.status === 'done');
      expect(done).not.toHaveProperty('claimedAhead');
    });

    it('a dead worker\'s jobs are due as of their enqueueing, before jobs enqueued after them, so the next on-demand claim counts them', async () => {
      const { queue, clock, run } = await setup();
      await queue.enqueue(run.id, batches(2));
      const held = await queue.claimMany(run.id, 'dead', 2, { charge: 0 });
      clock.advance(5_000);
      await queue.enqueue(run.id, batches(2)); // enqueued later, due now
      expect(await queue.releaseAbandoned('new')).toBe(2);
      const next = await queue.claimMany(run.id, 'new', 2, { charge: 2 });
      expect(next.map((j) => j.id)).toEqual(held.map((j) => j.id));
      expect(next.map((j) => j.attempts)).toEqual([1, 1]);
    });
  });
});
