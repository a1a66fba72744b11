#!/usr/bin/env node
/**
 * `npm run bench:db`: records from the extension's service worker through native messaging into
 * SQLite and PostgreSQL with Ferry's `db.batchInsert`, measured in real headless Chromium with the
 * built extension and the real host, beside the raw drivers inserting the same rows in this process
 * (better-sqlite3; pg with multi-row INSERTs), in the same run.
 *
 *   Ferry   the worker sends --records rows (default 100,000) in calls of --per-call (10,000), each a
 *           db.batchInsert with --batch-size rows per transaction (1,000), through the client's
 *           call() as the background sends it: records as a record table { columns, rows }, JSON-RPC
 *           framing over the native port (chunked above 8 MiB), the host's params check, identifier
 *           checks, create-table-if-missing and bound parameters. Timed in the worker.
 *   raw     in this process, the same rows and table shape, --batch-size rows per transaction:
 *           better-sqlite3 (WAL, one prepared INSERT) and pg (one connection, one multi-row INSERT per
 *           transaction). Timed from the first row built to the last commit.
 *
 * PostgreSQL is the machine's (127.0.0.1:5432, database test, user postgres, trust auth; override
 * with FERRY_BENCH_PG_HOST/PORT/DATABASE/USER); both sides write into a schema made for the run and
 * dropped at the end. --no-postgres skips it.
 *
 * Rounds alternate who goes first; each round writes fresh tables; each figure is the median over
 * rounds and the ratio the median of the rounds' Ferry/raw ratios. Every Ferry round is checked by
 * reading the host's database file back: exactly the rows sent, each once, sample rows equal.
 * A measurement, not a test: a missed target prints MISSED and exits 0; a failed check exits 1.
 *
 * Options: --json  --records N (100000)  --per-call N (10000)  --batch-size N (1000)  --rounds N (3)
 *          --no-postgres  --no-build  --build (force rebuild)
 */
import { positiveOption } from './lib/args.mjs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt } from './lib/build.mjs';
import { benchRecord, PG, pgClient, rawPgInsert, rawSqliteInsert, readBack, readBackPg } from './lib/db-records.mjs';
import { installDbWorkloads } from './lib/db-workloads.mjs';
import { fmt, renderHttpTable } from './lib/http-report.mjs';
import { createBenchProfile } from './lib/profile.mjs';
import { benchSession } from './lib/session.mjs';
import { median } from './lib/stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    records: { type: 'string', default: '100000' },
    'per-call': { type: 'string', default: '10000' },
    'batch-size': { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    'no-postgres': { type: 'boolean', default: false },
  },
});
const positive = (name) => positiveOption(opts, name);
const config = { records: positive('records'), perCall: positive('per-call'), batchSize: positive('batch-size'), rounds: positive('rounds') };
const TARGET = { sqlite: 0.5, postgres: 0.7 };
const withPostgres = !opts['no-postgres'];
const schema = `ferry_bench_${process.pid}`;
const log = (line) => process.stderr.write(`[bench:db] ${line}\n`);

ensureBuilt(root, { mode: opts['no-build'] ? 'never' : opts.build ? 'always' : 'auto', log });
const profile = createBenchProfile(root);
const bench = benchSession({ profile, log });
const hostDataDir = path.join(profile.ferryHome, 'data');
const rawDir = path.join(profile.root, 'raw');

/** What is wrong with what a table holds after `n` records from `offset` went in. */
function problemsWith({ count, distinct, rows }, n, sample) {
  const problems = [];
  if (count !== n) problems.push(`${count} rows for ${n} records`);
  if (distinct !== n) problems.push(`${distinct} distinct ids for ${n} records`);
  rows.forEach((row, i) => {
    const want = benchRecord(sample[i]);
    const createdAt = row?.createdAt instanceof Date ? row.createdAt.toISOString() : row?.createdAt;
    const same = row && Number(row.id) === want.id && row.name === want.name && row.email === want.email && row.amount === want.amount && Number(row.active) === Number(want.active) && createdAt === want.createdAt;
    if (!same) problems.push(`row ${sample[i]} reads back as ${JSON.stringify(row)}`);
  });
  return problems;
}

