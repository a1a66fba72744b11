#!/usr/bin/env node
/**
 * `npm run bench:rpc`: Ferry's JSON-RPC path (extension NativeClient → native host) measured through
 * real headless Chromium, beside a framing-only echo host measured in the same browser, same run.
 *
 *   sequential  1,000 `system.ping` round trips one after another → p50, p99
 *   pipelined   10,000 calls issued at once (Promise.all)          → calls/s
 *   echo        one ~10 MB `system.echo` (the bare host gets the same records in < 1 MiB pieces)
 *
 * Ferry and bare runs alternate within each round (sequential ones in blocks of 100); each figure is
 * the median over rounds and each ratio the median of the rounds' Ferry/bare ratios. Timings are taken
 * with performance.now() inside the service worker. A measurement, not a test: it exits 0 when a
 * target is missed, and says MISSED.
 *
 * Options: --json  --rounds N (5)  --no-build  --build (force rebuild)
 *          --sequential N (1000)  --pipelined N (10000)  --echo-mb N (10)  --warmup N (200)
 *          --host-bundle FILE (serve another build of the host, for A/B comparisons)
 */
import { positiveOption } from './lib/args.mjs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchSession } from './lib/session.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { BARE_HOST_NAME, createBenchProfile } from './lib/profile.mjs';
import { fmt, renderTable } from './lib/report.mjs';
import { detectResolution, mean, median, percentile } from './lib/stats.mjs';
import { installWorkloads } from './lib/workloads.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    sequential: { type: 'string', default: '1000' },
    pipelined: { type: 'string', default: '10000' },
    'echo-mb': { type: 'string', default: '10' },
    warmup: { type: 'string', default: '200' },
    'host-bundle': { type: 'string' },
  },
});
const positive = (name) => positiveOption(opts, name, { integer: false });
const config = {
  rounds: Math.round(positive('rounds')),
  sequential: Math.round(positive('sequential')),
  pipelined: Math.round(positive('pipelined')),
  echoBytes: Math.round(positive('echo-mb') * 1_000_000),
  warmup: Math.round(positive('warmup')),
};
const TARGET_P50 = 1.2;
const TARGET_THROUGHPUT = 0.8;

const log = (line) => process.stderr.write(`[bench:rpc] ${line}\n`);

ensureBuilt(root, { mode: opts['no-build'] ? 'never' : opts.build ? 'always' : 'auto', log });

const profile = createBenchProfile(root, { hostBundle: opts['host-bundle'] });
const bench = benchSession({ profile, log });

