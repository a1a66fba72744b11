import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { Pipelines } from './pipelines';
import { Rejects } from './rejects';
import { Runs } from './runs';
import { testClock, testDb } from './test-db.test-support';

describe('Runs', () => {
  it('stamps start and finish times, stores a failure and refuses to restart a finished run', async () => {
    const clock = testClock(1000);
    const runs = new Runs(await testDb(), clock.now);
    const run = await runs.create({ pipelineId: 'p1' });
    expect(run).toMatchObject({ status: 'queued', createdAt: 1000, counts: { extracted: 0, rejected: 0, sent: 0, failed: 0, retried: 0 } });
    clock.advance(10);
    await runs.setStatus(run.id, 'running');
    clock.advance(10);
    await runs.setStatus(run.id, 'paused');
    clock.advance(10);
    await runs.setStatus(run.id, 'running');
    clock.advance(10);
    const failed = await runs.setStatus(run.id, 'failed', { error: { code: 'HTTP_401', message: 'authentication_error' } });
    expect(failed).toMatchObject({ startedAt: 1010, finishedAt: 1040, updatedAt: 1040, error: { code: 'HTTP_401' } });
    expect(isFerryError(await runs.setStatus(run.id, 'running').catch((e: unknown) => e), 'RUN_FINISHED')).toBe(true);
    expect(isFerryError(await runs.setStatus('nope', 'running').catch((e: unknown) => e), 'RUN_NOT_FOUND')).toBe(true);
  });

  it('adds counts, saves checkpoints, lists by pipeline newest first and lists what to resume', async () => {
    const clock = testClock();
    const runs = new Runs(await testDb(), clock.now);
    const a = await runs.create({ pipelineId: 'p1', id: 'a' });
    clock.advance(1);
    const b = await runs.create({ pipelineId: 'p1', id: 'b' });
    clock.advance(1);
    await runs.create({ pipelineId: 'p2', id: 'c' });
    await runs.addCounts(a.id, { extracted: 5, sent: 2 });
    await runs.addCounts(a.id, { sent: 1 });
    expect((await runs.get(a.id))!.counts).toMatchObject({ extracted: 5, sent: 3 });
    await runs.saveCheckpoint(a.id, { page: 3 });
    expect((await runs.get(a.id))!.checkpoint).toEqual({ page: 3 });
    expect((await runs.listByPipeline('p1')).map((r) => r.id)).toEqual(['b', 'a']);
    await runs.setStatus(a.id, 'running');
    await runs.setStatus(b.id, 'cancelled');
    expect((await runs.listResumable()).map((r) => r.id)).toEqual(['a', 'c']);
  });
});

describe('Rejects', () => {
  it('stores rejects with reasons and counts them on the run', async () => {
    const db = await testDb();
    const runs = new Runs(db);
    const rejects = new Rejects(db);
    const run = await runs.create({ pipelineId: 'p1' });
    await rejects.add(run.id, [
      { record: { email: 'x' }, reasons: [{ path: 'email', rule: 'email', message: 'not an email address' }] },
      { record: {}, reasons: [{ path: 'apiField1', rule: 'required', message: 'is required' }] },
    ]);
    expect((await rejects.listByRun(run.id)).map((r) => r.reasons[0]!.rule)).toEqual(['email', 'required']);
    expect((await runs.get(run.id))!.counts.rejected).toBe(2);
  });
});

describe('Pipelines', () => {
  it('saves, lists by name, and deletes', async () => {
    const pipelines = new Pipelines(await testDb(), () => 5);
    await pipelines.save({ id: '2', name: 'Orders', document: { version: 1 } });
    await pipelines.save({ id: '1', name: 'Contacts', document: { version: 1 } });
    expect((await pipelines.list()).map((p) => p.name)).toEqual(['Contacts', 'Orders']);
    expect(await pipelines.get('2')).toEqual({ id: '2', name: 'Orders', document: { version: 1 }, updatedAt: 5 });
    await pipelines.delete('2');
    expect(await pipelines.get('2')).toBeUndefined();
  });
});
