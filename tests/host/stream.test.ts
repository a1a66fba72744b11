/** The host's stdin/stdout behaviour: framing under stress, bad input, end of input, stdout hygiene. */
import { describe, expect, it } from 'vitest';
import { ErrorCode, encodeFrame } from '../../src/protocol';
import { seededRandom } from '../support/prng';
import { LITTLE_ENDIAN, framesOf, hostsForEachTest } from './host-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// Tests check stdout themselves: some leave it mid-frame on purpose (a host that gave up on a hung reader).
const startHost = hostsForEachTest();

describe('the host over stdin/stdout', () => {
  it('answers a 1,000-request stream written in pieces cut at random points', async () => {
    const host = startHost();
    const random = seededRandom(2024);
    const expected = new Map<number, Json>();
    const requests: Json[] = [];
    for (let id = 0; id < 1000; id++) {
      switch (id % 5) {
        case 0:
          requests.push({ jsonrpc: '2.0', id, method: 'subtract', params: [id, 7] });
          expected.set(id, { jsonrpc: '2.0', id, result: id - 7 });
          break;
        case 1: {
          const payload = { id, text: 'é"\\😀\n'.repeat(Math.floor(random() * 200)) };
          requests.push({ jsonrpc: '2.0', id, method: 'system.echo', params: { payload } });
          expected.set(id, { jsonrpc: '2.0', id, result: { payload } });
          break;
        }
        case 2:
          requests.push({ jsonrpc: '2.0', id, method: 'sum', params: [id, 1, 2] });
          expected.set(id, { jsonrpc: '2.0', id, result: id + 3 });
          break;
        case 3:
          requests.push({ jsonrpc: '2.0', id, method: 'no.such.method' });
          expected.set(id, { jsonrpc: '2.0', id, error: { code: ErrorCode.MethodNotFound, message: 'Method not found: no.such.method' } });
          break;
        default:
          requests.push({ jsonrpc: '2.0', id, method: 'subtract', params: { minuend: 1, subtrahend: id } });
          expected.set(id, { jsonrpc: '2.0', id, result: 1 - id });
      }
    }
    const stream = framesOf(requests);
    let pieces = 0;
    for (let at = 0; at < stream.byteLength; pieces++) {
      const size = 1 + Math.floor(random() * random() * 4000);
      await host.writeAndDrain(stream.subarray(at, at + size));
      at += size;
      // Let some pieces reach the host on their own rather than coalesced in the pipe.
      if (random() < 0.2) await new Promise((r) => setImmediate(r));
    }
    expect(pieces).toBeGreaterThan(100);
    await host.collect(1000);
    expect(host.messages).toHaveLength(1000);
    const byId = new Map(host.messages.map((m: Json) => [m.id, m]));
    expect(byId.size).toBe(1000);
    for (const [id, response] of expected) expect(byId.get(id), `response ${id}`).toEqual(response);
    expect((await host.stop()).code).toBe(0);
    host.assertCleanStdout();
  });

  it('answers all of 200 requests written just before stdin ends, then exits 0', async () => {
    const host = startHost();
    // 10 MB of replies, produced in a burst: far more than a pipe holds, so the host must wait for
    // stdout to drain before it exits (Node writes to a pipe asynchronously).
    const payload = 'p'.repeat(100_000);
    const requests = Array.from({ length: 200 }, (_, id) =>
      id % 2 ? { jsonrpc: '2.0', id, method: 'system.echo', params: { payload } } : { jsonrpc: '2.0', id, method: 'system.ping' },
    );
    // The reader stalls meanwhile, so replies pile up behind a full pipe when input ends.
    host.pauseOutput();
    host.write(framesOf(requests));
    host.endInput();
    await new Promise((r) => setTimeout(r, 500));
    host.resumeOutput();
    const { code } = await host.exited;
    expect(code).toBe(0);
    host.assertCleanStdout();
    expect(host.messages).toHaveLength(200);
    expect(new Set(host.messages.map((m: Json) => m.id))).toEqual(new Set(requests.map((r) => r.id)));
    expect(host.messages.every((m: Json) => 'result' in m)).toBe(true);
    expect(host.messages.filter((m: Json) => m.result.payload === payload)).toHaveLength(100);
  });

  it('exits 0 with clean stdout when input ends in the middle of a frame, and logs the truncation', async () => {
    const host = startHost();
    const ping = encodeFrame(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system.ping' }), LITTLE_ENDIAN);
    host.write(ping);
    host.write(encodeFrame(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'system.ping' }), LITTLE_ENDIAN).subarray(0, 12));
    host.endInput();
    const { code } = await host.exited;
    expect(code).toBe(0);
    host.assertCleanStdout();
    expect(host.messages.map((m: Json) => m.id)).toEqual([1]);
    expect(host.logText()).toMatch(/truncated input: input ended inside a frame: 8 of \d+ body bytes received/);
  });

  it('refuses an oversized frame with FrameTooLarge, skips it, and answers the next request', async () => {
    const host = startHost({ env: { FERRY_HOST_MAX_FRAME_BYTES: '1000' } });
    const big = JSON.stringify({ jsonrpc: '2.0', id: 'big', method: 'system.echo', params: { payload: 'x'.repeat(5000) } });
    const bigBytes = Buffer.byteLength(big);
    const frame = encodeFrame(big, LITTLE_ENDIAN);
    // The oversized body arrives in pieces, the next request right behind its last piece.
    host.write(frame.subarray(0, 2000));
    await new Promise((r) => setTimeout(r, 20));
    host.write(Buffer.concat([frame.subarray(2000), encodeFrame('{"jsonrpc":"2.0","id":"next","method":"system.ping"}', LITTLE_ENDIAN)]));
    const refusal = await host.responseTo(null);
    expect(refusal.error.code).toBe(ErrorCode.FrameTooLarge);
    expect(refusal.error.message).toContain(`${bigBytes} bytes`);
    expect(refusal.error.message).toContain('maximum of 1000 bytes');
    expect(refusal.error.message).toContain('$/chunk');
    expect((await host.responseTo('next')).result.pong).toBe(true);
    // The id of the refused request was never read: nothing else is answered.
    expect(host.messages.some((m: Json) => m.id === 'big')).toBe(false);
    expect((await host.stop()).code).toBe(0);
    host.assertCleanStdout();
  });

  it('answers a body that is not JSON, or not UTF-8, with -32700 and id null, and keeps serving', async () => {
    const host = startHost();
    host.sendText('{"jsonrpc": "2.0", "id": 1, "method": "system.ping"');
    const notUtf8 = Buffer.alloc(7);
    if (LITTLE_ENDIAN) notUtf8.writeUInt32LE(3, 0);
    else notUtf8.writeUInt32BE(3, 0);
    notUtf8.set([0xff, 0xfe, 0x22], 4);
    host.write(notUtf8);
    host.sendText('');
    const ok = await host.call(2, 'system.ping');
    expect(ok.result.pong).toBe(true);
    const parseErrors = host.messages.filter((m: Json) => m.error?.code === ErrorCode.ParseError);
    expect(parseErrors).toHaveLength(3);
    for (const e of parseErrors) expect(e.id).toBeNull();
    expect(parseErrors.some((e: Json) => e.error.message.includes('not valid UTF-8'))).toBe(true);
    host.assertCleanStdout();
  });

  it('answers -32602 with the zod path when params are invalid', async () => {
    const host = startHost();
    const response = await host.call(1, 'system.echo', {});
    expect(response.id).toBe(1);
    expect(response.error.code).toBe(ErrorCode.InvalidParams);
    expect(response.error.data.issues[0].path).toBe('params.payload');
    const sleep = await host.call(2, 'test.sleep', { ms: 'soon' });
    expect(sleep.error.code).toBe(ErrorCode.InvalidParams);
    expect(sleep.error.data.issues[0].path).toBe('params.ms');
    const ping = await host.call(3, 'system.ping', { unexpected: true });
    expect(ping.error.code).toBe(ErrorCode.InvalidParams);
  });

  it('answers system.ping and system.info as the catalogue declares', async () => {
    const host = startHost();
    const before = Date.now();
    const ping = await host.call('p', 'system.ping');
    expect(ping.result.pong).toBe(true);
    expect(ping.result.time).toBeGreaterThanOrEqual(before - 1000);
    const info = (await host.call('i', 'system.info')).result;
    expect(info).toMatchObject({ name: 'ferry-host', version: '0.1.0', protocolVersion: 1, node: process.version, platform: process.platform, arch: process.arch, pid: host.child.pid });
    expect(info.dataDir).toBe(`${host.home}/data`);
    expect(info.capabilities).toEqual(expect.arrayContaining(['system', 'chunking', 'progress', 'cancellation', 'batch']));
    expect(Number.isNaN(Date.parse(info.startedAt))).toBe(false);
  });

  it('keeps stdout clean through a whole debug-logged session, even when code writes to stdout', async () => {
    const host = startHost({ env: { FERRY_LOG_LEVEL: 'debug' } });
    const secret = 'SECRET-PAYLOAD-7f3a';
    expect((await host.call(1, 'system.echo', { payload: { secret } })).result.payload.secret).toBe(secret);
    expect((await host.call(2, 'test.stdoutNoise')).result).toEqual({ noisy: true });
    host.sendText('not json');
    host.send([{ jsonrpc: '2.0', id: 3, method: 'sum', params: [1, 2] }, { jsonrpc: '2.0', method: 'update' }]);
    await host.responseTo(null);
    await host.waitFor((m) => Array.isArray(m), 'the batch reply');
    expect((await host.call(4, 'system.ping')).result.pong).toBe(true);
    expect((await host.stop()).code).toBe(0);
    host.assertCleanStdout();
    expect(host.frames.length).toBe(host.messages.length);

    const log = host.logText();
    expect(log).toMatch(/DEBUG .* call method=system\.echo id=1/);
    expect(log).toMatch(/answered method=system\.echo id=1 ms=/);
    expect(log).toContain('console: noise from console.log');
    expect(log).toContain('diverted a stray write to stdout: noise from process.stdout.write');
    expect(log).toMatch(/INFO .* exit code=0/);
    // Params and payloads never reach the log.
    expect(log).not.toContain(secret);
    // The same lines went to stderr.
    expect(host.stderr).toContain('console: noise from console.log');
  });

  it('exits 0 after answering in-flight calls when stdin ends', async () => {
    const host = startHost();
    host.send({ jsonrpc: '2.0', id: 'slow', method: 'test.sleep', params: { ms: 300 } });
    host.endInput();
    const started = Date.now();
    const { code } = await host.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(host.messages).toEqual([{ jsonrpc: '2.0', id: 'slow', result: { sleptMs: expect.any(Number) } }]);
    expect(host.messages[0].result.sleptMs).toBeGreaterThanOrEqual(290);
  });

  it('cancels calls still running after the shutdown grace period, answers them, and exits 0', async () => {
    const host = startHost({ env: { FERRY_HOST_SHUTDOWN_GRACE_MS: '200' } });
    host.send({ jsonrpc: '2.0', id: 'forever', method: 'test.sleep', params: { ms: 60_000 } });
    await new Promise((r) => setTimeout(r, 50));
    host.endInput();
    const started = Date.now();
    const { code } = await host.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(host.messages).toHaveLength(1);
    expect(host.messages[0]).toMatchObject({ id: 'forever', error: { code: ErrorCode.RequestCancelled } });
    expect(host.messages[0].error.message).toContain('shutting down');
    host.assertCleanStdout();
  });

  it('exits when stdout stays blocked after input ends (a hung browser), logging the frames it dropped', async () => {
    const host = startHost({ env: { FERRY_HOST_SHUTDOWN_GRACE_MS: '300' } });
    expect((await host.call('ping', 'system.ping')).result.pong).toBe(true);
    // The browser stops reading but keeps the pipe open: 4 MB of replies fill it and stay queued.
    host.pauseOutput();
    host.send({ jsonrpc: '2.0', id: 'big', method: 'system.echo', params: { payload: 'x'.repeat(4_000_000) } });
    await new Promise((r) => setTimeout(r, 200));
    host.endInput();
    const started = Date.now();
    const exited = await Promise.race([host.exited, new Promise<null>((r) => setTimeout(() => r(null), 8_000))]);
    expect(exited, 'the host is still running 8 s after its input ended').not.toBeNull();
    expect(exited!.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(host.logText()).toMatch(/WARN .*stdout made no progress for 300 ms; dropping unsent frames/);
    expect(host.logText()).toMatch(/INFO .* exit code=0/);
  });

  it('waits past the grace period for a browser that reads slowly but steadily, and loses nothing', async () => {
    const host = startHost({ env: { FERRY_HOST_SHUTDOWN_GRACE_MS: '600' } });
    host.pauseOutput();
    const payload = 'y'.repeat(3_000_000);
    host.send({ jsonrpc: '2.0', id: 'big', method: 'system.echo', params: { payload } });
    await new Promise((r) => setTimeout(r, 200));
    host.endInput();
    // One read (at most a pipe's 64 KiB) every 20 ms: draining takes longer than the 600 ms grace
    // period, but each 1 MB frame is taken well within it.
    const started = Date.now();
    const reader = setInterval(() => {
      host.child.stdout.once('data', () => host.pauseOutput());
      host.resumeOutput();
    }, 20);
    try {
      const { code } = await host.exited;
      expect(code).toBe(0);
    } finally {
      clearInterval(reader);
    }
    expect(Date.now() - started).toBeGreaterThan(600);
    expect(host.messages).toEqual([{ jsonrpc: '2.0', id: 'big', result: { payload } }]);
    host.assertCleanStdout();
    expect(host.logText()).not.toContain('dropping unsent frames');
  });

  it('shuts down gracefully on SIGTERM: running calls are answered, then exit 0', async () => {
    const host = startHost();
    host.send({ jsonrpc: '2.0', id: 'slow', method: 'test.sleep', params: { ms: 300 } });
    expect((await host.call('ping', 'system.ping')).result.pong).toBe(true);
    host.child.kill('SIGTERM');
    const { code, signal } = await host.exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(host.messages.find((m: Json) => m.id === 'slow')?.result?.sleptMs).toBeGreaterThanOrEqual(290);
    host.assertCleanStdout();
    expect(host.logText()).toContain('signal received signal=SIGTERM');
  });
});
