import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { BreakerRegistry } from '../resilience';
import { createRepositories } from '../storage/repositories';
import type { RunCounts } from '../storage/rows';
import { testClock, testDb } from '../storage/test-db.test-support';
import { finalizeIfDone } from './finalize-run';
import type { RunDeps } from './types';

/** A run with no jobs left and these counts, judged by finalizeIfDone. */
async function finalized(counts: Partial<RunCounts>) {
  const clock = testClock(1_000);
  const repos = createRepositories(await testDb(), { now: clock.now });
  const deps: RunDeps = { repos, breakers: {} as BreakerRegistry, resolveCredential: async () => undefined, now: clock.now };
  const run = await repos.runs.create({ pipelineId: 'orders' });
  await repos.runs.addCounts(run.id, counts);
  await finalizeIfDone(deps, run.id);
  return (await repos.runs.get(run.id))!;
}

describe('finalizeIfDone: a run says what happened', () => {
  it('succeeded when something was delivered and nothing failed, rejects or not', async () => {
    const run = await finalized({ extracted: 50, rejected: 3, sent: 47 });
    expect(run.status).toBe('succeeded');
    expect(run.error).toBeUndefined();
    expect(run.finishedAt).toBe(1_000);
  });

  it('nothingSent, not succeeded, when every record was rejected', async () => {
    const run = await finalized({ extracted: 50, rejected: 50 });
    expect(run).toMatchObject({ status: 'nothingSent', error: { code: 'RUN_NOTHING_SENT', message: 'Nothing sent: all 50 records were rejected.', details: { extracted: 50, rejected: 50 } } });
    expect(run.finishedAt).toBe(1_000);
  });

  it('nothingSent when the source gave no records', async () => {
    const run = await finalized({});
    expect(run).toMatchObject({ status: 'nothingSent', error: { code: 'RUN_NOTHING_SENT', message: 'Nothing sent: the page gave no records.' } });
  });

  it('a single rejected record is named as such', async () => {
    expect((await finalized({ extracted: 1, rejected: 1 })).error?.message).toBe('Nothing sent: the only record was rejected.');
  });
});
