import 'fake-indexeddb/auto';
/** Retries in a durable run: Retry-After, short in-memory waits, a 500 storm into dead letters, and their replay. */
import { describe, expect, it } from 'vitest';
import { drive, startRun } from '../../../src/runs';
import { driveUntilIdle, harness } from './harness';
import { ingestServerPerTest } from './ingest-server';
import { goodRecord, seedHttpPipeline } from './seed-pipeline';

const server = ingestServerPerTest();

/** The storm must use up retries, not trip the seed's breaker (5 failures): that is breaker.test.ts's subject. */
const patientBreaker = { circuitBreaker: { failureThreshold: 100, fallbackAction: 'fail' } };

describe('retries in a durable run', () => {
  it('429 with Retry-After: the wait is persisted as the job\'s retry time, then the same key succeeds', async () => {
    const h = await harness();
    server.api.failNext({ status: 429, headers: { 'retry-after': '2' } });
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0)] });
    const t0 = h.clock.now();

    expect(await drive(h.deps, { owner: 'w1' })).toEqual({ processed: 1, nextDueAt: t0 + 2_000 });
    const [waiting] = await h.repos.jobs.listByRun(runId);
    expect(waiting).toMatchObject({ status: 'pending', nextAttemptAt: t0 + 2_000, lastOutcome: { label: 'rate_limit_exceeded', httpStatus: 429, details: { attemptsMade: 1 } } });

    expect(await drive(h.deps, { owner: 'w1' })).toEqual({ processed: 0, nextDueAt: t0 + 2_000 });
    expect(server.api.requests).toHaveLength(1);

    h.clock.set(t0 + 2_000);
    expect(await drive(h.deps, { owner: 'w1' })).toEqual({ processed: 1 });
    expect(server.api.requests.map((r) => [r.result, r.key])).toEqual([['failed', `${runId}:0`], ['applied', `${runId}:0`]]);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1, retried: 1, failed: 0 } });
    const audit = await h.repos.audit.listByRun(runId);
    expect(audit.map((a) => [a.attempt, a.status, a.outcome])).toEqual([[1, 429, 'rate_limit_exceeded'], [2, 201, 'success']]);
  });

  it('short waits are slept through in one drive (deferAfterMs), keeping the key', async () => {
    const h = await harness({ deps: { deferAfterMs: 15_000 } });
    server.api.failNext({ status: 503 }, { status: 502 });
    const quickRetries = { retryStrategy: { maxAttempts: 3, backoffType: 'fixed', baseDelay: 5, maxDelay: 5, jitter: false } };
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin, quickRetries), records: [goodRecord(0)] });
    expect(await drive(h.deps, { owner: 'w1' })).toEqual({ processed: 1 });
    expect(server.api.requests.map((r) => [r.result, r.key])).toEqual([['failed', `${runId}:0`], ['failed', `${runId}:0`], ['applied', `${runId}:0`]]);
    expect(await h.repos.runs.get(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1, retried: 2 } });
  });

  it('a final outcome (400 validation_error) is not retried: one attempt, then the dead-letter list', async () => {
    const h = await harness();
    server.api.failNext({ status: 400 });
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0)] });
    await driveUntilIdle(h);
    expect(server.api.requests).toHaveLength(1);
    const [letter] = await h.repos.deadLetters.list({ runId });
    expect(letter).toMatchObject({ idempotencyKey: `${runId}:0`, lastOutcome: { label: 'validation_error', httpStatus: 400 } });
    expect(letter!.lastOutcome.message).toMatch(/answered 400 \(validation_error\) and is not retried/);
  });

  it('a 500 storm exhausts the retries into dead letters; after the server recovers, a replay delivers them once with their original keys', async () => {
    const h = await harness();
    server.api.storm({ status: 500 });
    const records = [goodRecord(0), goodRecord(1)];
    const runId = await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin, patientBreaker), records });
    await driveUntilIdle(h);

    // retryStrategy.maxAttempts (3) wins over retryConfig.maxRetries + 1 (4).
    expect(server.api.requests.map((r) => r.key).sort()).toEqual([0, 0, 0, 1, 1, 1].map((i) => `${runId}:${i}`));
    const letters = await h.repos.deadLetters.list({ runId });
    expect(letters.map((l) => [l.idempotencyKey, l.records])).toEqual([
      [`${runId}:0`, [expect.objectContaining({ apiField1: 'item-0' })]],
      [`${runId}:1`, [expect.objectContaining({ apiField1: 'item-1' })]],
    ]);
    expect(letters[0]!.lastOutcome).toMatchObject({ label: 'server_error', httpStatus: 500, message: expect.stringContaining('after 3 attempts') });
    const failedRun = await h.repos.runs.get(runId);
    expect(failedRun).toMatchObject({ status: 'failed', counts: { sent: 0, failed: 2, retried: 4 }, error: { code: 'RUN_NOTHING_DELIVERED' } });
    expect((await h.repos.audit.listByRun(runId)).map((a) => a.outcome)).toEqual(Array(6).fill('server_error'));

    server.api.storm(undefined);
    const service = h.service('worker-2');
    expect(await service.replayDeadLetters({ runId })).toEqual({ replayed: 2 });
    expect(await service.getRun(runId)).toMatchObject({ status: 'queued', jobs: { pending: 2 }, deadLetters: 0 });
    await service.drive();

    const after = server.api.requests.slice(6);
    expect(after.map((r) => [r.result, r.key])).toEqual([['applied', `${runId}:0`], ['applied', `${runId}:1`]]);
    expect(server.api.applied.map((r) => (r as { apiField1: string }).apiField1)).toEqual(['item-0', 'item-1']);
    const recovered = await service.getRun(runId);
    expect(recovered).toMatchObject({ status: 'succeeded', counts: { sent: 2, failed: 2 }, deadLetters: 0 });
    expect(recovered!.error).toBeUndefined();
  });
});
