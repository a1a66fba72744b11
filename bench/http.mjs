#!/usr/bin/env node
/**
 * `npm run bench:http`: records through Ferry's HTTP delivery step, measured in real headless Chromium
 * with the built extension, beside a raw `fetch` loop in the SAME service worker against the SAME
 * loopback server (CORS open, POST answers 201 JSON at once), in the same run.
 *
 *   Ferry   service.start({ pipeline, records }) then service.drive() until no job is pending: the
 *           seed's blocks (dataTransformation → HTTP POST with Bearer {{credentials.apiToken}},
 *           responseProcessing, retryStrategy, circuitBreaker), record mode: one job, one request per
 *           record, each through templates, the retry and breaker wrappers, the audit log and the
 *           IndexedDB job queue. start() (parse + map + validate + enqueue) is also timed apart.
 *   raw     the same number of fetch POSTs (same URL, headers, JSON body shape, response read as JSON),
 *           --concurrency at a time (default 4, as many as the background's drive keeps in flight:
 *           src/background/run-engine.ts), which is the target's comparison; and one at a time, for
 *           context.
 *   mapping src/pipeline bundled with esbuild and evaluated in the same worker: parse, compile, and
 *           per-record mapRecord (map + validate), validateRecord alone, and prepareRecords (what
 *           start() runs), over all the records (10,000) once per round.
 *
 * The records are split over rounds (default 10,000 per side = 5 rounds of 2,000, which keeps the
 * bench near 2-3 minutes at today's speed); rounds alternate who goes first; each figure is the median
 * over rounds and each ratio the median of the rounds' Ferry/raw ratios. The server checks every Ferry round: exactly N requests with N unique
 * Idempotency-Keys, all the run's. A measurement, not a test: a missed target prints MISSED and exits
 * 0; a failed check (records lost or duplicated) exits 1.
 *
 * Options: --json  --records N (10000 per side, split over the rounds)  --rounds N (5)  --warmup N (300)
 *          --concurrency N (4)  --cors wildcard|listed (wildcard: `*`, which Chromium re-preflights for
 *          every request carrying Authorization; listed: named headers + max-age, one preflight)
 *          --no-build  --build (force rebuild)  --extension DIR (another build, for A/B comparisons)
 */
import { positiveOption } from './lib/args.mjs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchSession } from './lib/session.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { buildMappingProbe } from './lib/http-mapping.mjs';
import { benchPipelineText } from './lib/http-pipeline.mjs';
import { fmt, renderHttpTable } from './lib/http-report.mjs';
import { startBenchServer } from './lib/http-server.mjs';
import { installHttpWorkloads } from './lib/http-workloads.mjs';
import { createBenchProfile } from './lib/profile.mjs';
import { median } from './lib/stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    records: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '4' },
    cors: { type: 'string', default: 'wildcard' },
    extension: { type: 'string' },
  },
});
const positive = (name) => positiveOption(opts, name);
const config = {
  records: positive('records'),
  rounds: positive('rounds'),
  warmup: positive('warmup'),
  concurrency: positive('concurrency'),
  cors: opts.cors,
  // One drive gets the whole run; the loop drives again if a budget still runs out.
  maxWorkMs: 600_000,
};
if (!['wildcard', 'listed'].includes(config.cors)) throw new Error(`--cors must be wildcard or listed, got ${config.cors}`);
config.perRound = Math.ceil(config.records / config.rounds);
const TARGET = 0.8;
const TOKEN = 'bench-token-0123456789abcdef';
const extensionDir = path.resolve(opts.extension ?? path.join(root, '.output/chrome-mv3'));

const log = (line) => process.stderr.write(`[bench:http] ${line}\n`);

ensureBuilt(root, { mode: opts['no-build'] ? 'never' : opts.build ? 'always' : 'auto', log });
const mappingProbe = await buildMappingProbe(root);

const server = await startBenchServer({ expectToken: TOKEN, cors: config.cors });
const profile = createBenchProfile(root);
const bench = benchSession({ profile, log, closeAlso: () => server.close() });

