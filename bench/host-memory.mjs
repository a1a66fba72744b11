#!/usr/bin/env node
/**
 * `npm run bench:host-memory`: the native host's memory under two hostile clients, each figure beside
 * the same host's idle RSS measured in the same run (after its first ping), as a ratio.
 *
 *   flood     200,000 `system.ping` requests from a client that reads nothing; then it reads again
 *             and a ping sent after the flood must be answered
 *   streams   64 `$/chunk` streams of 16 MiB left unfinished (each one piece short), with pings
 *             interleaved, which must be answered while the streams are held; then the streams
 *             expire (FERRY_HOST_CHUNK_TIMEOUT_MS, given by --chunk-timeout-ms)
 *
 * Memory is VmRSS / VmHWM (peak RSS) from /proc/<pid>/status of the host process; each scenario gets
 * a fresh host so its VmHWM is its own. A measurement, not a test: it always exits 0. Linux only.
 *
 * Options: --json  --requests N (200000)  --streams N (64)  --stream-mib N (16)
 *          --chunk-timeout-ms N (60000: longer than sending the streams takes)  --host-bundle FILE (measure another build, e.g. an older one)
 *          --no-build
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { positiveOption } from './lib/args.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    requests: { type: 'string', default: '200000' },
    streams: { type: 'string', default: '64' },
    'stream-mib': { type: 'string', default: '16' },
    'chunk-timeout-ms': { type: 'string', default: '60000' },
    'host-bundle': { type: 'string' },
  },
});
const config = {
  requests: positiveOption(opts, 'requests'),
  streams: positiveOption(opts, 'streams'),
  streamMiB: positiveOption(opts, 'stream-mib'),
  chunkTimeoutMs: positiveOption(opts, 'chunk-timeout-ms'),
};
const benchStarted = Date.now();
const log = (line) => process.stderr.write(`[bench:host-memory +${((Date.now() - benchStarted) / 1000).toFixed(1)} s] ${line}\n`);
const MiB = 1024 * 1024;
const littleEndian = os.endianness() === 'LE';

const bundle = opts['host-bundle'] ? path.resolve(opts['host-bundle']) : path.join(root, 'native-host/dist/ferry-host.mjs');
if (!opts['host-bundle'] && !opts['no-build']) execFileSync(process.execPath, [path.join(root, 'native-host/build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });

function frame(message) {
  const body = Buffer.from(typeof message === 'string' ? message : JSON.stringify(message));
  const head = Buffer.alloc(4);
  if (littleEndian) head.writeUInt32LE(body.byteLength);
  else head.writeUInt32BE(body.byteLength);
  return Buffer.concat([head, body]);
}

/** VmRSS and VmHWM of a process, in MiB. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves with NaN after `ms`, without keeping the process alive. */
const deadline = (ms) => new Promise((resolve) => setTimeout(() => resolve(NaN), ms).unref());