try {
  log('launching headless Chromium with the extension…');
  const session = await bench.launch({ extensionDir: path.join(root, '.output/chrome-mv3'), userDataDir: profile.userDataDir, env: profile.env });
  const { worker } = session;
  const payload = await worker.evaluate(installWorkloads, {
    bareHostName: BARE_HOST_NAME,
    echoBytes: config.echoBytes,
    recordBytes: 1000,
    pieceBytes: 900_000,
  });
  const host = await worker.evaluate(() => globalThis.__ferryBench.connect());
  const run = (name, arg) => worker.evaluate(([n, a]) => globalThis.__ferryBench[n](a), [name, arg]);

  log(`warming up (${config.warmup} sequential, ${Math.min(config.pipelined, 1000)} pipelined, one echo, each side)…`);
  for (const side of ['ferry', 'bare']) {
    await run(`${side}Sequential`, config.warmup);
    await run(`${side}Pipelined`, Math.min(config.pipelined, 1000));
    await run(`${side}Echo`);
  }

  let clockStep = 0;
  const summarize = (samples) => {
    const step = detectResolution(samples);
    clockStep = Math.max(clockStep, step);
    return { p50: percentile(samples, 50, step), p99: percentile(samples, 99, step), mean: mean(samples) };
  };
  /** Each workload measures both sides; `first` says which side goes first this round. */
  const workloads = [
    async (round, first) => {
      // Sequential runs alternate in blocks of 100 inside one evaluate, so noise hits both sides alike.
      const samples = await run('sequentialPair', { n: config.sequential, block: Math.min(100, config.sequential), first });
      Object.assign(round.ferry, summarize(samples.ferry));
      Object.assign(round.bare, summarize(samples.bare));
    },
    async (round, first) => {
      for (const side of first === 'ferry' ? ['ferry', 'bare'] : ['bare', 'ferry']) {
        const ms = await run(`${side}Pipelined`, config.pipelined);
        round[side].callsPerSecond = (config.pipelined / ms) * 1000;
      }
    },
    async (round, first) => {
      for (const side of first === 'ferry' ? ['ferry', 'bare'] : ['bare', 'ferry']) {
        const ms = await run(`${side}Echo`);
        Object.assign(round[side], { ms, mbPerSecond: payload.bytes / 1e6 / (ms / 1000) });
      }
    },
  ];
  const rounds = [];
  for (let r = 0; r < config.rounds; r++) {
    // Alternate who goes first so drift on a shared machine does not always favour one side.
    const round = { ferry: {}, bare: {} };
    for (const measure of workloads) await measure(round, r % 2 === 0 ? 'ferry' : 'bare');
    rounds.push(round);
    log(
      `round ${r + 1}/${config.rounds}: p50 ${fmt(round.ferry.p50, 3)} vs ${fmt(round.bare.p50, 3)} ms, ` +
        `${Math.round(round.ferry.callsPerSecond)} vs ${Math.round(round.bare.callsPerSecond)} calls/s, ` +
        `echo ${Math.round(round.ferry.ms)} vs ${Math.round(round.bare.ms)} ms`,
    );
  }

  const med = (side, key) => median(rounds.map((round) => round[side][key]));
  // The ratio pairs the two sides within each round (measured moments apart), then takes the median.
  const figure = (key) => ({
    ferry: med('ferry', key),
    bare: med('bare', key),
    ratio: median(rounds.map((round) => round.ferry[key] / round.bare[key])),
  });
  const p50 = figure('p50');
  const p99 = figure('p99');
  const avg = figure('mean');
  const throughput = figure('callsPerSecond');
  const echoMs = figure('ms');
  const echoRate = figure('mbPerSecond');

  const machine = {
    node: process.version,
    chromium: session.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    host: { ...host, bundle: opts['host-bundle'] ?? 'native-host/dist/ferry-host.mjs' },
    /** performance.now() step in the worker (Chrome coarsens it to 0.1 ms outside cross-origin isolation). */
    workerClockStepMs: clockStep,
  };
  const results = {
    machine,
    config: { ...config, echoPayloadBytes: payload.bytes, echoRecords: payload.records, bareEchoPieces: payload.barePieces },
    metrics: {
      sequentialP50Ms: { ...p50, target: `<= ${TARGET_P50}x`, met: p50.ratio <= TARGET_P50 },
      sequentialP99Ms: { ...p99, target: null, met: null },
      sequentialMeanMs: { ...avg, target: null, met: null },
      pipelinedCallsPerSecond: { ...throughput, target: `>= ${TARGET_THROUGHPUT}x`, met: throughput.ratio >= TARGET_THROUGHPUT },
      echoMs: { ...echoMs, target: null, met: null },
      echoMBPerSecond: { ...echoRate, target: null, met: null },
    },
    rounds,
  };

  if (opts.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const m = results.metrics;
    const mb = (payload.bytes / 1e6).toFixed(1);
    const rows = [
      { label: `sequential ping p50 (${config.sequential})`, ferry: `${fmt(p50.ferry, 3)} ms`, bare: `${fmt(p50.bare, 3)} ms`, ratio: p50.ratio, target: `<= ${TARGET_P50}x`, met: m.sequentialP50Ms.met },
      { label: `sequential ping p99 (${config.sequential})`, ferry: `${fmt(p99.ferry, 3)} ms`, bare: `${fmt(p99.bare, 3)} ms`, ratio: p99.ratio, target: '—', met: null },
      { label: `sequential ping mean (${config.sequential})`, ferry: `${fmt(avg.ferry, 3)} ms`, bare: `${fmt(avg.bare, 3)} ms`, ratio: avg.ratio, target: '—', met: null },
      { label: `pipelined ping (${config.pipelined})`, ferry: `${Math.round(throughput.ferry)} calls/s`, bare: `${Math.round(throughput.bare)} msg/s`, ratio: throughput.ratio, target: `>= ${TARGET_THROUGHPUT}x`, met: m.pipelinedCallsPerSecond.met },
      { label: `${mb} MB echo, time`, ferry: `${fmt(echoMs.ferry, 0)} ms`, bare: `${fmt(echoMs.bare, 0)} ms`, ratio: echoMs.ratio, target: '—', met: null },
      { label: `${mb} MB echo, rate`, ferry: `${fmt(echoRate.ferry, 1)} MB/s`, bare: `${fmt(echoRate.bare, 1)} MB/s`, ratio: echoRate.ratio, target: '—', met: null },
    ];
    const out = [
      '',
      `Ferry JSON-RPC through Chromium vs a framing-only echo host — median of ${config.rounds} interleaved rounds`,
      `machine: Node ${machine.node}, Chromium ${machine.chromium}, ${machine.cpus} CPUs (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}`,
      `Ferry host ${host.hostVersion} (protocol ${host.protocolVersion})${opts['host-bundle'] ? ` from ${opts['host-bundle']}` : ''}; echo payload ${payload.records} records, ${payload.bytes} bytes of JSON` +
        ` (bare host: ${payload.barePieces} pieces < 1 MiB)`,
      '',
      renderTable(rows),
      '',
      'ratio = median over rounds of Ferry / bare within the round (latency and time: lower is better; rates: higher is better)',
      clockStep > 0
        ? `The worker's performance.now() ticks in ${clockStep} ms steps (Chrome coarsens it): percentiles are interpolated within a step; the mean is exact.`
        : '',
      [m.sequentialP50Ms, m.pipelinedCallsPerSecond].every((x) => x.met)
        ? 'All targets met.'
        : `MISSED: ${[!m.sequentialP50Ms.met && `p50 ratio ${fmt(p50.ratio, 2)}x > ${TARGET_P50}x`, !m.pipelinedCallsPerSecond.met && `throughput ratio ${fmt(throughput.ratio, 2)}x < ${TARGET_THROUGHPUT}x`].filter(Boolean).join('; ')}`,
      '',
    ];
    process.stdout.write(out.join('\n'));
  }
} catch (error) {
  bench.fail(error);
} finally {
  await bench.cleanup();
}
