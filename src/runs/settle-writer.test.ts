import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { createRepositories } from '../storage/repositories';
import { testClock, testDb } from '../storage/test-db.test-support';
import { SettleWriter } from './settle-writer';

const LEASE = 10_000;
const entry = (runId: string, attempt = 1) => ({ runId, pipelineId: 'p1', method: 'POST', host: 'api.test', path: '/v1/data?key=SECRET', durationMs: 3, attempt, outcome: 'success' });

async function setup(jobs = 4) {
  const db = await testDb();
  const clock = testClock();
  const repos = createRepositories(db, { now: clock.now, leaseMs: LEASE });
  const run = await repos.runs.create({ id: 'run-1', pipelineId: 'p1' });
  await repos.jobs.enqueue(run.id, Array.from({ length: jobs }, (_, i) => ({ records: [{ n: i }] })));
  const claimed = await repos.jobs.claimMany(run.id, 'w1', jobs);
  let transactions = 0;
  const realTransaction = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
  // Counts only the writer's own (outermost, five-store) transactions.
  (db as unknown as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = (...args: unknown[]) => {
    if (Array.isArray(args[1]) && args[1].length === 5) transactions += 1;
    return realTransaction(...args);
  };
  return { db, clock, repos, run, claimed, transactions: () => transactions };
}

describe('SettleWriter', () => {
  it('commits settlements handed in together in one transaction, with their audit entries and results', async () => {
    const { repos, run, claimed, transactions } = await setup();
    const writer = new SettleWriter(repos);
    await Promise.all(claimed.map((job, i) => writer.submit({
      job: { job, to: { status: 'done', outcome: { label: 'success', httpStatus: 201 } }, counts: { sent: 1 } },
      audit: [entry(run.id)],
      results: [{ key: `r_${i}`, value: { i } }],
    })));
    expect(transactions()).toBe(1);
    expect(await repos.jobs.countsByRun(run.id)).toMatchObject({ done: 4, inFlight: 0 });
    expect((await repos.runs.get(run.id))!.counts.sent).toBe(4);
    const audit = await repos.audit.listByRun(run.id);
    expect(audit).toHaveLength(4);
    expect(audit.every((row) => row.path === '/v1/data')).toBe(true); // the audit log's own scrub still applies
    expect((await repos.results.list('r_')).map((row) => row.key)).toEqual(['r_0', 'r_1', 'r_2', 'r_3']);
  });

  it('commits what arrives during a commit in the next one, and drain waits for all of it', async () => {
    const { repos, run, claimed, transactions } = await setup();
    const writer = new SettleWriter(repos);
    const first = writer.submit({ job: { job: claimed[0]!, to: { status: 'done' } }, audit: [] });
    await Promise.resolve();
    await Promise.resolve();
    const rest = claimed.slice(1).map((job) => writer.submit({ job: { job, to: { status: 'done' } }, audit: [] }));
    expect(writer.backlog).toBeGreaterThan(0);
    await writer.drain();
    await Promise.all([first, ...rest]);
    expect(transactions()).toBeLessThanOrEqual(2);
    expect((await repos.jobs.countsByRun(run.id)).done).toBe(4);
  });

  it('rejects a lost claim with JOB_LEASE_LOST and still commits the others and the lost request\'s audit entry', async () => {
    const { repos, clock, run, claimed } = await setup(2);
    clock.advance(LEASE);
    const thief = (await repos.jobs.claimNext(run.id, 'w2'))!;
    const writer = new SettleWriter(repos);
    const [lost, kept] = await Promise.allSettled(claimed.map((job) => writer.submit({
      job: { job, to: { status: 'done' }, counts: { sent: 1 } }, audit: [entry(run.id)], results: [{ key: `r_${job.id}`, value: 1 }],
    })));
    expect(lost?.status === 'rejected' && isFerryError(lost.reason, 'JOB_LEASE_LOST')).toBe(true);
    expect(kept?.status).toBe('fulfilled');
    expect(thief.id).toBe(claimed[0]!.id);
    expect((await repos.runs.get(run.id))!.counts.sent).toBe(1);
    expect(await repos.audit.listByRun(run.id)).toHaveLength(2);
    expect((await repos.results.list('r_')).map((r) => r.key)).toEqual([`r_${claimed[1]!.id}`]); // the lost claim's results are its new claimer's to write
  });

  it('commits a delivered job without its result when the result cannot be stored, and says so on the outcome', async () => {
    const { repos, run, claimed } = await setup(2);
    const quota = Object.assign(new Error('quota for https://api.test/?key=SECRET'), { name: 'QuotaExceededError' });
    const failingResults = { putAll: (entries: readonly unknown[]) => (entries.length > 0 ? Promise.reject(quota) : Promise.resolve()) } as unknown as typeof repos.results;
    const writer = new SettleWriter({ ...repos, results: failingResults });
    await Promise.all(claimed.map((job, i) => writer.submit({
      job: { job, to: { status: 'done', outcome: { label: 'success', httpStatus: 201, details: { attemptsMade: 1 } } }, counts: { sent: 1 } },
      audit: [entry(run.id)],
      ...(i === 0 ? { results: [{ key: 'r_0', value: 1 }] } : {}),
    })));
    const rows = await repos.jobs.listByRun(run.id);
    expect(rows.map((r) => r.status)).toEqual(['done', 'done']);
    expect(rows[0]!.lastOutcome?.details).toEqual({ attemptsMade: 1, resultProblems: ['the result was not stored: QuotaExceededError'] });
    expect(JSON.stringify(rows)).not.toContain('SECRET');
    expect(rows[1]!.lastOutcome?.details).toEqual({ attemptsMade: 1 });
    expect((await repos.runs.get(run.id))!.counts.sent).toBe(2);
    expect(await repos.audit.listByRun(run.id)).toHaveLength(2);
  });

  it('rejects every settlement when the queue itself cannot be written, so the jobs stay with their leases', async () => {
    const { repos, run, claimed } = await setup(2);
    const broken = { ...repos.jobs, settleAll: () => Promise.reject(Object.assign(new Error('disk'), { name: 'UnknownError' })) } as unknown as typeof repos.jobs;
    const writer = new SettleWriter({ ...repos, jobs: broken });
    const settled = await Promise.allSettled(claimed.map((job) => writer.submit({ job: { job, to: { status: 'done' } }, audit: [entry(run.id)], results: [{ key: 'k', value: 1 }] })));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(await repos.jobs.countsByRun(run.id)).toMatchObject({ inFlight: 2, done: 0 });
  });
});
