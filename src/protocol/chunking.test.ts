import { describe, expect, it } from 'vitest';
import { ChunkAssembler, DEFAULT_MAX_MESSAGE_BYTES, PIECE_OVERHEAD_BYTES, chunkMessages, splitSerialized, utf8Length } from './chunking';
import { ErrorCode, isRpcError } from './errors';
import { CHUNK } from './notifications';

const utf8 = (s: string): number => new TextEncoder().encode(s).byteLength;

/** Splits, checks every chunk against the limit and the surrogate rule, and reassembles. */
function roundTrip(text: string, maxBytes: number, streamId = 's1'): string[] {
  const serialized = splitSerialized(text, maxBytes, streamId);
  expect(serialized.length).toBeGreaterThan(1);
  const assembler = new ChunkAssembler({ maxMessageBytes: utf8(text) });
  let rebuilt: string | undefined;
  serialized.forEach((json, i) => {
    expect(utf8(json)).toBeLessThanOrEqual(maxBytes);
    const message = JSON.parse(json) as { method: string; params: { stream: string; seq: number; total: number; data: string } };
    expect(message.method).toBe(CHUNK);
    expect(message.params).toMatchObject({ stream: streamId, seq: i, total: serialized.length });
    const { data } = message.params;
    expect(data.length).toBeGreaterThan(0);
    // No piece may end inside a surrogate pair, or start with the second half of one.
    expect(isHigh(data.charCodeAt(data.length - 1))).toBe(false);
    expect(isLow(data.charCodeAt(0))).toBe(false);
    const out = assembler.accept(message.params);
    if (i < serialized.length - 1) expect(out).toBeUndefined();
    else rebuilt = out;
  });
  expect(rebuilt).toBe(text);
  expect(assembler.openStreams).toBe(0);
  return serialized;
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

describe('splitSerialized', () => {
  it('returns the message itself when it fits', () => {
    const text = JSON.stringify({ a: 'x'.repeat(1000) });
    expect(splitSerialized(text, 2000, 's')).toEqual([text]);
    // Exactly at the limit (multi-byte text, where the cheap length check cannot decide).
    const exact = `"${'é'.repeat(499)}"`;
    expect(utf8(exact)).toBe(1000);
    expect(splitSerialized(exact, 1000, 's')).toEqual([exact]);
    expect(splitSerialized(exact, 999, 's').length).toBeGreaterThan(1);
  });

  it('round-trips 3 MB of ASCII under the default 1,000,000-byte limit, in few chunks', () => {
    const text = JSON.stringify({ rows: Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: `row ${i}` })) });
    expect(text.length).toBeGreaterThan(1_500_000);
    const chunks = roundTrip(text, DEFAULT_MAX_MESSAGE_BYTES);
    // Each piece travels as a JSON string, so its quotes are escaped: that is the size to divide.
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(utf8(JSON.stringify(text)) / (DEFAULT_MAX_MESSAGE_BYTES - 500)));
  });

  it('round-trips text that JSON escapes heavily (quotes, backslashes, control characters)', () => {
    let nasty = '';
    for (let i = 0; i < 32; i++) nasty += String.fromCharCode(i);
    const text = JSON.stringify({ s: `"\\${nasty}\u2028\u2029`.repeat(4000) });
    roundTrip(text, 10_000);
  });

  it('never splits a non-BMP character (emoji) inside its surrogate pair', () => {
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const text = JSON.stringify(prefix + '😀🎉𝄞'.repeat(20_000));
      roundTrip(text, 4096);
    }
  });

  it('keeps every chunk under the limit whatever the stream id contains', () => {
    const streamId = `\u0001"\\`.repeat(200);
    // Quotes double in size when escaped, so pieces are sized from measurement and fill the budget.
    roundTrip(JSON.stringify('"'.repeat(50_000)), 8192, streamId);
  });

  it('grows pieces back after a heavily escaped stretch', () => {
    const text = '\u0001'.repeat(50_000) + 'a'.repeat(2_000_000);
    const chunks = roundTrip(text, 100_000);
    // 300,000 bytes of escapes (\u0001 is 6 bytes in JSON) and 2,000,000 of ASCII: 24 full chunks.
    expect(chunks.length).toBeLessThanOrEqual(30);
  });

  it('refuses a limit too small to carry any data', () => {
    expect(() => chunkMessages('x'.repeat(1000), 100, 's')).toThrow(RangeError);
  });
});

