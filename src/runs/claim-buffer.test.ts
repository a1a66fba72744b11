import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createRepositories } from '../storage/repositories';
import { testClock, testDb } from '../storage/test-db.test-support';
import { ClaimBuffer } from './claim-buffer';
import { HeldLeases } from './held-leases';

async function setup(jobs: number) {
  const repos = createRepositories(await testDb(), { now: testClock().now });
  await repos.runs.create({ id: 'run-1', pipelineId: 'p1' });
  await repos.jobs.enqueue('run-1', Array.from({ length: jobs }, (_, i) => ({ records: [i] })));
  let claims = 0;
  const jobsCounted = { claimMany: (...args: Parameters<typeof repos.jobs.claimMany>) => ((claims += 1), repos.jobs.claimMany(...args)) };
  const held = new HeldLeases(repos.jobs, 60_000);
  return { repos, held, buffer: new ClaimBuffer(jobsCounted, held, { owner: 'w1', batch: 4 }), claims: () => claims };
}

describe('ClaimBuffer', () => {
  it('serves lanes asking at once from one claim, each a different job', async () => {
    const { buffer, held, claims } = await setup(10);
    const got = await Promise.all(Array.from({ length: 4 }, () => buffer.next('run-1')));
    expect(got.map((j) => j!.seq).sort()).toEqual([0, 1, 2, 3]);
    expect(claims()).toBe(1);
    expect(held.list()).toHaveLength(4); // leases kept from the moment of the claim
    held.stop();
  });

  it('returns undefined once the run has nothing runnable, and hands back what no lane took', async () => {
    const { buffer, held, repos } = await setup(3);
    expect((await buffer.next('run-1'))!.seq).toBe(0);
    const left = buffer.unclaimed();
    expect(left.map((j) => j.seq)).toEqual([1, 2]);
    expect(await buffer.next('run-1')).toBeUndefined();
    expect(await repos.jobs.release(left)).toBe(2);
    held.stop();
  });
});
