/**
 * The host's memory stays bounded against clients that send more than they take: a flood of
 * requests from a client that reads nothing (the host stops reading stdin, and answers again once
 * the client reads), and `$/chunk` streams left unfinished (bounded in bytes together, expired when
 * idle, each failure named). RSS comes from /proc/<pid>/status; the bounds asserted are loose on
 * purpose (the figures are in `npm run bench:host-memory`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, encodeFrame } from '../../src/protocol';
import { LITTLE_ENDIAN, hostsForEachTest, type HostProcess } from './host-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions index freely

const startHost = hostsForEachTest({ assertCleanStdout: true });
const MiB = 1024 * 1024;

/** VmRSS and VmHWM (peak) of the host, in MiB. */
function memoryOf(host: HostProcess): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${host.child.pid}/status`, 'utf8');
  const mib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) / 1024;
  return { rss: mib('VmRSS'), peak: mib('VmHWM') };
}

/** Polls `condition` every 100 ms until it holds; fails with `what` after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const chunkFailures = (host: HostProcess): Json[] =>
  host.messages.filter((m: Json) => m.id === null && m.error?.code === ErrorCode.ChunkAssemblyFailed);

describe('host memory under a client that sends more than it takes', () => {
  it('stops reading a flood from a client that reads nothing, and answers a later ping once it reads again', async () => {
    const host = startHost();
    expect((await host.call('warm', 'system.ping')).result.pong).toBe(true);
    host.pauseOutput();
    const requests = 200_000;
    const flood = Buffer.concat(
      Array.from({ length: requests }, (_, id) => encodeFrame(JSON.stringify({ jsonrpc: '2.0', id, method: 'system.ping' }), LITTLE_ENDIAN)),
    );
    host.write(flood);
    host.send({ jsonrpc: '2.0', id: 'after-flood', method: 'system.ping' });

    await until(() => host.logText().includes('pausing input: the client is not taking replies'), 'the host to pause its input');
    // Then the host takes nothing more: what the client wrote stays in the client's own buffer.
    let unread = host.child.stdin.writableLength;
    let samePolls = 0;
    await until(() => {
      const now = host.child.stdin.writableLength;
      samePolls = now === unread ? samePolls + 1 : 0;
      unread = now;
      return samePolls >= 5;
    }, 'the host to stop taking input');
    expect(unread).toBeGreaterThan(flood.byteLength / 2);
    expect(memoryOf(host).rss).toBeLessThan(256);

    host.resumeOutput();
    const after = await host.responseTo('after-flood', 60_000);
    expect(after.result.pong).toBe(true);
    expect(host.messages.filter((m: Json) => typeof m.id === 'number')).toHaveLength(requests);
    expect(memoryOf(host).peak).toBeLessThan(320);
  }, 90_000);

  it('bounds unfinished chunk streams in bytes, names each one refused, and answers pings in between at once', async () => {
    const host = startHost({ env: { FERRY_HOST_MAX_CHUNK_BUFFER_BYTES: String(32 * MiB) } });
    const piece = 'x'.repeat(MiB - 256);
    const piecesPerStream = 4;
    const streams = 24;
    for (let s = 0; s < streams; s++) {
      for (let seq = 0; seq < piecesPerStream; seq++) {
        const message = { jsonrpc: '2.0', method: '$/chunk', params: { stream: `held-${s}`, seq, total: piecesPerStream + 1, data: piece } };
        await host.writeAndDrain(encodeFrame(JSON.stringify(message), LITTLE_ENDIAN));
      }
      // With the streams held, a ping is answered as soon as it arrives.
      expect((await host.call(`ping-${s}`, 'system.ping')).result.pong).toBe(true);
    }
    const refused = chunkFailures(host);
    // 32 MiB holds 8 streams of 4 MiB pieces (less their last): the later ones are refused, each once.
    expect(refused.length).toBeGreaterThanOrEqual(streams - 9);
    expect(new Set(refused.map((m: Json) => m.error.data.stream)).size).toBe(refused.length);
    const first = refused[0].error;
    expect(first.data.stream).toMatch(/^held-\d+$/);
    expect(first.message).toContain(`Chunk stream "${first.data.stream}"`);
    expect(first.message).toContain(`more than ${32 * MiB} bytes together (FERRY_HOST_MAX_CHUNK_BUFFER_BYTES)`);
    expect(first.message).toContain('finish sending one large message before starting the next');
    expect(memoryOf(host).peak).toBeLessThan(512);
  }, 90_000);

  it('expires a stream that stops halfway, naming it and the setting, and drops its late pieces quietly', async () => {
    const host = startHost({ env: { FERRY_HOST_CHUNK_TIMEOUT_MS: '300' } });
    for (const stream of ['idle-a', 'idle-b']) host.send({ jsonrpc: '2.0', method: '$/chunk', params: { stream, seq: 0, total: 3, data: '{"jsonrpc":' } });
    expect((await host.call('ping', 'system.ping')).result.pong).toBe(true);
    await host.waitFor(() => chunkFailures(host).length === 2, 'two expired streams');
    const failures = chunkFailures(host);
    expect(failures.map((m: Json) => m.error.data.stream).sort()).toEqual(['idle-a', 'idle-b']);
    for (const { error } of failures) {
      expect(error.message).toMatch(/^Chunk stream "idle-[ab]": expired: no piece arrived for \d+ ms, the limit \(FERRY_HOST_CHUNK_TIMEOUT_MS\) being 300 ms/);
      expect(error.message).toContain('resend the message');
    }
    host.send({ jsonrpc: '2.0', method: '$/chunk', params: { stream: 'idle-a', seq: 1, total: 3, data: '"2.0",' } });
    expect((await host.call('after', 'system.ping')).result.pong).toBe(true);
    expect(chunkFailures(host)).toHaveLength(2);
    expect(host.logText().match(/chunk stream failed/g)).toHaveLength(2);
  });
});