describe('ChunkAssembler', () => {
  const piece = (stream: string, seq: number, total: number, data = 'x') => ({ stream, seq, total, data });
  const failureOf = (fn: () => unknown): { code: number; message: string } => {
    try {
      fn();
    } catch (error) {
      expect(isRpcError(error)).toBe(true);
      return error as { code: number; message: string };
    }
    throw new Error('expected a ChunkAssemblyFailed error');
  };

  it('rebuilds interleaved streams independently', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 100 });
    expect(a.accept(piece('a', 0, 2, '[1,'))).toBeUndefined();
    expect(a.accept(piece('b', 0, 2, '{"x"'))).toBeUndefined();
    expect(a.openStreams).toBe(2);
    expect(a.accept(piece('a', 1, 2, '2]'))).toBe('[1,2]');
    expect(a.accept(piece('b', 1, 2, ':1}'))).toBe('{"x":1}');
    expect(a.openStreams).toBe(0);
  });

  it('refuses pieces out of order and drops the stream', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 100 });
    const first = failureOf(() => a.accept(piece('s', 1, 3)));
    expect(first.code).toBe(ErrorCode.ChunkAssemblyFailed);
    expect(first.message).toContain('expected piece 0, got 1');
    expect(a.openStreams).toBe(0);

    // A failed stream stays failed: its later pieces are dropped without another error.
    expect(a.accept(piece('s', 0, 3))).toBeUndefined();
    expect(a.openStreams).toBe(0);

    a.accept(piece('t', 0, 3));
    const skipped = failureOf(() => a.accept(piece('t', 2, 3)));
    expect(skipped.message).toContain('expected piece 1, got 2');
    expect(a.openStreams).toBe(0);
    expect(a.accept(piece('u', 0, 1, '"ok"'))).toBe('"ok"');
  });

  it('refuses a stream whose total changes', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 100 });
    a.accept(piece('s', 0, 3));
    const error = failureOf(() => a.accept(piece('s', 1, 4)));
    expect(error.code).toBe(ErrorCode.ChunkAssemblyFailed);
    expect(error.message).toContain('total changed from 3 to 4');
    expect(a.openStreams).toBe(0);
  });

  it('refuses a message larger than maxMessageBytes as soon as it grows past it', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 10 });
    a.accept(piece('s', 0, 5, '123456'));
    const error = failureOf(() => a.accept(piece('s', 1, 5, '789012')));
    expect(error.code).toBe(ErrorCode.ChunkAssemblyFailed);
    expect(error.message).toContain('exceeds the maximum of 10 bytes');
    expect(a.openStreams).toBe(0);
  });

  it('refuses more open streams than allowed', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 100, maxOpenStreams: 2 });
    a.accept(piece('a', 0, 2));
    a.accept(piece('b', 0, 2));
    const error = failureOf(() => a.accept(piece('c', 0, 2)));
    expect(error.code).toBe(ErrorCode.ChunkAssemblyFailed);
    expect(error.message).toContain('limit 2');
    // Existing streams are unaffected.
    expect(a.accept(piece('a', 1, 2, 'y'))).toBe('xy');
  });

  it('refuses malformed params', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 100 });
    for (const bad of [undefined, {}, { stream: '', seq: 0, total: 1, data: '' }, { stream: 's', seq: -1, total: 1, data: '' }, { stream: 's', seq: 0, total: 0, data: '' }, { stream: 's', seq: 0, total: 1, data: 5 }]) {
      expect(failureOf(() => a.accept(bad)).code).toBe(ErrorCode.ChunkAssemblyFailed);
    }
  });

  it('clear() drops partial streams', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 100 });
    a.accept(piece('s', 0, 2));
    a.clear();
    expect(a.openStreams).toBe(0);
    expect(failureOf(() => a.accept(piece('s', 1, 2))).message).toContain('expected piece 0, got 1');
  });
});

