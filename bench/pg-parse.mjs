#!/usr/bin/env node
/**
 * `node bench/pg-parse.mjs`: what the PostgreSQL gate (native-host/src/db/postgres/classify.ts: parse
 * with libpg-query, then walk the tree) costs per db.execute / db.select call, beside what running the
 * same statement on the machine's PostgreSQL costs, measured in the same run.
 *
 *   gate   classifyExecute / classifiedSelect on the statement, in this process (bundled from the
 *          sources with esbuild, libpg-query external as in the host bundle), after a warm-up.
 *   server the same statement through pg (extended protocol, one connection) inside a transaction that
 *          is rolled back, into a table of a schema made for the run and dropped at the end.
 *
 * Statements: a one-row upsert (what a pipeline's db.execute typically holds), multi-row INSERTs of
 * 100 and 1,000 rows x 8 columns (the shape of a batch insert), and a select with a CTE and a join.
 * The host's own writer statements (db.insert / db.batchInsert) are not classified; the batch shapes
 * show what the gate would cost if a pipeline sent such a statement itself through db.execute.
 * PostgreSQL: 127.0.0.1:5432, database test, user postgres (FERRY_BENCH_PG_* override). A measurement,
 * not a test.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inside the checkout, so Node resolves libpg-query from its node_modules as it does for the host bundle.
const out = mkdtempSync(path.join(root, 'bench', '.pg-parse-'));
const bundle = path.join(out, 'classify.mjs');
await build({ entryPoints: [path.join(root, 'native-host/src/db/postgres/classify.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['libpg-query'], logLevel: 'warning' });
const { classifyExecute, classifiedSelect } = await import(pathToFileURL(bundle).href);

const COLUMNS = ['sku', 'name', 'price', 'qty', 'url', 'seen_at', 'meta', 'live'];
const schema = `ferry_bench_parse_${process.pid}`;
const table = `"${schema}"."items"`;
const insertRows = (n) => `INSERT INTO ${table} (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${Array.from({ length: n }, (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`).join(', ')}`;
const rowValues = (n) => Array.from({ length: n }, (_, r) => [`sku-${r}`, `name ${r}`, r * 1.5, r, `https://a.test/${r}`, '2025-01-02T00:00:00Z', '{"a":1}', r % 2 === 0]).flat();

const cases = [
  { name: 'upsert, 1 row', kind: 'execute', sql: `INSERT INTO ${table} (sku, name, price, qty) VALUES ($1, $2, $3, $4) ON CONFLICT (sku) DO UPDATE SET name = excluded.name, price = excluded.price, qty = excluded.qty`, values: ['a', 'b', 1, 2], iterations: 3000 },
  { name: 'INSERT 100 rows x 8', kind: 'execute', sql: insertRows(100), values: rowValues(100), iterations: 500 },
  { name: 'INSERT 1,000 rows x 8', kind: 'execute', sql: insertRows(1000), values: rowValues(1000), iterations: 50 },
  { name: 'select, CTE + join', kind: 'select', sql: `WITH recent AS (SELECT sku, max(seen_at) AS at FROM ${table} WHERE seen_at > $1 GROUP BY sku) SELECT i.sku, i.name, i.price, r.at FROM ${table} i JOIN recent r USING (sku) WHERE i.live ORDER BY r.at DESC LIMIT 100`, values: ['2025-01-01'], iterations: 3000 },
];

const client = new pg.Client({ host: process.env.FERRY_BENCH_PG_HOST ?? '127.0.0.1', port: Number(process.env.FERRY_BENCH_PG_PORT ?? 5432), database: process.env.FERRY_BENCH_PG_DATABASE ?? 'test', user: process.env.FERRY_BENCH_PG_USER ?? 'postgres' });
await client.connect();
await client.query(`CREATE SCHEMA ${schema}`);
await client.query(`CREATE TABLE ${table} (sku text PRIMARY KEY, name text, price double precision, qty bigint, url text, seen_at timestamptz, meta jsonb, live boolean)`);

const gate = (c) => (c.kind === 'execute' ? classifyExecute(c.sql, false) : classifiedSelect(c.sql));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const started = performance.now();
  await gate(cases[0]);
  process.stdout.write(`first call (loads the WebAssembly parser): ${(performance.now() - started).toFixed(0)} ms\n\n`);
  process.stdout.write(`${'statement'.padEnd(24)}${'chars'.padStart(8)}${'gate µs'.padStart(10)}${'server µs'.padStart(11)}${'gate/server'.padStart(13)}\n`);
  for (const c of cases) {
    for (let i = 0; i < 20; i += 1) await gate(c);
    const gateRounds = [];
    for (let round = 0; round < 5; round += 1) {
      const t0 = performance.now();
      for (let i = 0; i < c.iterations; i += 1) await gate(c);
      gateRounds.push(((performance.now() - t0) * 1000) / c.iterations);
    }
    const serverRuns = [];
    const text = c.kind === 'select' ? `DECLARE bench NO SCROLL CURSOR FOR ${c.sql}` : c.sql;
    for (let i = 0; i < Math.min(200, c.iterations); i += 1) {
      await client.query('BEGIN');
      const t0 = performance.now();
      await client.query({ text, values: c.values, queryMode: 'extended' });
      serverRuns.push((performance.now() - t0) * 1000);
      await client.query('ROLLBACK');
    }
    const g = median(gateRounds);
    const s = median(serverRuns);
    process.stdout.write(`${c.name.padEnd(24)}${String(c.sql.length).padStart(8)}${g.toFixed(0).padStart(10)}${s.toFixed(0).padStart(11)}${(g / s).toFixed(2).padStart(13)}\n`);
  }
} finally {
  await client.query(`DROP SCHEMA ${schema} CASCADE`);
  await client.end();
  rmSync(out, { recursive: true, force: true });
}
