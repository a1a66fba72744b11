import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../tests/support/prng';
import { FRAME_HEADER_BYTES, FrameReader, encodeFrame, type FrameEvent } from './framing';

const decoder = new TextDecoder();
const text = (e: FrameEvent): string => (e.type === 'frame' ? decoder.decode(e.body) : `<oversized ${e.length}/${e.max}>`);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function feed(reader: FrameReader, stream: Uint8Array, cuts: number[]): FrameEvent[] {
  const events: FrameEvent[] = [];
  let at = 0;
  for (const cut of [...cuts, stream.byteLength]) {
    // Copy each piece into a buffer that is then overwritten, as a socket reusing its buffer would.
    const piece = stream.slice(at, cut);
    events.push(...reader.push(piece).map((e) => (e.type === 'frame' ? { ...e, body: e.body.slice() } : e)));
    piece.fill(0xff);
    at = cut;
  }
  return events;
}

describe('encodeFrame', () => {
  it('writes the UTF-8 byte length (not the UTF-16 length) in the requested byte order', () => {
    const json = '"é😀"';
    const le = encodeFrame(json, true);
    const be = encodeFrame(json, false);
    const bodyBytes = new TextEncoder().encode(json).byteLength;
    expect(bodyBytes).toBe(json.length + 3); // é: 1 unit, 2 bytes; 😀: 2 units, 4 bytes
    expect(new DataView(le.buffer).getUint32(0, true)).toBe(bodyBytes);
    expect(new DataView(be.buffer).getUint32(0, false)).toBe(bodyBytes);
    expect([...be.subarray(0, 4)]).toEqual([...le.subarray(0, 4)].reverse());
    expect(decoder.decode(le.subarray(FRAME_HEADER_BYTES))).toBe(json);
  });
});