describe('splitSerialized envelopes', () => {
  it('are byte-for-byte the JSON of the chunk notifications', () => {
    const text = JSON.stringify({ jsonrpc: '2.0', id: 7, result: 'q"\\\n😀é'.repeat(50_000) });
    const serialized = splitSerialized(text, 20_000, 'st"1');
    expect(serialized.length).toBeGreaterThan(1);
    expect(serialized).toEqual(chunkMessages(text, 20_000, 'st"1').map((m) => JSON.stringify(m)));
  });
});

describe('ChunkAssembler limits in bytes', () => {
  it('refuses a message whose UTF-8 size exceeds the maximum even when its length does not', () => {
    const assembler = new ChunkAssembler({ maxMessageBytes: 1_000 });
    const text = JSON.stringify('é'.repeat(900)); // 902 UTF-16 units, 1,802 bytes
    const pieces = chunkMessages(text, 600, 'u1').map((m) => m.params);
    expect(() => pieces.forEach((p) => assembler.accept(p))).toThrow(/exceeds the maximum of 1000 bytes/);
  });

  it('accepts a message of exactly the maximum size', () => {
    const text = JSON.stringify('é😀a'.repeat(100));
    const assembler = new ChunkAssembler({ maxMessageBytes: utf8Length(text) });
    let out: string | undefined;
    for (const m of chunkMessages(text, 300, 'u2')) out = assembler.accept(m.params) ?? out;
    expect(out).toBe(text);
  });

  it('reports a broken stream once and drops its later pieces quietly', () => {
    const assembler = new ChunkAssembler({ maxMessageBytes: 1e6 });
    const pieces = chunkMessages(JSON.stringify('z'.repeat(5_000)), 1_000, 'u3').map((m) => m.params as { seq: number });
    expect(() => assembler.accept(pieces[1])).toThrow(/expected piece 0/);
    for (const p of pieces.slice(2)) expect(assembler.accept(p)).toBeUndefined();
    expect(assembler.openStreams).toBe(0);
  });

  it('counts UTF-8 bytes like TextEncoder', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a😀é€\u0000"', '\ud800x', 'x\udc00']) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).byteLength);
    }
  });
});

