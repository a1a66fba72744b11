import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../storage/repositories';
import { testClock, testDb } from '../storage/test-db.test-support';
import { ClaimBuffer } from './claim-buffer';
import { HeldLeases } from './held-leases';

async function setup(jobs: number, options: { lanes: number; batch: number }) {
  const repos = createRepositories(await testDb(), { now: testClock().now });
  await repos.runs.create({ id: 'run-1', pipelineId: 'p1' });
  await repos.jobs.enqueue('run-1', Array.from({ length: jobs }, (_, i) => ({ records: [i] })));
  let claims = 0;
  const jobsCounted = { claimMany: (...args: Parameters<typeof repos.jobs.claimMany>) => ((claims += 1), repos.jobs.claimMany(...args)) };
  const held = new HeldLeases(repos.jobs, 60_000);
  return { repos, held, buffer: new ClaimBuffer(jobsCounted, held, { owner: 'w1', ...options }), claims: () => claims };
}

/** Lets a claim made in the background finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('ClaimBuffer', () => {
  it('serves lanes asking at once from one claim, each a different job', async () => {
    const { buffer, held, claims } = await setup(10, { lanes: 4, batch: 8 });
    const got = await Promise.all(Array.from({ length: 4 }, () => buffer.next('run-1')));
    expect(got.map((j) => j!.seq).sort()).toEqual([0, 1, 2, 3]);
    expect(claims()).toBe(1);
    expect(held.list()).toHaveLength(8); // leases kept from the moment of the claim
    held.stop();
  });

  it('counts only one job per lane of an on-demand claim as an attempt; jobs claimed ahead cost none', async () => {
    const { buffer, held, repos } = await setup(12, { lanes: 2, batch: 4 });
    const first = (await buffer.next('run-1'))!; // on demand: jobs 0-3, the first two charged
    expect(first.attempts).toBe(1);
    const second = (await buffer.next('run-1'))!;
    expect(second.attempts).toBe(1);
    const third = (await buffer.next('run-1'))!; // fewer than a lane's worth left: a claim ahead starts
    expect([third.attempts, third.claimedAhead]).toEqual([0, true]);
    await settle();
    const rows = await repos.jobs.listByRun('run-1');
    expect(rows.filter((r) => r.status === 'inFlight').map((r) => [r.seq, r.attempts])).toEqual([[0, 1], [1, 1], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0]]);
    held.stop();
  });

  it('returns undefined once the run has nothing runnable, and hands back what no lane took, uncounted', async () => {
    const { buffer, held, repos } = await setup(3, { lanes: 1, batch: 4 });
    expect((await buffer.next('run-1'))!.seq).toBe(0);
    const left = await buffer.unclaimed();
    expect(left.map((j) => j.seq)).toEqual([1, 2]);
    expect(await buffer.next('run-1')).toBeUndefined();
    expect(await repos.jobs.release(left)).toBe(2);
    expect((await repos.jobs.listByRun('run-1')).map((r) => [r.seq, r.status, r.attempts])).toEqual([[0, 'inFlight', 1], [1, 'pending', 0], [2, 'pending', 0]]);
    held.stop();
  });
});