/** A host process with a frame reader on its stdout; replies are only parsed while reading. */
class Host {
  constructor(env = {}) {
    this.home = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-mem-'));
    this.child = spawn(process.execPath, [bundle, 'serve'], { env: { ...process.env, FERRY_HOME: this.home, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdin.on('error', () => undefined);
    this.child.stderr.resume();
    this.buffer = Buffer.alloc(0);
    this.replies = 0;
    this.errors = [];
    this.waiters = new Map();
    this.child.stdout.on('data', (chunk) => this.onData(chunk));
  }

  onData(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 4) {
      const length = littleEndian ? this.buffer.readUInt32LE(0) : this.buffer.readUInt32BE(0);
      if (this.buffer.length < 4 + length) break;
      const message = JSON.parse(this.buffer.subarray(4, 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(4 + length);
      this.replies += 1;
      if (message.error && message.id === null) this.errors.push(message.error);
      const waiter = this.waiters.get(message.id);
      if (waiter) {
        this.waiters.delete(message.id);
        waiter(message);
      }
    }
  }

  /** Sends a request and resolves with the milliseconds until its reply. */
  call(id, method) {
    const started = performance.now();
    return new Promise((resolve) => {
      this.waiters.set(id, () => resolve(performance.now() - started));
      this.child.stdin.write(frame({ jsonrpc: '2.0', id, method }));
    });
  }

  write(bytes) {
    return this.child.stdin.write(bytes) ? Promise.resolve() : new Promise((resolve) => this.child.stdin.once('drain', resolve));
  }

  memory() {
    return memoryOf(this.child.pid);
  }

  async stop() {
    this.child.stdin.end();
    this.child.stdout.resume();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await new Promise((resolve) => this.child.once('close', resolve));
    clearTimeout(timer);
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Waits until RSS has not grown for `quietMs` (the host has taken all it will take). */
async function untilSteady(host, quietMs = 1500, limitMs = 60_000) {
  const started = Date.now();
  let last = host.memory().rss;
  let steadySince = Date.now();
  while (Date.now() - steadySince < quietMs && Date.now() - started < limitMs) {
    await sleep(100);
    const now = host.memory().rss;
    if (now > last + 1) steadySince = Date.now();
    last = Math.max(last, now);
  }
}

async function idleBaseline(host) {
  await host.call('warm', 'system.ping');
  await sleep(300);
  return host.memory().rss;
}

async function flood() {
  const host = new Host();
  const idle = await idleBaseline(host);
  host.child.stdout.pause();
  const pings = [];
  for (let i = 0; i < config.requests; i++) pings.push(frame({ jsonrpc: '2.0', id: i, method: 'system.ping' }));
  const all = Buffer.concat(pings);
  log(`flood: ${config.requests} pings (${(all.byteLength / MiB).toFixed(1)} MiB) from a client that reads nothing`);
  void host.write(all);
  const pongAfter = new Promise((resolve) => host.waiters.set('after-flood', () => resolve(performance.now())));
  void host.write(frame({ jsonrpc: '2.0', id: 'after-flood', method: 'system.ping' }));
  await untilSteady(host);
  const held = host.memory();
  log(`flood: host steady at ${held.rss.toFixed(1)} MiB; the client reads again`);
  const resumed = performance.now();
  host.child.stdout.resume();
  const afterMs = (await Promise.race([pongAfter, deadline(120_000)])) - resumed;
  const peak = host.memory().hwm;
  const answered = host.replies - 1; // the warm-up ping
  await host.stop();
  return { idle, heldRss: held.rss, peak, afterMs, answered };
}

async function streams() {
  const host = new Host({ FERRY_HOST_CHUNK_TIMEOUT_MS: String(config.chunkTimeoutMs) });
  const idle = await idleBaseline(host);
  const pieceChars = MiB - 256;
  const piecesPerStream = Math.ceil((config.streamMiB * MiB) / pieceChars);
  const data = 'x'.repeat(pieceChars);
  log(`streams: ${config.streams} streams of ${piecesPerStream} pieces (${config.streamMiB} MiB), each left one piece short, pings in between`);
  const pingMs = [];
  for (let s = 0; s < config.streams; s++) {
    for (let seq = 0; seq < piecesPerStream; seq++) {
      await host.write(frame({ jsonrpc: '2.0', method: '$/chunk', params: { stream: `bench-${s}`, seq, total: piecesPerStream + 1, data } }));
    }
    pingMs.push(await host.call(`ping-${s}`, 'system.ping'));
  }
  const held = host.memory();
  const refused = host.errors.length;
  log(`streams: held at ${held.rss.toFixed(1)} MiB, ${refused} streams refused; waiting for the rest to expire`);
  const expiryStarted = Date.now();
  while (host.errors.length < config.streams && Date.now() - expiryStarted < config.chunkTimeoutMs + 30_000) await sleep(100);
  const expired = host.errors.filter((e) => e.message.includes('expired')).length;
  const afterExpiry = host.memory();
  const sample = host.errors.find((e) => e.message.includes('expired')) ?? host.errors[0];
  const refusal = host.errors.find((e) => !e.message.includes('expired'));
  await host.stop();
  return {
    idle,
    heldRss: held.rss,
    peak: afterExpiry.hwm,
    afterExpiryRss: afterExpiry.rss,
    refused,
    expired,
    maxPingMs: Math.max(...pingMs),
    medianPingMs: pingMs.sort((a, b) => a - b)[Math.floor(pingMs.length / 2)],
    expiryMessage: sample?.message,
    refusalMessage: refusal?.message,
  };
}

const results = { bundle, config, flood: await flood(), streams: await streams() };

if (opts.json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const mib = (v) => `${v.toFixed(1)} MiB`;
  const rows = [
    ['flood: RSS while the client reads nothing', results.flood.heldRss, results.flood.idle],
    ['flood: peak RSS (VmHWM)', results.flood.peak, results.flood.idle],
    ['streams: RSS with the streams held', results.streams.heldRss, results.streams.idle],
    ['streams: peak RSS (VmHWM)', results.streams.peak, results.streams.idle],
    ['streams: RSS after they expired', results.streams.afterExpiryRss, results.streams.idle],
  ].map(([label, value, idle]) => [label, mib(value), mib(idle), `${(value / idle).toFixed(2)}x`]);
  const header = ['figure', 'host', 'idle host (baseline)', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)];
  out.push('');
  out.push(`flood: ${results.flood.answered} replies in all; the ping sent after the flood was answered ${results.flood.afterMs.toFixed(0)} ms after the client read again`);
  out.push(`streams: ${results.streams.refused} refused by the bound, ${results.streams.expired} expired; pings between streams answered in ${results.streams.medianPingMs.toFixed(1)} ms (median), ${results.streams.maxPingMs.toFixed(1)} ms (max)`);
  if (results.streams.refusalMessage) out.push(`  refusal: ${results.streams.refusalMessage}`);
  if (results.streams.expiryMessage) out.push(`  expiry:  ${results.streams.expiryMessage}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