describe('ChunkAssembler bound on unfinished streams and their expiry', () => {
  const piece = (stream: string, seq: number, total: number, data = 'x') => ({ stream, seq, total, data });
  const errorOf = (fn: () => unknown): { code: number; message: string; data?: { stream?: string } } => {
    try {
      fn();
    } catch (error) {
      expect(isRpcError(error)).toBe(true);
      return error as { code: number; message: string; data?: { stream?: string } };
    }
    throw new Error('expected a ChunkAssemblyFailed error');
  };

  it('refuses a piece that would make unfinished streams hold more than maxBufferedBytes together', () => {
    const cost = 10 + PIECE_OVERHEAD_BYTES;
    const a = new ChunkAssembler({ maxMessageBytes: 1000, maxBufferedBytes: 2 * cost, settingNames: { maxBufferedBytes: 'BUFFER_SETTING' } });
    a.accept(piece('a', 0, 2, 'a'.repeat(10)));
    a.accept(piece('b', 0, 3, 'b'.repeat(10)));
    expect(a.bufferedBytes).toBe(2 * cost);
    const error = errorOf(() => a.accept(piece('c', 0, 2, 'c'.repeat(10))));
    expect(error.code).toBe(ErrorCode.ChunkAssemblyFailed);
    expect(error.data?.stream).toBe('c');
    expect(error.message).toContain('Chunk stream "c"');
    expect(error.message).toContain(`more than ${2 * cost} bytes together (BUFFER_SETTING); 2 other streams are open;`);
    expect(error.message).toContain('finish sending one large message before starting the next');
    // The last piece of a stream is never refused for the bound: it completes the message at once.
    expect(a.accept(piece('a', 1, 2, 'y'))).toBe(`${'a'.repeat(10)}y`);
    expect(a.bufferedBytes).toBe(cost);
    // A piece that would wait is refused while the bound is reached.
    expect(errorOf(() => a.accept(piece('b', 1, 3, 'b'.repeat(100)))).data?.stream).toBe('b');
    expect(a.bufferedBytes).toBe(0);
  });

  it('counts UTF-8 bytes and frees what a finished or failed stream held', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 1000, maxBufferedBytes: 1000 });
    a.accept(piece('u', 0, 2, 'é€'));
    expect(a.bufferedBytes).toBe(5 + PIECE_OVERHEAD_BYTES);
    expect(a.accept(piece('u', 1, 2, '!'))).toBe('é€!');
    expect(a.bufferedBytes).toBe(0);
    a.accept(piece('v', 0, 3));
    errorOf(() => a.accept(piece('v', 2, 3)));
    expect(a.bufferedBytes).toBe(0);
    a.accept(piece('w', 0, 2));
    a.clear();
    expect(a.bufferedBytes).toBe(0);
  });

  it('bounds a flood of empty pieces by their bookkeeping', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 1000, maxBufferedBytes: 10 * PIECE_OVERHEAD_BYTES });
    for (let seq = 0; seq < 10; seq++) a.accept(piece('e', seq, 1e9, ''));
    expect(errorOf(() => a.accept(piece('e', 10, 1e9, ''))).data?.stream).toBe('e');
  });

  it('expires a stream that received no piece for streamTimeoutMs, naming it and the limit', () => {
    let now = 1_000;
    const a = new ChunkAssembler({ maxMessageBytes: 100, maxBufferedBytes: 1000, streamTimeoutMs: 500, now: () => now, settingNames: { streamTimeoutMs: 'TIMEOUT_SETTING' } });
    a.accept(piece('old', 0, 3));
    now += 300;
    a.accept(piece('new', 0, 2));
    expect(a.expire()).toEqual([]);
    now += 250; // "old" idle 550 ms, "new" 250 ms
    const [error, ...rest] = a.expire();
    expect(rest).toEqual([]);
    expect(error!.code).toBe(ErrorCode.ChunkAssemblyFailed);
    expect(error!.data).toEqual({ stream: 'old' });
    expect(error!.message).toContain('Chunk stream "old": expired: no piece arrived for 550 ms');
    expect(error!.message).toContain('the limit (TIMEOUT_SETTING) being 500 ms');
    expect(error!.message).toContain('the 1 of 3 pieces received were dropped; resend the message');
    expect(a.openStreams).toBe(1);
    expect(a.bufferedBytes).toBe(1 + PIECE_OVERHEAD_BYTES);
    // Its late pieces are dropped quietly; the live stream still completes.
    expect(a.accept(piece('old', 1, 3))).toBeUndefined();
    expect(a.accept(piece('new', 1, 2, 'y'))).toBe('xy');
  });

  it('fails an expired stream when its next piece arrives before any sweep', () => {
    let now = 0;
    const a = new ChunkAssembler({ maxMessageBytes: 100, streamTimeoutMs: 100, now: () => now });
    a.accept(piece('s', 0, 2));
    now = 100;
    expect(errorOf(() => a.accept(piece('s', 1, 2))).message).toContain('expired');
    expect(a.openStreams).toBe(0);
  });

  it('names the stream it refuses for too many open streams, and drops its later pieces quietly', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 100, maxOpenStreams: 1 });
    a.accept(piece('a', 0, 2));
    const error = errorOf(() => a.accept(piece('b', 0, 2)));
    expect(error.data?.stream).toBe('b');
    expect(a.accept(piece('b', 1, 2))).toBeUndefined();
  });

  it('never expires anything without streamTimeoutMs', () => {
    const a = new ChunkAssembler({ maxMessageBytes: 100 });
    a.accept(piece('s', 0, 2));
    expect(a.expire()).toEqual([]);
  });
});
