import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/protocol';
import { StdioTransport } from './stdio-transport';

const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const frame = (text: string): Buffer => Buffer.from(encodeFrame(text, LE));
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(maxHeldBytes = 1024) {
  const input = new PassThrough();
  const frames: string[] = [];
  const ends: (string | null)[] = [];
  const transport = new StdioTransport(input, 1 << 20, {
    frame: (body) => frames.push(Buffer.from(body).toString('utf8')),
    oversized: () => undefined,
    end: (truncation) => ends.push(truncation),
  }, { maxHeldBytes });
  transport.start();
  return { input, frames, ends, transport };
}

describe('StdioTransport held', () => {
  it('hands on nothing while held, and everything, in order, once released', async () => {
    const { input, frames, transport } = setup();
    input.write(frame('1'));
    await turn();
    transport.hold();
    input.write(frame('2'));
    input.write(frame('3'));
    await turn();
    expect(frames).toEqual(['1']);
    transport.release();
    expect(frames).toEqual(['1', '2', '3']);
    input.write(frame('4'));
    await turn();
    expect(frames).toEqual(['1', '2', '3', '4']);
  });

  it('pauses stdin once more than maxHeldBytes wait, and reads again on release', async () => {
    const { input, frames, transport } = setup(100);
    transport.hold();
    for (let i = 0; i < 10; i++) input.write(frame(`"${'x'.repeat(40)}"`));
    await turn();
    expect(input.isPaused()).toBe(true);
    expect(frames).toEqual([]);
    transport.release();
    await turn();
    expect(input.isPaused()).toBe(false);
    expect(frames).toHaveLength(10);
  });

  it('still notices the end of input while held, and hands on what came before it', async () => {
    const { input, frames, ends, transport } = setup();
    transport.hold();
    input.end(frame('last'));
    await turn();
    expect(frames).toEqual(['last']);
    expect(ends).toEqual([null]);
  });

  it('keeps a clock that stands still while held', async () => {
    const { transport } = setup();
    transport.hold();
    const before = transport.readingMs();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(transport.readingMs()).toBe(before);
    transport.release();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(transport.readingMs()).toBeGreaterThan(before);
  });
});