const sampleOf = (n, offset) => [offset, offset + Math.floor(n / 2), offset + n - 1];
/** Reads Ferry's table back from the host's SQLite file. */
const checkSqlite = (database, table, n, offset) => problemsWith(readBack({ file: path.join(hostDataDir, database), table, ids: sampleOf(n, offset) }), n, sampleOf(n, offset));
/** Reads Ferry's table back from PostgreSQL with a connection of this process's own. */
const checkPostgres = async (table, n, offset) => problemsWith(await readBackPg({ schema, table, ids: sampleOf(n, offset) }), n, sampleOf(n, offset));
const pgConnection = { type: 'postgresql', host: PG.host, port: PG.port, database: PG.database, username: PG.user };
/** Runs `fn` with a fresh client, closing it after. */
async function withPg(fn) {
  const client = await pgClient();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

try {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(rawDir, { recursive: true });
  log(`launching headless Chromium with the extension and Ferry's host (data in ${hostDataDir})…`);
  const session = await bench.launch({ extensionDir: path.join(root, '.output/chrome-mv3'), userDataDir: profile.userDataDir, env: profile.env });
  const { worker } = session;
  await worker.evaluate(installDbWorkloads, { perCall: config.perCall, batchSize: config.batchSize });
  const ferryInsert = (arg) => worker.evaluate((a) => globalThis.__ferryDbBench.ferryInsert(a), arg);

  if (withPostgres) await withPg((c) => c.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
  const engines = [
    {
      name: 'sqlite', label: 'SQLite', rawName: 'better-sqlite3',
      ferry: (table, n, offset) => ferryInsert({ connection: { type: 'sqlite', database: 'bench.sqlite' }, table, n, offset }),
      raw: async (table, n, offset) => rawSqliteInsert({ file: path.join(rawDir, 'bench.sqlite'), table, n, offset, batchSize: config.batchSize }),
      check: async (table, n, offset) => checkSqlite('bench.sqlite', table, n, offset),
    },
    ...(withPostgres ? [{
      name: 'postgres', label: 'PostgreSQL', rawName: 'pg',
      ferry: (table, n, offset) => ferryInsert({ connection: pgConnection, table: `${schema}.${table}_ferry`, n, offset }),
      raw: (table, n, offset) => rawPgInsert({ schema, table: `${table}_raw`, n, offset, batchSize: config.batchSize }),
      check: (table, n, offset) => checkPostgres(`${table}_ferry`, n, offset),
    }] : []),
  ];

  const n = config.records;
  const failures = [];
  const summary = {};
  for (const engine of engines) {
    log(`${engine.label}: warming up (both sides insert 5,000 rows)…`);
    await engine.ferry('warmup', 5_000, 0);
    await engine.raw('warmup', 5_000, 0);
    const rounds = [];
    for (let r = 0; r < config.rounds; r++) {
      const round = {};
      const table = `records_r${r + 1}`;
      const offset = (r + 1) * n;
      const steps = {
        ferry: async () => {
          round.ferry = await engine.ferry(table, n, offset);
          const problems = await engine.check(table, n, offset);
          if (round.ferry.inserted !== n) problems.push(`db.batchInsert reported ${round.ferry.inserted} inserted for ${n}`);
          if (problems.length > 0) failures.push(`${engine.label} round ${r + 1}: ${problems.join('; ')}`);
        },
        raw: async () => {
          round.raw = await engine.raw(table, n, offset);
        },
      };
      for (const step of r % 2 === 0 ? ['ferry', 'raw'] : ['raw', 'ferry']) await steps[step]();
      round.ferryPerSecond = (n / round.ferry.ms) * 1000;
      round.rawPerSecond = (n / round.raw.ms) * 1000;
      rounds.push(round);
      log(`${engine.label} round ${r + 1}/${config.rounds}: Ferry ${Math.round(round.ferryPerSecond)} rows/s (${Math.round(round.ferry.ms)} ms), raw ${engine.rawName} ${Math.round(round.rawPerSecond)} rows/s (${Math.round(round.raw.ms)} ms)`);
    }
    const ratio = median(rounds.map((x) => x.ferryPerSecond / x.rawPerSecond));
    summary[engine.name] = {
      label: engine.label, rawName: engine.rawName, rounds,
      ferry: median(rounds.map((x) => x.ferryPerSecond)), raw: median(rounds.map((x) => x.rawPerSecond)), ratio,
      target: `>= ${TARGET[engine.name]}x`, met: ratio >= TARGET[engine.name],
    };
  }

  const machine = { node: process.version, chromium: session.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  const results = {
    machine,
    config: { ...config, postgres: withPostgres ? { ...PG, schema } : null },
    metrics: Object.fromEntries(Object.entries(summary).map(([name, x]) => [`${name}RowsPerSecond`, { ferry: x.ferry, raw: x.raw, ratio: x.ratio, target: x.target, met: x.met }])),
    verification: { ok: failures.length === 0, failures },
    rounds: Object.fromEntries(Object.entries(summary).map(([name, x]) => [name, x.rounds])),
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const rows = Object.values(summary).flatMap((x) => [
      { label: `${x.label} by db.batchInsert (raw: ${x.rawName})`, ferry: `${Math.round(x.ferry)} rows/s`, raw: `${Math.round(x.raw)} rows/s`, ratio: x.ratio, target: x.target, met: x.met },
      { label: `  time per 1,000 rows`, ferry: `${fmt(1_000_000 / x.ferry, 2)} ms`, raw: `${fmt(1_000_000 / x.raw, 2)} ms`, ratio: x.raw / x.ferry, target: '—', met: null },
    ]);
    const verdicts = Object.values(summary).map((x) => `${x.label}: ${x.met ? 'met' : 'MISSED'} (${fmt(x.ratio, 2)}x, target ${x.target})`);
    process.stdout.write(
      [
        '',
        `Ferry: service worker → native messaging → host → database, vs the raw driver in-process — median of ${config.rounds} interleaved rounds of ${n} rows`,
        `machine: Node ${machine.node}, Chromium ${machine.chromium}, ${machine.cpus} CPUs (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}`,
        `Ferry sends ${config.perCall} records per call; ${config.batchSize} rows per transaction on both sides${withPostgres ? `; PostgreSQL ${PG.host}:${PG.port}/${PG.database}, schema ${schema} (dropped after)` : ''}`,
        '',
        renderHttpTable(rows, 'raw driver'),
        '',
        'ratio = median over rounds of Ferry / raw within the round (rates: higher is better)',
        failures.length === 0 ? `check: every Ferry round read back with a connection of the bench's own: exactly ${n} rows, each id once, sample rows equal` : `CHECK FAILED: ${failures.join(' | ')}`,
        verdicts.join('; '),
        '',
      ].join('\n'),
    );
  }
  if (failures.length > 0) process.exitCode = 1;
} catch (error) {
  bench.fail(error);
} finally {
  if (withPostgres) await withPg((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).catch((error) => log(`could not drop schema ${schema}: ${error.message}`));
  await bench.cleanup();
}
