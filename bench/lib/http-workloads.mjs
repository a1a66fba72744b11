/**
 * The HTTP workloads, run inside the extension's service worker. `installHttpWorkloads` is serialized
 * by Playwright and evaluated there, so it must be self-contained: it may use only its argument and
 * the worker's globals (`fetch`, `performance`, `globalThis.ferry.runs`). It leaves
 * `globalThis.__ferryHttpBench` behind; later `worker.evaluate` calls run single measurements.
 *
 * Every timing is taken with performance.now() in the worker, so the Playwright/CDP hop is never timed.
 */

/** @param {{ origin: string, token: string, pipelineText: string, maxWorkMs: number }} config */
export function installHttpWorkloads(config) {
  const engine = globalThis.ferry.runs;
  const url = `${config.origin}/v1/data`;
  const record = (i) => ({ field1: `rec-${i}`, field2: `user${i}@example.test` });
  const recordsFrom = (offset, n) => Array.from({ length: n }, (_, i) => record(offset + i));
  let service;

  /**
   * (a) Ferry: start a run of `n` records (record mode: one job, one request per record), then drive
   * until no job is pending or in flight. start() is timed apart: parse + map + validate + enqueue.
   */
  async function ferryRun({ n, offset }) {
    const records = recordsFrom(offset, n);
    const t0 = performance.now();
    const runId = await service.start({ pipeline: config.pipelineText, records, source: { url: 'https://shop.test/list' } });
    const t1 = performance.now();
    let drives = 0;
    let processed = 0;
    let run;
    for (;;) {
      // An alarm's kick may already be driving: drive() then joins it (and drives once more after it).
      const result = await service.drive({ maxWorkMs: config.maxWorkMs });
      drives += 1;
      processed += result.processed;
      run = await service.getRun(runId);
      if (run.jobs.pending + run.jobs.inFlight === 0) break;
      if (drives > 10_000) throw new Error(`run ${runId} still has ${run.jobs.pending} pending and ${run.jobs.inFlight} in-flight jobs after ${drives} drives`);
      // Nothing due right now (a retry waiting for its time): don't spin.
      if (result.processed === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const t2 = performance.now();
    return {
      runId, startMs: t1 - t0, driveMs: t2 - t1, totalMs: t2 - t0, drives, processed,
      status: run.status, counts: run.counts, jobs: run.jobs, deadLetters: run.deadLetters,
    };
  }

  /**
   * (b) Raw: the same requests with bare fetch — same URL, headers (a fresh Idempotency-Key each), a
   * JSON body of the shape Ferry renders, the response read as JSON — `concurrency` at a time.
   */
  async function rawRun({ n, offset, concurrency, keyPrefix }) {
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${config.token}`, 'X-Client-Version': '1.0.0' };
    const records = recordsFrom(offset, n);
    let next = 0;
    let failures = 0;
    const send = async (i) => {
      const now = new Date().toISOString();
      const r = records[i];
      const body = JSON.stringify({ data: { apiField1: r.field1, apiField2: r.field2, timestamp: now }, metadata: { source: 'browser-workflow', timestamp: now } });
      const response = await fetch(url, { method: 'POST', headers: { ...headers, 'Idempotency-Key': `${keyPrefix}:${i}` }, body });
      await response.json();
      if (response.status !== 201) failures += 1;
    };
    const lane = async () => {
      while (next < n) await send(next++);
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
    const ms = performance.now() - t0;
    if (failures > 0) throw new Error(`raw fetch: ${failures} of ${n} responses were not 201`);
    return { ms };
  }

  globalThis.__ferryHttpBench = {
    async setup() {
      service = await engine.service();
      await (await engine.vault()).setCredential('apiToken', config.token);
      return { owner: service.owner };
    },
    ferryRun,
    rawRun,
  };
  return true;
}
