import { describe, expect, it } from 'vitest';
import { FrameReader, encodeFrame } from '../../src/protocol';
import { createLogger } from './logger';
import type { FrameSink } from './stdout-guard';
import { FrameWriter } from './writer';

/** A stdout stand-in: records writes, pushes back on demand, completes writes when told. */
class FakeStdout implements FrameSink {
  readonly written: Uint8Array[] = [];
  pushBack = false;
  private callbacks: ((error?: Error | null) => void)[] = [];
  private drainListeners: (() => void)[] = [];
  private errorListeners: ((error: Error) => void)[] = [];

  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean {
    this.written.push(chunk);
    this.callbacks.push(callback);
    return !this.pushBack;
  }
  once(_event: 'drain', listener: () => void): void {
    this.drainListeners.push(listener);
  }
  on(_event: 'error', listener: (error: Error) => void): void {
    this.errorListeners.push(listener);
  }
  completeWrites(): void {
    for (const cb of this.callbacks.splice(0)) cb();
  }
  drain(): void {
    this.pushBack = false;
    for (const l of this.drainListeners.splice(0)) l();
  }
  fail(error: Error): void {
    for (const l of this.errorListeners) l(error);
  }
  bodies(): string[] {
    const reader = new FrameReader({ maxFrameBytes: 2 ** 30, littleEndian: true });
    const out: string[] = [];
    for (const chunk of this.written) for (const e of reader.push(chunk)) if (e.type === 'frame') out.push(new TextDecoder().decode(e.body));
    return out;
  }
}

const logger = createLogger('error', []);

describe('FrameWriter', () => {
  it('writes frames in order and waits for drain when stdout pushes back', async () => {
    const stdout = new FakeStdout();
    const writer = new FrameWriter(stdout, { littleEndian: true, logger });
    stdout.pushBack = true;
    writer.send({ n: 1 });
    await Promise.resolve(); // writes happen once per turn
    writer.send({ n: 2 });
    writer.send({ n: 3 });
    await Promise.resolve();
    // The first write was accepted but pushed back: nothing more until 'drain'.
    expect(stdout.written).toHaveLength(1);
    expect(writer.queuedFrames).toBe(2);
    let flushed = false;
    void writer.flush().then(() => (flushed = true));
    stdout.drain();
    // Frames 2 and 3 were queued together, so they leave in one write.
    expect(stdout.written).toHaveLength(2);
    await Promise.resolve();
    expect(flushed).toBe(false); // handed over, but the writes have not completed yet
    stdout.completeWrites();
    await Promise.resolve();
    expect(flushed).toBe(true);
    expect(stdout.bodies()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(Buffer.from(stdout.written[0]!)).toEqual(Buffer.from(encodeFrame('{"n":1}', true)));
  });

  it('joins the small frames of one turn into one write, and never joins large frames', async () => {
    const stdout = new FakeStdout();
    const writer = new FrameWriter(stdout, { littleEndian: true, logger });
    for (let n = 0; n < 100; n += 1) writer.send({ n });
    expect(stdout.written).toHaveLength(0);
    await Promise.resolve();
    expect(stdout.written).toHaveLength(1);
    expect(stdout.bodies()).toEqual(Array.from({ length: 100 }, (_, n) => `{"n":${n}}`));
    writer.send({ big: 'b'.repeat(200_000) });
    writer.send({ big: 'c'.repeat(200_000) });
    await Promise.resolve();
    expect(stdout.written).toHaveLength(3);
  });

  it('sends a message above the limit as $/chunk frames, each within it, contiguously', async () => {
    const stdout = new FakeStdout();
    const writer = new FrameWriter(stdout, { littleEndian: true, logger, maxMessageBytes: 1000 });
    const big = { jsonrpc: '2.0', id: 1, result: 'x'.repeat(5000) };
    writer.send(big);
    writer.send({ after: true });
    await Promise.resolve();
    const bodies = stdout.bodies();
    expect(bodies.length).toBeGreaterThan(5);
    for (const body of bodies) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1000);
    const chunks = bodies.slice(0, -1).map((b) => JSON.parse(b) as { method: string; params: { stream: string; data: string } });
    expect(new Set(chunks.map((c) => c.params.stream)).size).toBe(1);
    expect(JSON.parse(chunks.map((c) => c.params.data).join(''))).toEqual(big);
    expect(bodies.at(-1)).toBe('{"after":true}');
  });

  it('throws before queueing anything when a message cannot be serialized', () => {
    const stdout = new FakeStdout();
    const writer = new FrameWriter(stdout, { littleEndian: true, logger });
    expect(() => writer.send({ n: 1n })).toThrow(TypeError);
    expect(() => writer.send(undefined)).toThrow(TypeError);
    expect(stdout.written).toHaveLength(0);
  });

  it('drops frames and resolves flush once stdout has failed (browser gone)', async () => {
    const stdout = new FakeStdout();
    const writer = new FrameWriter(stdout, { littleEndian: true, logger });
    stdout.pushBack = true;
    writer.send({ n: 1 });
    await Promise.resolve();
    writer.send({ n: 2 });
    const flushed = writer.flush();
    stdout.fail(new Error('EPIPE'));
    await flushed;
    expect(writer.closed).toBe(true);
    writer.send({ n: 3 });
    stdout.drain();
    expect(stdout.written).toHaveLength(1);
  });

  it('counts the bytes stdout has not taken yet, and reports progress as it takes them', async () => {
    const stdout = new FakeStdout();
    let progress = 0;
    const writer = new FrameWriter(stdout, { littleEndian: true, logger, onProgress: () => (progress += 1) });
    stdout.pushBack = true;
    writer.send({ n: 1 }); // 7 bytes of JSON + 4 of length
    await Promise.resolve();
    writer.send({ n: 22 });
    expect(writer.unsentBytes).toBe(11 + 12);
    stdout.completeWrites();
    expect(writer.unsentBytes).toBe(12);
    expect(progress).toBe(1);
    stdout.drain();
    stdout.completeWrites();
    expect(writer.unsentBytes).toBe(0);
    expect(progress).toBe(2);
  });

  it('reports a failed stdout once, and holds nothing afterwards', async () => {
    const stdout = new FakeStdout();
    const closed: string[] = [];
    const writer = new FrameWriter(stdout, { littleEndian: true, logger, onClosed: (error) => closed.push(error.message) });
    stdout.pushBack = true;
    writer.send({ n: 1 });
    await Promise.resolve();
    writer.send({ n: 2 });
    stdout.fail(new Error('write EPIPE'));
    stdout.fail(new Error('write EPIPE'));
    expect(closed).toEqual(['write EPIPE']);
    expect(writer.unsentBytes).toBe(0);
    writer.send({ n: 3 });
    expect(writer.unsentBytes).toBe(0);
  });
});
