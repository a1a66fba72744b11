/** Concurrency, progress, cancellation and `$/chunk` in both directions, against the real host. */
import { describe, expect, it } from 'vitest';
import { CHROME_HOST_TO_BROWSER_LIMIT, DEFAULT_MAX_MESSAGE_BYTES, ErrorCode, chunkMessages } from '../../src/protocol';
import { hostsForEachTest } from './host-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const startHost = hostsForEachTest({ assertCleanStdout: true });

describe('concurrent calls', () => {
  it('answers out of order: a ping sent after a slow call is answered first', async () => {
    const host = startHost();
    host.send({ jsonrpc: '2.0', id: 'slow', method: 'test.sleep', params: { ms: 300 } });
    host.send({ jsonrpc: '2.0', id: 'fast', method: 'system.ping' });
    await host.responseTo('slow');
    expect(host.messages.map((m: Json) => m.id)).toEqual(['fast', 'slow']);
    expect(host.messages[1].result.sleptMs).toBeGreaterThanOrEqual(290);
  });

  it('runs calls concurrently: ten 200 ms sleeps finish in well under 2 s', async () => {
    const host = startHost();
    await host.call('warm', 'system.ping');
    const started = Date.now();
    for (let i = 0; i < 10; i++) host.send({ jsonrpc: '2.0', id: i, method: 'test.sleep', params: { ms: 200 } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => host.responseTo(i)));
    // One after another they would take 2 s.
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('sends $/progress for a running call, then its result', async () => {
    const host = startHost();
    const response = await host.call('p', 'test.sleep', { ms: 300, progressEveryMs: 50 });
    const progress = host.messages.filter((m: Json) => m.method === '$/progress');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (const p of progress) expect(p.params).toMatchObject({ id: 'p', message: 'sleeping', total: 300, done: expect.any(Number) });
    const done = progress.map((p: Json) => p.params.done as number);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    // Progress comes before the result, never after it.
    expect(host.messages.indexOf(response)).toBe(host.messages.length - 1);
  });

  it('cancels a call with $/cancelRequest: RequestCancelled promptly, progress stops, the host keeps serving', async () => {
    const host = startHost();
    host.send({ jsonrpc: '2.0', id: 7, method: 'test.sleep', params: { ms: 10_000, progressEveryMs: 20 } });
    await host.waitFor((m) => m.method === '$/progress' && m.params.id === 7);
    const started = Date.now();
    host.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 7 } });
    const response = await host.responseTo(7);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(response).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: ErrorCode.RequestCancelled } });
    const count = host.messages.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(host.messages.length).toBe(count);
    expect((await host.call(8, 'system.ping')).result.pong).toBe(true);
    // Cancelling something that is not running is ignored (no reply).
    host.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 'nothing' } });
    expect((await host.call(9, 'system.ping')).result.pong).toBe(true);
    expect(host.messages.some((m: Json) => m.id === 'nothing')).toBe(false);
  });
});

