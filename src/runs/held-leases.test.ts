import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRepositories } from '../storage/repositories';
import { testClock, testDb } from '../storage/test-db.test-support';
import { HeldLeases } from './held-leases';

const LEASE = 9_000;

afterEach(() => {
  vi.useRealTimers();
});

async function setup() {
  // Only the renewal timer is faked: fake-indexeddb keeps its own real timers.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const clock = testClock();
  const repos = createRepositories(await testDb(), { now: clock.now, leaseMs: LEASE });
  await repos.runs.create({ id: 'run-1', pipelineId: 'p1' });
  await repos.jobs.enqueue('run-1', [{ records: [1] }, { records: [2] }, { records: [3] }]);
  const claimed = await repos.jobs.claimMany('run-1', 'w1', 3);
  return { clock, repos, claimed };
}

/** Runs the renewal timer once and lets its transaction finish. */
async function tick() {
  vi.advanceTimersByTime(LEASE / 3);
  await vi.waitFor(async () => new Promise((resolve) => setTimeout(resolve, 20)));
}

describe('HeldLeases', () => {
  it('renews every held lease every third of a lease, so another claimer cannot take a slow job', async () => {
    const { clock, repos, claimed } = await setup();
    const held = new HeldLeases(repos.jobs, LEASE);
    held.add(claimed);
    for (let i = 0; i < 6; i++) {
      clock.advance(LEASE / 3);
      await tick();
    }
    // Two whole leases have passed since the claim; the jobs are still ours.
    expect(await repos.jobs.claimMany('run-1', 'w2', 3)).toEqual([]);
    held.stop();
  });

  it('stops renewing a dropped job, and reports a lost one once', async () => {
    const { clock, repos, claimed } = await setup();
    const held = new HeldLeases(repos.jobs, LEASE);
    const lost = vi.fn();
    held.add(claimed);
    held.watch(claimed[0]!, lost);
    held.drop(claimed[1]!);
    // Someone else settles job 0 behind our back (as a worker that took it after a lapse would).
    await repos.jobs.markDone(claimed[0]!);
    clock.advance(LEASE / 3);
    await tick();
    await tick();
    expect(lost).toHaveBeenCalledTimes(1);
    expect(held.list().map((j) => j.id)).toEqual([claimed[2]!.id]);
    for (let i = 0; i < 3; i++) {
      clock.advance(LEASE / 3);
      await tick();
    }
    // The dropped job's lease lapsed; the held one was renewed all along.
    expect((await repos.jobs.claimMany('run-1', 'w2', 3)).map((j) => j.id)).toEqual([claimed[1]!.id]);
    held.stop();
  });
});
