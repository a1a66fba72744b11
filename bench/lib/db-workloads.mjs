/**
 * The database workload, run inside the extension's service worker. `installDbWorkloads` is serialized
 * by Playwright and evaluated there, so it must be self-contained: it may use only its argument and
 * the worker's globals (`performance`, `globalThis.ferry.client`). It leaves `globalThis.__ferryDbBench`
 * behind; later `worker.evaluate` calls run single measurements through it.
 *
 * The records are generated in the worker (the same generator as the raw side, see db-records.mjs),
 * so only the host call is timed: the service worker sends them through native messaging in calls of
 * `perCall` records, each a `db.batchInsert` with `batchSize` rows per transaction. The records go
 * through the client's `call()` like any caller's: it sends them as a record table `{ columns, rows }`
 * (src/native/write-params.ts), in one frame up to 8 MiB.
 */

/** @param {{ perCall: number, batchSize: number }} config */
export function installDbWorkloads(config) {
  const client = globalThis.ferry.client;
  const LONG = { timeoutMs: 600_000 };

  // Keep in step with bench/lib/db-records.mjs (the raw side builds the same rows).
  const record = (i) => ({
    id: i,
    name: `Customer ${i}`,
    email: `customer${i}@example.test`,
    amount: Math.round(i * 137.5) / 100,
    active: i % 3 !== 0,
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  });

  /** Inserts records [offset, offset + n) into `table` over `connection` (a db.* connection config); resolves with the time and counts. */
  async function ferryInsert({ connection, table, n, offset }) {
    const records = Array.from({ length: n }, (_, i) => record(offset + i));
    let inserted = 0;
    const t0 = performance.now();
    for (let start = 0; start < n; start += config.perCall) {
      const data = records.slice(start, start + config.perCall);
      const result = await client.call('db.batchInsert', { connection, table, data, batchSize: config.batchSize, conflictResolution: 'error' }, LONG);
      inserted += result.inserted;
    }
    return { ms: performance.now() - t0, inserted };
  }

  globalThis.__ferryDbBench = { ferryInsert };
}