describe('$/chunk', () => {
  it('echoes 5 MB sent as $/chunk pieces; the reply comes back as chunks, every frame within 1 MiB', async () => {
    const host = startHost();
    const payload = { text: 'é"\\😀\u0001'.repeat(500_000), rows: Array.from({ length: 20_000 }, (_, i) => ({ i, s: `row ${i}` })) };
    const request = JSON.stringify({ jsonrpc: '2.0', id: 'big', method: 'system.echo', params: { payload } });
    expect(Buffer.byteLength(request)).toBeGreaterThan(5_000_000);
    const pieces = chunkMessages(request, DEFAULT_MAX_MESSAGE_BYTES, 'client-1');
    expect(pieces.length).toBeGreaterThanOrEqual(6);
    for (const piece of pieces) {
      const bytes = Buffer.from(JSON.stringify(piece));
      expect(bytes.byteLength).toBeLessThanOrEqual(DEFAULT_MAX_MESSAGE_BYTES);
      host.sendText(bytes.toString('utf8'));
    }
    const framesBefore = host.frames.length;
    const response = await host.responseTo('big', 20_000);
    expect(response.result.payload).toEqual(payload);
    const replyFrames = host.frames.slice(framesBefore);
    expect(replyFrames.length).toBeGreaterThanOrEqual(6);
    for (const frame of replyFrames) {
      expect(frame.byteLength).toBeLessThanOrEqual(DEFAULT_MAX_MESSAGE_BYTES);
      expect(frame.byteLength).toBeLessThanOrEqual(CHROME_HOST_TO_BROWSER_LIMIT);
      expect(JSON.parse(frame.toString('utf8')).method).toBe('$/chunk');
    }
  });

  it('handles a rebuilt message exactly like one frame: batches, notifications and parse errors', async () => {
    const host = startHost();
    const send = (text: string, stream: string): void => {
      for (const piece of chunkMessages(text, 300, stream)) host.send(piece);
    };
    const batch = JSON.stringify([
      { jsonrpc: '2.0', id: 'b1', method: 'sum', params: [1, 2, 3] },
      { jsonrpc: '2.0', method: 'notify_hello', params: ['x'.repeat(500)] },
      { jsonrpc: '2.0', id: 'b2', method: 'system.echo', params: { payload: 'y'.repeat(500) } },
    ]);
    send(batch, 'batch');
    const reply = await host.waitFor((m) => Array.isArray(m), 'the batch reply');
    expect(reply).toHaveLength(2);
    expect(reply).toEqual(expect.arrayContaining([{ jsonrpc: '2.0', id: 'b1', result: 6 }, { jsonrpc: '2.0', id: 'b2', result: { payload: 'y'.repeat(500) } }]));

    send(`{"jsonrpc":"2.0","id":1,"method":"system.echo","params":{"payload":"${'z'.repeat(600)}"`, 'broken');
    const parseError = await host.responseTo(null);
    expect(parseError.error.code).toBe(ErrorCode.ParseError);
  });

  it('answers a malformed chunk stream with ChunkAssemblyFailed and keeps serving', async () => {
    const host = startHost();
    host.send({ jsonrpc: '2.0', method: '$/chunk', params: { stream: 's', seq: 1, total: 2, data: '{' } });
    const failure = await host.responseTo(null);
    expect(failure.error.code).toBe(ErrorCode.ChunkAssemblyFailed);
    expect(failure.error.message).toContain('expected piece 0, got 1');
    host.send({ jsonrpc: '2.0', method: '$/chunk', params: { stream: 5 } });
    await host.waitFor((m) => m.error?.code === ErrorCode.ChunkAssemblyFailed && m.error.message.includes('Malformed'));
    expect((await host.call('after', 'system.ping')).result.pong).toBe(true);
  });

  it('carries a message larger than the maximum frame size when it is chunked', async () => {
    const host = startHost({ env: { FERRY_HOST_MAX_FRAME_BYTES: '2000' } });
    const payload = 'q'.repeat(20_000);
    const request = JSON.stringify({ jsonrpc: '2.0', id: 'c', method: 'system.echo', params: { payload } });
    for (const piece of chunkMessages(request, 2000, 'c')) host.send(piece);
    expect((await host.responseTo('c')).result.payload).toBe(payload);
    expect(host.messages.some((m: Json) => m.error?.code === ErrorCode.FrameTooLarge)).toBe(false);
  });

  it('refuses to rebuild a message above FERRY_HOST_MAX_MESSAGE_BYTES', async () => {
    const host = startHost({ env: { FERRY_HOST_MAX_MESSAGE_BYTES: '10000' } });
    const request = JSON.stringify({ jsonrpc: '2.0', id: 'huge', method: 'system.echo', params: { payload: 'h'.repeat(50_000) } });
    for (const piece of chunkMessages(request, 4000, 'huge')) host.send(piece);
    const failure = await host.responseTo(null);
    expect(failure.error.code).toBe(ErrorCode.ChunkAssemblyFailed);
    expect(failure.error.message).toContain('maximum of 10000 bytes');
    expect((await host.call('after', 'system.ping')).result.pong).toBe(true);
    expect(host.messages.some((m: Json) => m.id === 'huge')).toBe(false);
  });
});