/** What the server saw in one phase, and what is wrong with it for `n` requests keyed `<keyPrefix>:…`. */
function checkPhase(stats, n, keyPrefix) {
  const problems = [];
  if (stats.posts !== n) problems.push(`${stats.posts} POSTs for ${n} records`);
  if (stats.keys.size !== n) problems.push(`${stats.keys.size} unique Idempotency-Keys for ${n} records`);
  if (stats.duplicateKeys > 0) problems.push(`${stats.duplicateKeys} requests repeated a key`);
  if (stats.missingKeys > 0) problems.push(`${stats.missingKeys} requests without a key`);
  if (stats.badAuth > 0) problems.push(`${stats.badAuth} requests without the expected Bearer token`);
  const foreign = [...stats.keys].filter((key) => !key.startsWith(`${keyPrefix}:`)).length;
  if (foreign > 0) problems.push(`${foreign} keys not of ${keyPrefix}`);
  return {
    posts: stats.posts, uniqueKeys: stats.keys.size, duplicateKeys: stats.duplicateKeys, preflights: stats.preflights,
    bodyBytesPerRequest: stats.posts > 0 ? Math.round(stats.bodyBytes / stats.posts) : 0, problems,
  };
}

try {
  log(`local API on ${server.origin}; launching headless Chromium with ${path.relative(root, extensionDir) || extensionDir}…`);
  const session = await bench.launch({ extensionDir, userDataDir: profile.userDataDir, env: profile.env });
  const { worker } = session;
  const pipelineText = benchPipelineText(root, server.origin);
  await worker.evaluate(installHttpWorkloads, { origin: server.origin, token: TOKEN, pipelineText, maxWorkMs: config.maxWorkMs });
  await worker.evaluate(() => globalThis.__ferryHttpBench.setup());
  await worker.evaluate(mappingProbe);
  const call = (name, arg) => worker.evaluate(([n, a]) => globalThis.__ferryHttpBench[n](a), [name, arg]);
  let offset = 0;
  const take = (n) => (offset += n) - n; // distinct records (and bodies) for every phase

  const verification = [];
  /** Runs one phase against a fresh server count, then checks what the server received. */
  const phase = async (name, n, fn, keyPrefixOf, extraProblems = () => []) => {
    server.beginPhase(name);
    const result = await fn();
    const checked = checkPhase(server.phase(), n, keyPrefixOf(result));
    checked.problems.push(...extraProblems(result));
    verification.push({ phase: name, ...checked });
    if (checked.problems.length > 0) log(`CHECK FAILED in ${name}: ${checked.problems.join('; ')}`);
    return { ...result, server: checked };
  };
  // Ferry's keys are `<runId>:<seq>`, so each round's keys must all be its own run's.
  const ferryPhase = (name, n) =>
    phase(name, n, () => call('ferryRun', { n, offset: take(n) }), (result) => result.runId, (result) =>
      result.status !== 'succeeded' || result.counts.sent !== n ? [`run ended ${result.status} with ${result.counts.sent} sent, ${result.counts.failed} failed`] : [],
    );
  const rawPhase = (name, n, concurrency) => phase(name, n, () => call('rawRun', { n, offset: take(n), concurrency, keyPrefix: name }), () => name);

  log(`warming up (${config.warmup} records each side)…`);
  await ferryPhase('warmup-ferry', config.warmup);
  await rawPhase('warmup-raw', config.warmup, 1);
  await rawPhase('warmup-raw-c', config.warmup, config.concurrency);
  await worker.evaluate(([text, n]) => globalThis.__ferryMapping.measure(text, Array.from({ length: n }, (_, i) => ({ field1: `m-${i}`, field2: `user${i}@example.test` })), 1), [pipelineText, config.warmup]);

  const n = config.perRound;
  const rounds = [];
  for (let r = 0; r < config.rounds; r++) {
    const round = {};
    const steps = {
      ferry: async () => (round.ferry = await ferryPhase(`ferry-r${r + 1}`, n)),
      raw: async () => (round.raw = await rawPhase(`raw-r${r + 1}`, n, 1)),
      rawConcurrent: async () => (round.rawConcurrent = await rawPhase(`raw-c${config.concurrency}-r${r + 1}`, n, config.concurrency)),
    };
    // Alternate who goes first so drift on a shared machine does not always favour one side.
    for (const step of r % 2 === 0 ? ['ferry', 'raw', 'rawConcurrent'] : ['rawConcurrent', 'raw', 'ferry']) await steps[step]();
    // Over all the records (10,000 by default): it takes well under a second.
    round.mapping = await worker.evaluate(
      ([text, count]) => globalThis.__ferryMapping.measure(text, Array.from({ length: count }, (_, i) => ({ field1: `m-${i}`, field2: `user${i}@example.test` }))),
      [pipelineText, config.records],
    );
    round.ferryPerSecond = (n / round.ferry.totalMs) * 1000;
    round.ferryDrivePerSecond = (n / round.ferry.driveMs) * 1000;
    round.rawPerSecond = (n / round.raw.ms) * 1000;
    round.rawConcurrentPerSecond = (n / round.rawConcurrent.ms) * 1000;
    rounds.push(round);
    log(
      `round ${r + 1}/${config.rounds}: Ferry ${Math.round(round.ferryPerSecond)} rec/s (start ${Math.round(round.ferry.startMs)} ms + drive ${Math.round(round.ferry.driveMs)} ms), ` +
        `raw ${Math.round(round.rawPerSecond)} req/s, raw x${config.concurrency} ${Math.round(round.rawConcurrentPerSecond)} req/s`,
    );
  }

  const med = (pick) => median(rounds.map(pick));
  const ratio = (a, b) => median(rounds.map((round) => a(round) / b(round)));
  const throughput = { ferry: med((x) => x.ferryPerSecond), raw: med((x) => x.rawPerSecond), ratio: ratio((x) => x.ferryPerSecond, (x) => x.rawPerSecond) };
  const driveOnly = { ferry: med((x) => x.ferryDrivePerSecond), raw: throughput.raw, ratio: ratio((x) => x.ferryDrivePerSecond, (x) => x.rawPerSecond) };
  const concurrent = { ferry: throughput.ferry, raw: med((x) => x.rawConcurrentPerSecond), ratio: ratio((x) => x.ferryPerSecond, (x) => x.rawConcurrentPerSecond) };
  const perRecordMs = { ferry: med((x) => x.ferry.totalMs / n), raw: med((x) => x.raw.ms / n), ratio: ratio((x) => x.ferry.totalMs, (x) => x.raw.ms) };
  const startUs = med((x) => (x.ferry.startMs * 1000) / n);
  const mapping = Object.fromEntries(['parseMs', 'compileMs', 'mapRecordUs', 'validateUs', 'mappingOnlyUs', 'prepareUs'].map((k) => [k, med((x) => x.mapping[k])]));
  // start() = parse + prepareRecords + one IndexedDB transaction (run, definition, jobs): the rest is storage.
  const enqueueUs = med((x) => (x.ferry.startMs * 1000) / n - x.mapping.prepareUs - (x.mapping.parseMs * 1000) / n);
  const failedChecks = verification.filter((v) => v.problems.length > 0);

  const machine = {
    node: process.version,
    chromium: session.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    extension: path.relative(root, extensionDir) || extensionDir,
  };
  const results = {
    machine,
    config: { ...config, pipeline: 'seed: data-transformation → http-request + response-processing + retry-strategy + circuit-breaker, record mode' },
    metrics: {
      recordsPerSecond: { ...concurrent, concurrency: config.concurrency, target: `>= ${TARGET}x`, met: concurrent.ratio >= TARGET },
      versusRawSequential: { ...throughput, target: null, met: null },
      driveRecordsPerSecond: { ...driveOnly, target: null, met: null },
      perRecordMs: { ...perRecordMs, target: null, met: null },
      startUsPerRecord: startUs,
      enqueueUsPerRecord: enqueueUs,
      mapping,
    },
    verification: { ok: failedChecks.length === 0, phases: verification },
    rounds,
  };

  if (opts.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const rate = (v) => `${Math.round(v)} rec/s`;
    const us = (v) => `${fmt(v, 2)} µs/rec`;
    const rows = [
      { label: `throughput vs raw fetch x${config.concurrency}`, ferry: rate(concurrent.ferry), raw: `${Math.round(concurrent.raw)} req/s`, ratio: concurrent.ratio, target: `>= ${TARGET}x`, met: results.metrics.recordsPerSecond.met },
      { label: `throughput vs raw fetch one at a time`, ferry: rate(throughput.ferry), raw: `${Math.round(throughput.raw)} req/s`, ratio: throughput.ratio, target: '—', met: null },
      { label: `throughput, drive only`, ferry: rate(driveOnly.ferry), raw: `${Math.round(driveOnly.raw)} req/s`, ratio: driveOnly.ratio, target: '—', met: null },
      { label: `wall time per record`, ferry: `${fmt(perRecordMs.ferry, 3)} ms`, raw: `${fmt(perRecordMs.raw, 3)} ms`, ratio: perRecordMs.ratio, target: '—', met: null },
      { label: 'start(): parse+map+validate+enqueue', ferry: us(startUs), raw: '—', ratio: null, target: '—', met: null },
      { label: '  of which map + validate', ferry: us(mapping.prepareUs), raw: '—', ratio: null, target: '—', met: null },
      { label: '  of which storage (1 IndexedDB tx)', ferry: us(enqueueUs), raw: '—', ratio: null, target: '—', met: null },
      { label: 'mapRecord (map + validate)', ferry: us(mapping.mapRecordUs), raw: '—', ratio: null, target: '—', met: null },
      { label: '  templates (mapRecord − validation)', ferry: us(mapping.mappingOnlyUs), raw: '—', ratio: null, target: '—', met: null },
      { label: '  validateRecord alone', ferry: us(mapping.validateUs), raw: '—', ratio: null, target: '—', met: null },
      { label: 'parse pipeline / compile mapping, once', ferry: `${fmt(mapping.parseMs, 2)} / ${fmt(mapping.compileMs, 3)} ms`, raw: '—', ratio: null, target: '—', met: null },
    ];
    const checked = verification.filter((v) => v.phase.startsWith('ferry-'));
    const out = [
      '',
      `Ferry HTTP delivery through Chromium vs a raw fetch loop in the same worker — median of ${config.rounds} interleaved rounds of ${n} records (${n * config.rounds} per side)`,
      `machine: Node ${machine.node}, Chromium ${machine.chromium}, ${machine.cpus} CPUs (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}`,
      `pipeline: the seed's blocks (dataTransformation → POST ${server.origin}/v1/data, Bearer credential, responseProcessing, retryStrategy, circuitBreaker), record mode; the background's drive keeps ${config.concurrency === 4 ? 4 : `4 (raw at ${config.concurrency})`} jobs in flight`,
      '',
      renderHttpTable(rows),
      '',
      'ratio = median over rounds of Ferry / raw within the round (rates: higher is better; time: lower is better)',
      `mapping: src/pipeline bundled with esbuild and run in the same worker over ${config.records} records (fastest of 3 repetitions, median over rounds); storage = start() − parse − prepareRecords`,
      failedChecks.length === 0
        ? `server check: every Ferry round delivered exactly ${n} requests with ${n} unique Idempotency-Keys of its run (${checked.map((v) => v.uniqueKeys).join(', ')}); CORS ${config.cors}: ${checked.map((v) => v.preflights).join(', ')} preflights per Ferry round`
        : `CHECK FAILED: ${failedChecks.map((v) => `${v.phase}: ${v.problems.join('; ')}`).join(' | ')}`,
      results.metrics.recordsPerSecond.met ? 'Target met.' : `MISSED: throughput ratio ${fmt(concurrent.ratio, 2)}x < ${TARGET}x`,
      '',
    ];
    process.stdout.write(out.join('\n'));
  }
  if (failedChecks.length > 0) process.exitCode = 1;
} catch (error) {
  bench.fail(error);
} finally {
  await bench.cleanup();
}
