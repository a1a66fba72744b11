import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createRepositories } from './repositories';
import { testClock, testDb } from './test-db.test-support';

describe('createRepositories', () => {
  it('wires every repository to one database and one clock: a run from records to audit', async () => {
    const clock = testClock(1_000);
    const s = createRepositories(await testDb(), { now: clock.now, leaseMs: 5_000 });
    await s.vault.setCredential('apiToken', 'token-value-123456');
    await s.pipelines.save({ id: 'p1', name: 'Contacts', document: {} });
    const run = await s.runs.create({ pipelineId: 'p1' });
    await s.runs.setStatus(run.id, 'running');
    await s.rejects.add(run.id, [{ record: {}, reasons: [{ path: 'email', message: 'is required' }] }]);
    await s.jobs.enqueue(run.id, [{ records: [{ email: 'a@example.com' }] }], { counts: { extracted: 2 } });
    const job = (await s.jobs.claimNext(run.id, 'w1'))!;
    expect(job.leaseUntil).toBe(6_000);
    expect(await s.vault.resolveCredential('apiToken')).toBe('token-value-123456');
    await s.audit.append({ runId: run.id, method: 'POST', host: 'api.example.com', path: '/v1/contacts', status: 201, durationMs: 3, attempt: 1, outcome: 'success' });
    await s.jobs.markDone(job, { counts: { sent: 1 } });
    await s.results.put('contact_a', { id: 1 });
    const finished = await s.runs.setStatus(run.id, 'succeeded');
    expect(finished).toMatchObject({ counts: { extracted: 2, rejected: 1, sent: 1 }, startedAt: 1_000, finishedAt: 1_000 });
    expect(await s.audit.listByRun(run.id)).toHaveLength(1);
  });
});
