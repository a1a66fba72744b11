import 'fake-indexeddb/auto';
/** The run service the background wires: wake-ups, one drive at a time, views, the vault, secrets kept out of storage. */
import { describe, expect, it } from 'vitest';
import { FerryError } from '../../../src/errors/ferry-error';
import { alarmScheduler, createRunService, MIN_ALARM_DELAY_MS, startRun, vaultResolver } from '../../../src/runs';
import { POSTPONE_MS } from '../../../src/runs/process-job';
import type { FerryDB } from '../../../src/storage/db';
import { harness } from './harness';
import { ingestServerPerTest } from './ingest-server';
import { goodRecord, seedHttpPipeline } from './seed-pipeline';

const server = ingestServerPerTest();

const SECRET = 'sk_live_CANARY_7a6b5c4d3e2f';

/** Every place in every table where `needle` appears in text. */
async function findEverywhere(db: FerryDB, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const visit = (value: unknown, where: string): void => {
    if (typeof value === 'string') {
      if (value.includes(needle)) hits.push(where);
    } else if (value !== null && typeof value === 'object' && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`);
    }
  };
  for (const table of db.tables) (await table.toArray()).forEach((row, i) => visit(row, `${table.name}[${i}]`));
  return hits;
}

describe('the run service', () => {
  it('asks the scheduler for a wake-up at start, and for the next due time while work remains', async () => {
    const h = await harness();
    const wakeUps: number[] = [];
    const withScheduler = createRunService({ ...h.deps, owner: 'w1', scheduler: { schedule: (at) => void wakeUps.push(at) } });
    server.api.failNext({ status: 429, headers: { 'retry-after': '120' } });
    const t0 = h.clock.now();
    const runId = await withScheduler.start({ pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0)] });
    expect(wakeUps).toEqual([t0]);
    expect(await withScheduler.drive()).toEqual({ processed: 1, nextDueAt: t0 + 120_000 });
    expect(wakeUps).toEqual([t0, t0 + 120_000]);
    h.clock.set(t0 + 120_000);
    expect(await withScheduler.drive()).toEqual({ processed: 1 });
    expect(wakeUps).toHaveLength(2);
    expect(await withScheduler.getRun(runId)).toMatchObject({ status: 'succeeded' });
  });

  it('never runs two drives at once: a drive asked for meanwhile joins the running one, which goes round again', async () => {
    const h = await harness();
    let inFlight = 0;
    let maxInFlight = 0;
    server.rest.route('/v1/data', async (req, res, ctx) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return server.api.handler(req, res, ctx);
    });
    const service = h.service('w1');
    await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records: [0, 1, 2].map(goodRecord) });
    const first = service.drive();
    const second = service.drive();
    expect(second).toBe(first);
    expect(await first).toEqual({ processed: 3 });
    expect(maxInFlight).toBe(1);
    expect(server.api.applied).toHaveLength(3);
  });

  it('shows runs without the pipeline stored with them, with their jobs and dead letters counted', async () => {
    const h = await harness();
    const service = h.service('w1');
    const runId = await service.start({ pipeline: seedHttpPipeline(server.rest.origin, {}, 'orders'), records: [goodRecord(0), { field1: 'x' }] });
    const run = await service.getRun(runId);
    expect(run).toMatchObject({ id: runId, pipelineId: 'orders', status: 'queued', jobs: { pending: 1, total: 1 }, deadLetters: 0, counts: { extracted: 2, rejected: 1 } });
    expect(run).not.toHaveProperty('definition');
    expect((await service.listRuns()).map((r) => r.id)).toEqual([runId]);
    expect((await service.listRuns({ pipelineId: 'orders' }))[0]).not.toHaveProperty('definition');
    expect(await service.listRejects(runId)).toHaveLength(1);
    expect(await service.getRun('nope')).toBeUndefined();
  });

  it('a budget of no time claims nothing and says the work is due now', async () => {
    const h = await harness();
    await startRun(h.deps, { pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0)] });
    expect(await h.service('w1').drive({ maxWorkMs: 0 })).toEqual({ processed: 0, nextDueAt: h.clock.now() });
  });

  it('credentials come from the vault at send time and are stored nowhere: not in jobs, dead letters, audit or results', async () => {
    const h = await harness();
    await h.repos.vault.setCredential('apiToken', SECRET);
    const withVault = createRunService({ ...h.deps, resolveCredential: vaultResolver(h.repos.vault), owner: 'w1' });
    server.api.failNext({ status: 401 });
    const runId = await withVault.start({ pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0), goodRecord(1)] });
    await withVault.drive();
    expect(server.api.requests.map((r) => [r.result, r.headers.authorization])).toEqual([['failed', `Bearer ${SECRET}`], ['applied', `Bearer ${SECRET}`]]);
    expect(await withVault.listDeadLetters({ runId })).toHaveLength(1);
    expect(await findEverywhere(h.repos.db, SECRET)).toEqual([]);
  });

  it('a credential in the URL path is scrubbed from the audit trail and the dead letter in its percent-encoded form too', async () => {
    const h = await harness();
    const pathSecret = 'k3y wïth spaces"{x}';
    await h.repos.vault.setCredential('pathKey', pathSecret);
    const withVault = createRunService({ ...h.deps, resolveCredential: vaultResolver(h.repos.vault), owner: 'w1' });
    const pipeline = seedHttpPipeline(server.rest.origin, {}) as { steps: { http: { url: string; headers: Record<string, string> } }[] };
    pipeline.steps[1]!.http.url = `${server.rest.origin}/v1/unknown/{{credentials.pathKey}}`; // answers 404: dead-lettered
    delete pipeline.steps[1]!.http.headers.Authorization;
    const runId = await withVault.start({ pipeline, records: [goodRecord(0)] });
    await withVault.drive();
    const [letter] = await withVault.listDeadLetters({ runId });
    expect(letter!.lastOutcome.message).toContain('/v1/unknown/[redacted] answered 404');
    expect((await withVault.listAudit(runId)).map((a) => a.path)).toEqual(['/v1/unknown/[redacted]']);
    const encoded = new URL(`https://x.test/${pathSecret}`).pathname.slice(1);
    expect(encoded).not.toBe(pathSecret);
    expect(await findEverywhere(h.repos.db, encoded)).toEqual([]);
    expect(await findEverywhere(h.repos.db, pathSecret)).toEqual([]);
  });

  it('a missing credential dead-letters the batch with a message that says where to add it; a replay after adding it delivers', async () => {
    const h = await harness();
    const service = createRunService({ ...h.deps, resolveCredential: vaultResolver(h.repos.vault), owner: 'w1' });
    const runId = await service.start({ pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0)] });
    await service.drive();
    expect(server.api.requests).toEqual([]);
    const [letter] = await service.listDeadLetters({ runId });
    expect(letter!.lastOutcome).toMatchObject({ label: 'template_missing_credential', message: expect.stringContaining('there is no credential named "apiToken"') });

    await h.repos.vault.setCredential('apiToken', SECRET);
    await service.replayDeadLetters([letter!.id]);
    await service.drive();
    expect(server.api.requests.map((r) => [r.key, r.result])).toEqual([[`${runId}:0`, 'applied']]);
    expect(await service.getRun(runId)).toMatchObject({ status: 'succeeded' });
  });
  it('a locked vault postpones the batch instead of failing it: no dead letter, no attempt spent, delivered once unlocked', async () => {
    const h = await harness();
    let locked = true;
    const resolveCredential = async (name: string) => {
      if (locked) throw new FerryError('VAULT_LOCKED', 'The vault is locked; unlock it in Ferry\'s options to send.');
      return name === 'apiToken' ? SECRET : undefined;
    };
    const service = createRunService({ ...h.deps, resolveCredential, owner: 'w1' });
    const runId = await service.start({ pipeline: seedHttpPipeline(server.rest.origin), records: [goodRecord(0)] });
    const first = await service.drive();
    expect(server.api.requests).toEqual([]);
    expect(await service.listDeadLetters({ runId })).toEqual([]);
    const [job] = await h.repos.jobs.listByRun(runId);
    expect(job).toMatchObject({ status: 'pending', lastOutcome: { label: 'vault_locked', details: { attemptsMade: 0 } } });
    expect(first.nextDueAt).toBe(h.clock.now() + POSTPONE_MS);

    locked = false;
    h.clock.set(first.nextDueAt!);
    await service.drive();
    expect(server.api.requests.map((r) => [r.key, r.result])).toEqual([[`${runId}:0`, 'applied']]);
    expect(await service.getRun(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1, failed: 0 } });
  });
});

