#!/usr/bin/env node
/**
 * `npm run bench:db`: records from the extension's service worker through native messaging into
 * SQLite with Ferry's `db.batchInsert`, measured in real headless Chromium with the built extension
 * and the real host, beside raw better-sqlite3 inserting the same rows in this process, in the same
 * run.
 *
 *   Ferry   the worker sends --records rows (default 100,000) in calls of --per-call (10,000), each a
 *           db.batchInsert with --batch-size rows per transaction (1,000): zod validation on both
 *           sides, JSON-RPC framing and chunking over the native port, the host's identifier checks,
 *           create-table-if-missing and bound parameters. Timed in the worker.
 *   raw     better-sqlite3 in this process: the same rows, the same table shape, WAL, one prepared
 *           INSERT, --batch-size rows per transaction. Timed from the first row built to the last
 *           commit.
 *
 * Rounds alternate who goes first; each round writes fresh tables; each figure is the median over
 * rounds and the ratio the median of the rounds' Ferry/raw ratios. Every Ferry round is checked by
 * reading the host's database file back: exactly the rows sent, each once, sample rows equal.
 * A measurement, not a test: a missed target prints MISSED and exits 0; a failed check exits 1.
 *
 * Options: --json  --records N (100000)  --per-call N (10000)  --batch-size N (1000)  --rounds N (3)
 *          --no-build  --build (force rebuild)
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt } from './lib/build.mjs';
import { benchRecord, rawSqliteInsert, readBack } from './lib/db-records.mjs';
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
  },
});
const positive = (name) => {
  const n = Number(opts[name]);
  if (!(n > 0) || !Number.isInteger(n)) throw new Error(`--${name} must be a positive integer, got ${opts[name]}`);
  return n;
};
const config = { records: positive('records'), perCall: positive('per-call'), batchSize: positive('batch-size'), rounds: positive('rounds') };
const TARGET = 0.5;
const log = (line) => process.stderr.write(`[bench:db] ${line}\n`);

ensureBuilt(root, { mode: opts['no-build'] ? 'never' : opts.build ? 'always' : 'auto', log });
const profile = createBenchProfile(root);
const bench = benchSession({ profile, log });
const hostDataDir = path.join(profile.ferryHome, 'data');
const rawDir = path.join(profile.root, 'raw');

/** Reads Ferry's table back from the host's database file and says what is wrong with it. */
function check(database, table, n, offset) {
  const sample = [offset, offset + Math.floor(n / 2), offset + n - 1];
  const { count, distinct, rows } = readBack({ file: path.join(hostDataDir, database), table, ids: sample });
  const problems = [];
  if (count !== n) problems.push(`${count} rows for ${n} records`);
  if (distinct !== n) problems.push(`${distinct} distinct ids for ${n} records`);
  rows.forEach((row, i) => {
    const want = benchRecord(sample[i]);
    const same = row && row.name === want.name && row.email === want.email && row.amount === want.amount && Number(row.active) === Number(want.active) && row.createdAt === want.createdAt;
    if (!same) problems.push(`row ${sample[i]} reads back as ${JSON.stringify(row)}`);
  });
  return problems;
}

try {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(rawDir, { recursive: true });
  log(`launching headless Chromium with the extension and Ferry's host (data in ${hostDataDir})…`);
  const session = await bench.launch({ extensionDir: path.join(root, '.output/chrome-mv3'), userDataDir: profile.userDataDir, env: profile.env });
  const { worker } = session;
  await worker.evaluate(installDbWorkloads, { perCall: config.perCall, batchSize: config.batchSize });
  const ferryInsert = (arg) => worker.evaluate((a) => globalThis.__ferryDbBench.ferryInsert(a), arg);

  log('warming up (the host starts, SQLite opens, both sides insert 5,000 rows)…');
  await ferryInsert({ database: 'warmup.sqlite', table: 'warmup', n: 5_000, offset: 0 });
  rawSqliteInsert({ file: path.join(rawDir, 'warmup.sqlite'), table: 'warmup', n: 5_000, offset: 0, batchSize: config.batchSize });

  const n = config.records;
  const rounds = [];
  const failures = [];
  for (let r = 0; r < config.rounds; r++) {
    const round = {};
    const table = `records_r${r + 1}`;
    const steps = {
      ferry: async () => {
        round.ferry = await ferryInsert({ database: 'bench.sqlite', table, n, offset: r * n });
        const problems = check('bench.sqlite', table, n, r * n);
        if (round.ferry.inserted !== n) problems.push(`db.batchInsert reported ${round.ferry.inserted} inserted for ${n}`);
        if (problems.length > 0) failures.push(`round ${r + 1}: ${problems.join('; ')}`);
      },
      raw: async () => {
        round.raw = rawSqliteInsert({ file: path.join(rawDir, 'bench.sqlite'), table, n, offset: r * n, batchSize: config.batchSize });
      },
    };
    for (const step of r % 2 === 0 ? ['ferry', 'raw'] : ['raw', 'ferry']) await steps[step]();
    round.ferryPerSecond = (n / round.ferry.ms) * 1000;
    round.rawPerSecond = (n / round.raw.ms) * 1000;
    rounds.push(round);
    log(`round ${r + 1}/${config.rounds}: Ferry ${Math.round(round.ferryPerSecond)} rows/s (${Math.round(round.ferry.ms)} ms), raw better-sqlite3 ${Math.round(round.rawPerSecond)} rows/s (${Math.round(round.raw.ms)} ms)`);
  }

  const ferry = median(rounds.map((x) => x.ferryPerSecond));
  const raw = median(rounds.map((x) => x.rawPerSecond));
  const ratio = median(rounds.map((x) => x.ferryPerSecond / x.rawPerSecond));
  const machine = { node: process.version, chromium: session.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  const results = {
    machine,
    config,
    metrics: { sqliteRowsPerSecond: { ferry, raw, ratio, target: `>= ${TARGET}x`, met: ratio >= TARGET } },
    verification: { ok: failures.length === 0, failures },
    rounds,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const rows = [
      { label: 'SQLite by db.batchInsert', ferry: `${Math.round(ferry)} rows/s`, raw: `${Math.round(raw)} rows/s`, ratio, target: `>= ${TARGET}x`, met: ratio >= TARGET },
      { label: 'time per 1,000 rows', ferry: `${fmt(1_000_000 / ferry, 2)} ms`, raw: `${fmt(1_000_000 / raw, 2)} ms`, ratio: raw / ferry, target: '—', met: null },
    ];
    process.stdout.write(
      [
        '',
        `Ferry: service worker → native messaging → host → SQLite, vs raw better-sqlite3 in-process — median of ${config.rounds} interleaved rounds of ${n} rows`,
        `machine: Node ${machine.node}, Chromium ${machine.chromium}, ${machine.cpus} CPUs (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}`,
        `Ferry sends ${config.perCall} records per call, ${config.batchSize} rows per transaction on both sides; WAL on both sides`,
        '',
        renderHttpTable(rows, 'raw driver'),
        '',
        'ratio = median over rounds of Ferry / raw within the round (rates: higher is better)',
        failures.length === 0 ? `check: every Ferry round read back from the host's file: exactly ${n} rows, each id once, sample rows equal` : `CHECK FAILED: ${failures.join(' | ')}`,
        ratio >= TARGET ? `met: ${fmt(ratio, 2)}x >= ${TARGET}x` : `MISSED: ${fmt(ratio, 2)}x < ${TARGET}x`,
        '',
      ].join('\n'),
    );
  }
  if (failures.length > 0) process.exitCode = 1;
} catch (error) {
  bench.fail(error);
} finally {
  await bench.cleanup();
}
