import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { DeadLetters } from './dead-letters';
import { JobQueue } from './job-queue';
import { Runs } from './runs';
import { testClock, testDb } from './test-db.test-support';

async function setup() {
  const db = await testDb();
  const clock = testClock();
  const queue = new JobQueue(db, { now: clock.now });
  const runs = new Runs(db, clock.now);
  const deadLetters = new DeadLetters(db, clock.now);
  const run = await runs.create({ pipelineId: 'p1' });
  return { db, clock, queue, runs, deadLetters, run };
}

const exhausted = { label: 'server_error', httpStatus: 503, message: 'retries exhausted' };

describe('DeadLetters', () => {
  it('moves a claimed job to the list with its records, key and outcome', async () => {
    const { queue, runs, deadLetters, run } = await setup();
    const [job] = await queue.enqueue(run.id, [{ records: [{ a: 1 }, { a: 2 }] }]);
    const claimed = (await queue.claimNext(run.id, 'w1'))!;
    const letter = await deadLetters.add(claimed, exhausted, { counts: { failed: 2 } });
    expect(letter).toMatchObject({ runId: run.id, pipelineId: 'p1', jobId: job!.id, records: [{ a: 1 }, { a: 2 }], idempotencyKey: job!.idempotencyKey, attempts: 1, lastOutcome: exhausted });
    expect(await queue.countsByRun(run.id)).toMatchObject({ deadLettered: 1, inFlight: 0 });
    expect((await runs.get(run.id))!.counts.failed).toBe(2);
    expect(await deadLetters.list({ runId: run.id })).toEqual([letter]);
    expect(await deadLetters.list({ pipelineId: 'p1' })).toEqual([letter]);
    expect(await queue.claimNext(run.id, 'w1')).toBeUndefined();
    // A claim that was lost cannot dead-letter the job either.
    expect(isFerryError(await deadLetters.add(claimed, exhausted).catch((e: unknown) => e), 'JOB_LEASE_LOST')).toBe(true);
  });

  it('replays as new jobs that keep their original idempotency keys, and reopens the finished run', async () => {
    const { queue, runs, deadLetters, run } = await setup();
    const original = await queue.enqueue(run.id, [{ records: [1] }, { records: [2] }, { records: [3] }]);
    await runs.setStatus(run.id, 'running');
    const letters = [];
    for (let job = await queue.claimNext(run.id, 'w1'); job; job = await queue.claimNext(run.id, 'w1')) {
      if (job.seq === 1) await queue.markDone(job);
      else letters.push(await deadLetters.add(job, exhausted));
    }
    await runs.setStatus(run.id, 'failed', { error: { code: 'RUN_FAILED', message: '2 batches failed' } });

    const replayed = await deadLetters.replay(letters.map((l) => l.id));
    expect(replayed.map((j) => [j.seq, j.idempotencyKey, j.records, j.status, j.attempts])).toEqual([
      [3, original[0]!.idempotencyKey, [1], 'pending', 0],
      [4, original[2]!.idempotencyKey, [3], 'pending', 0],
    ]);
    expect(await deadLetters.list()).toEqual([]);
    const reopened = (await runs.get(run.id))!;
    expect(reopened).toMatchObject({ status: 'queued' });
    expect(reopened.finishedAt).toBeUndefined();
    expect(reopened.error).toBeUndefined();

    const claimed = [(await queue.claimNext(run.id, 'w2'))!, (await queue.claimNext(run.id, 'w2'))!];
    expect(claimed.map((j) => j.idempotencyKey)).toEqual([original[0]!.idempotencyKey, original[2]!.idempotencyKey]);
  });

  it('replays all or nothing: an unknown id changes nothing', async () => {
    const { queue, deadLetters, run } = await setup();
    await queue.enqueue(run.id, [{ records: [1] }]);
    const letter = await deadLetters.add((await queue.claimNext(run.id, 'w1'))!, exhausted);
    const error = await deadLetters.replay([letter.id, 999]).catch((e: unknown) => e);
    expect(isFerryError(error, 'DEAD_LETTER_NOT_FOUND')).toBe(true);
    expect(await deadLetters.list()).toHaveLength(1);
    expect(await queue.countsByRun(run.id)).toMatchObject({ pending: 0, total: 1 });
    // Naming one letter twice replays it once.
    expect(await deadLetters.replay([letter.id, letter.id])).toHaveLength(1);
  });

  it('discards by id for good, counting only the letters that were there, and leaves the run\'s counts alone', async () => {
    const { queue, runs, deadLetters, run } = await setup();
    await queue.enqueue(run.id, [{ records: [1] }, { records: [2, 3] }, { records: [4] }]);
    const letters = [];
    for (let job = await queue.claimNext(run.id, 'w1'); job; job = await queue.claimNext(run.id, 'w1')) {
      letters.push(await deadLetters.add(job, exhausted, { counts: { failed: job.records.length } }));
    }
    const [a, b, c] = letters;
    expect(await deadLetters.discard([a!.id, b!.id, b!.id, 999])).toBe(2);
    expect((await deadLetters.list()).map((l) => l.id)).toEqual([c!.id]);
    // A repeated discard finds nothing to do; a discarded letter cannot be replayed.
    expect(await deadLetters.discard([a!.id])).toBe(0);
    expect(isFerryError(await deadLetters.replay([a!.id]).catch((e: unknown) => e), 'DEAD_LETTER_NOT_FOUND')).toBe(true);
    expect((await runs.get(run.id))!.counts.failed).toBe(4);
    expect(await queue.countsByRun(run.id)).toMatchObject({ deadLettered: 3, pending: 0 });
    expect(await deadLetters.discard([])).toBe(0);
  });

  it('discards all of a run\'s letters and no other run\'s', async () => {
    const { queue, runs, deadLetters, run } = await setup();
    const other = await runs.create({ pipelineId: 'p2' });
    await queue.enqueue(run.id, [{ records: [1] }, { records: [2] }]);
    await queue.enqueue(other.id, [{ records: [3] }]);
    for (const id of [run.id, run.id, other.id]) await deadLetters.add((await queue.claimNext(id, 'w1'))!, exhausted, { counts: { failed: 1 } });
    expect(await deadLetters.discard({ runId: run.id })).toBe(2);
    expect((await deadLetters.list()).map((l) => l.runId)).toEqual([other.id]);
    expect(await deadLetters.discard({ runId: run.id })).toBe(0);
    expect((await runs.get(run.id))!.counts.failed).toBe(2);
  });
});