describe('discarding dead letters', () => {
  it('drops them for good, by id or by run; the run stays failed with its failed count, and nothing is sent', async () => {
    const h = await harness();
    const service = h.service('w1');
    server.api.failNext({ status: 400 }, { status: 400 }, { status: 400 });
    const runId = await service.start({ pipeline: seedHttpPipeline(server.rest.origin), records: [0, 1, 2].map(goodRecord) });
    await service.drive();
    const letters = await service.listDeadLetters({ runId });
    expect(letters).toHaveLength(3);
    expect(await service.discardDeadLetters([letters[0]!.id])).toEqual({ discarded: 1 });
    expect(await service.discardDeadLetters([letters[0]!.id])).toEqual({ discarded: 0 });
    expect(await service.discardDeadLetters({ runId })).toEqual({ discarded: 2 });
    expect(await service.listDeadLetters({ runId })).toEqual([]);
    expect(await service.drive()).toEqual({ processed: 0 });
    expect(server.api.requests).toHaveLength(3);
    expect(await service.getRun(runId)).toMatchObject({ status: 'failed', deadLetters: 0, counts: { extracted: 3, sent: 0, failed: 3 } });
  });
});

describe('alarmScheduler', () => {
  it('asks chrome.alarms for one named alarm, never sooner than the 30 s browsers allow', async () => {
    const created: [string, { when: number }][] = [];
    const scheduler = alarmScheduler({ create: (name, info) => void created.push([name, info]) }, { now: () => 1_000_000 });
    await scheduler.schedule(1_000_000);
    await scheduler.schedule(1_000_000 + 90_000);
    expect(created).toEqual([
      ['ferry.runs.drive', { when: 1_000_000 + MIN_ALARM_DELAY_MS }],
      ['ferry.runs.drive', { when: 1_000_000 + 90_000 }],
    ]);
  });
});