describe('FrameReader', () => {
  it('reads a 1,000-message stream split at random points (seeded), in order and unchanged', () => {
    for (const seed of [1, 2, 3]) {
      for (const littleEndian of [true, false]) {
        const random = seededRandom(seed);
        const messages = Array.from({ length: 1000 }, (_, i) =>
          JSON.stringify({ i, pad: 'x'.repeat(Math.floor(random() * 3000)), s: 'é😀"\\\n'.repeat(i % 7) }),
        );
        const stream = concat(messages.map((m) => encodeFrame(m, littleEndian)));
        const cuts: number[] = [];
        for (let at = 0; ; ) {
          at += 1 + Math.floor(random() * random() * 9000);
          if (at >= stream.byteLength) break;
          cuts.push(at);
        }
        const reader = new FrameReader({ maxFrameBytes: 1 << 20, littleEndian });
        const events = feed(reader, stream, cuts);
        expect(events.map(text)).toEqual(messages);
        expect(reader.inFrame).toBe(false);
        expect(reader.bufferedBytes).toBe(0);
      }
    }
  });

  it('assembles a frame delivered one byte at a time (header and body spanning chunks)', () => {
    const json = JSON.stringify({ hello: 'wörld', n: [1, 2, 3] });
    const frame = encodeFrame(json, true);
    const reader = new FrameReader({ maxFrameBytes: 1000, littleEndian: true });
    const events: FrameEvent[] = [];
    for (let i = 0; i < frame.byteLength; i++) {
      const got = reader.push(frame.slice(i, i + 1));
      if (i < frame.byteLength - 1) {
        expect(got).toEqual([]);
        expect(reader.inFrame).toBe(true);
      }
      events.push(...got);
    }
    expect(events.map(text)).toEqual([json]);
    expect(reader.inFrame).toBe(false);
  });

  it('returns many frames from one chunk', () => {
    const messages = Array.from({ length: 250 }, (_, i) => `{"n":${i}}`);
    const reader = new FrameReader({ maxFrameBytes: 100, littleEndian: true });
    const events = reader.push(concat(messages.map((m) => encodeFrame(m, true))));
    expect(events.map(text)).toEqual(messages);
  });

  it('emits zero-length frames, wherever the chunk boundaries fall', () => {
    const stream = concat([encodeFrame('', true), encodeFrame('{}', true), encodeFrame('', true), encodeFrame('', true)]);
    for (let cut = 0; cut <= stream.byteLength; cut++) {
      const reader = new FrameReader({ maxFrameBytes: 10, littleEndian: true });
      const events = feed(reader, stream, cut === 0 || cut === stream.byteLength ? [] : [cut]);
      expect(events.map(text)).toEqual(['', '{}', '', '']);
      expect(reader.inFrame).toBe(false);
    }
  });

  it('reports an oversized frame, skips its body, and reads the following frame', () => {
    const big = 'x'.repeat(5000);
    const stream = concat([encodeFrame('"before"', true), encodeFrame(big, true), encodeFrame('"after"', true)]);
    const random = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const cuts: number[] = [];
      for (let at = 0; ; ) {
        at += 1 + Math.floor(random() * 1500);
        if (at >= stream.byteLength) break;
        cuts.push(at);
      }
      const reader = new FrameReader({ maxFrameBytes: 100, littleEndian: true });
      const events = feed(reader, stream, cuts);
      expect(events).toHaveLength(3);
      expect(text(events[0]!)).toBe('"before"');
      expect(events[1]).toEqual({ type: 'oversized', length: 5000, max: 100 });
      expect(text(events[2]!)).toBe('"after"');
      // Nothing of the skipped body was kept in memory.
      expect(reader.bufferedBytes).toBe(0);
    }
  });

  it('accepts a frame of exactly maxFrameBytes and refuses one byte more', () => {
    const reader = new FrameReader({ maxFrameBytes: 4, littleEndian: true });
    const events = reader.push(concat([encodeFrame('1234', true), encodeFrame('12345', true), encodeFrame('"ok"', true)]));
    expect(events.map(text)).toEqual(['1234', '<oversized 5/4>', '"ok"']);
  });

  it('detects truncation in the header, in the body and while skipping', () => {
    const frame = encodeFrame('{"a":1}', true);

    const inHeader = new FrameReader({ maxFrameBytes: 100, littleEndian: true });
    inHeader.push(frame.slice(0, 3));
    expect(inHeader.inFrame).toBe(true);
    expect(inHeader.describeTruncation()).toBe('input ended inside a frame header (3 of 4 bytes)');

    const inBody = new FrameReader({ maxFrameBytes: 100, littleEndian: true });
    inBody.push(frame.slice(0, 6));
    expect(inBody.inFrame).toBe(true);
    expect(inBody.describeTruncation()).toBe('input ended inside a frame: 2 of 7 body bytes received');

    const afterHeader = new FrameReader({ maxFrameBytes: 100, littleEndian: true });
    afterHeader.push(frame.slice(0, 4));
    expect(afterHeader.inFrame).toBe(true);
    expect(afterHeader.describeTruncation()).toBe('input ended inside a frame: 0 of 7 body bytes received');

    const skipping = new FrameReader({ maxFrameBytes: 3, littleEndian: true });
    expect(skipping.push(frame.slice(0, 9))).toEqual([{ type: 'oversized', length: 7, max: 3 }]);
    expect(skipping.inFrame).toBe(true);
    expect(skipping.describeTruncation()).toBe('input ended while skipping an oversized frame (2 bytes missing)');

    const complete = new FrameReader({ maxFrameBytes: 100, littleEndian: true });
    complete.push(frame);
    expect(complete.inFrame).toBe(false);
  });

  it('reads the length in the configured byte order', () => {
    const be = new FrameReader({ maxFrameBytes: 100, littleEndian: false });
    expect(be.push(encodeFrame('[1]', false)).map(text)).toEqual(['[1]']);
    // The same bytes read little-endian announce 3 << 24 bytes: refused, not buffered.
    const le = new FrameReader({ maxFrameBytes: 100, littleEndian: true });
    expect(le.push(encodeFrame('[1]', false))).toEqual([{ type: 'oversized', length: 3 << 24, max: 100 }]);
  });

  it('refuses a non-positive maximum', () => {
    expect(() => new FrameReader({ maxFrameBytes: 0, littleEndian: true })).toThrow(RangeError);
  });
});
