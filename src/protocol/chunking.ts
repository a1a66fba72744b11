/**
 * Transparent splitting of messages too large for one frame. A large message is serialized once,
 * its JSON text cut into pieces, and each piece sent as a `$/chunk` notification. The receiver joins
 * the pieces of a stream in order and handles the result exactly as if it had arrived whole.
 *
 * Needed because Chrome closes the port on any host → browser message above 1 MiB; used in both
 * directions so a peer's maximum frame size never limits what a call can carry.
 */
import { ErrorCode, RpcError } from './errors';
import { notification, type NotificationMessage } from './jsonrpc';
import { CHUNK, chunkParams, type ChunkParams } from './notifications';

/** Budget for one frame's body, safely under Chrome's 1 MiB host → browser limit. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_000_000;

/**
 * Budget for one frame from the browser to the host. Only host → browser messages are capped at
 * 1 MiB; Chrome and Firefox both document 4 GB the other way, and the host accepts 64 MiB frames by
 * default (FERRY_HOST_MAX_FRAME_BYTES, which must stay above this). Sending whole is cheaper:
 * measured through Chromium, 1.3 MB reached the host in 49 ms as one frame and 96 ms as `$/chunk`
 * pieces, 7.7 MB in 407 vs 564 ms, since each piece is a JSON string the browser escapes quote by
 * quote and the host parses twice. The client chunks only above this (still in 1 MB pieces).
 */
export const MAX_MESSAGE_BYTES_TO_HOST = 8 * 1024 * 1024;
/** Bytes of a chunk envelope excluding its data: {"jsonrpc":"2.0","method":"$/chunk","params":{...}}. */
const ENVELOPE_BYTES = 160;

const encoder = new TextEncoder();

/**
 * Returns `[text]` when the serialized message fits in `maxBytes`, otherwise the `$/chunk`
 * notifications (as serialized JSON strings) that carry it.
 */
export function splitSerialized(text: string, maxBytes: number, streamId: string): string[] {
  if (fitsInOneMessage(text, maxBytes)) return [text];
  const pieces = splitPieces(text, maxBytes, streamId);
  // The pieces were serialized to be measured: build the envelopes around that text instead of
  // serializing every piece a second time (this is most of the cost of a 10 MB result).
  const head = `{"jsonrpc":"2.0","method":"${CHUNK}","params":{"stream":${JSON.stringify(streamId)},"seq":`;
  return pieces.map(({ json }, seq) => `${head}${seq},"total":${pieces.length},"data":${json}}}`);
}

/**
 * Whether `text` encodes to at most `maxBytes` of UTF-8. A UTF-16 unit takes 1 to 3 bytes, so most
 * texts are decided by their length alone and never encoded.
 */
export function fitsInOneMessage(text: string, maxBytes: number): boolean {
  if (text.length * 3 <= maxBytes) return true;
  if (text.length > maxBytes) return false;
  return encoder.encode(text).byteLength <= maxBytes;
}

/** Splits a serialized message into `$/chunk` notifications whose JSON fits in `maxBytes`. */
export function chunkMessages(text: string, maxBytes: number, streamId: string): NotificationMessage[] {
  const pieces = splitPieces(text, maxBytes, streamId);
  return pieces.map(({ data }, seq) =>
    notification(CHUNK, { stream: streamId, seq, total: pieces.length, data } satisfies ChunkParams),
  );
}

interface Piece {
  /** A slice of the message text. */
  data: string;
  /** `data` serialized as a JSON string, as it is sent. */
  json: string;
}

/** Cuts the text into slices whose serialized chunk envelopes fit in `maxBytes`. */
function splitPieces(text: string, maxBytes: number, streamId: string): Piece[] {
  // The stream id is repeated in every chunk, escaped as JSON: measure it the way it is sent.
  const budget = maxBytes - ENVELOPE_BYTES - encoder.encode(JSON.stringify(streamId)).byteLength;
  if (budget < 64) throw new RangeError(`maxBytes ${maxBytes} is too small to carry chunks`);
  const pieces: Piece[] = [];
  let start = 0;
  // First guess: plain ASCII (one byte per unit); corrected per piece from the measured size.
  let guess = budget - 2;
  while (start < text.length) {
    let len = Math.min(guess, text.length - start);
    for (;;) {
      let end = start + len;
      // Never cut a surrogate pair in half: each piece must be valid UTF-16 on its own.
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
      const piece = text.slice(start, end);
      const json = JSON.stringify(piece);
      const size = encoder.encode(json).byteLength;
      if (size <= budget) {
        pieces.push({ data: piece, json });
        start = end;
        // Let the guess grow back after a heavily escaped stretch, or every later piece stays small.
        // A piece never has more UTF-16 units than bytes, so `budget` bounds it.
        guess = Math.min(budget, Math.max(len, Math.floor(len * (budget / size) * 0.99)));
        break;
      }
      len = Math.max(1, Math.floor(len * (budget / size) * 0.95));
    }
  }
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export interface ChunkAssemblerOptions {
  /** Largest message the assembler will rebuild; protects the receiver's memory. */
  maxMessageBytes: number;
  /** Most streams open at once. */
  maxOpenStreams?: number;
  /**
   * Most bytes all unfinished streams may hold together: their text in UTF-8 plus
   * PIECE_OVERHEAD_BYTES per piece (the bookkeeping a flood of tiny pieces would otherwise cost).
   * A piece that would pass it fails its stream. Unset: only `maxMessageBytes` per stream applies.
   */
  maxBufferedBytes?: number;
  /** A stream that receives no piece for this long is dropped by `expire()` (or by its next piece). */
  streamTimeoutMs?: number;
  /** The clock for `streamTimeoutMs` (default Date.now); a receiver may stop it while it is not reading. */
  now?: () => number;
  /** UTF-8 length of a piece (default utf8Length; a host can pass Buffer.byteLength, which is native). */
  byteLength?: (text: string) => number;
  /**
   * Names of the settings behind each limit, quoted in errors so a user knows what to raise
   * (e.g. `{ maxMessageBytes: 'FERRY_HOST_MAX_MESSAGE_BYTES' }`).
   */
  settingNames?: Partial<Record<'maxMessageBytes' | 'maxBufferedBytes' | 'streamTimeoutMs', string>>;
}

interface OpenStream {
  pieces: string[];
  total: number;
  received: number;
  chars: number;
  /** Exact UTF-8 size, counted only once `chars * 3` could exceed the maximum (or always, with a buffer bound). */
  bytes: number | undefined;
  /** When the last piece arrived, by the assembler's clock. */
  lastPieceAt: number;
  /** What this stream adds to the assembler's bufferedBytes. */
  held: number;
}

/** Streams remembered as failed, so their remaining pieces are dropped without more errors. */
const FAILED_MEMORY = 256;
/** What one held piece costs beyond its text (array slot, string header), counted against maxBufferedBytes. */
export const PIECE_OVERHEAD_BYTES = 32;
const DEFAULT_MAX_OPEN_STREAMS = 64;

function othersOpen(n: number): string {
  return n === 1 ? '1 other stream is open' : `${n} other streams are open`;
}

/** UTF-8 length of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Rebuilds chunked messages. `accept` returns the full JSON text when the last piece of a stream
 * arrives, `undefined` while pieces are missing, and throws RpcError(ChunkAssemblyFailed) on a
 * malformed stream (which is then dropped). Every error about one stream names it in `data.stream`
 * so the sender can fail the call that stream carried.
 */
export class ChunkAssembler {
  private readonly streams = new Map<string, OpenStream>();
  private readonly failed = new Set<string>();
  /** What the open streams hold, as counted against maxBufferedBytes. */
  private buffered = 0;

  constructor(private readonly options: ChunkAssemblerOptions) {}

  get openStreams(): number {
    return this.streams.size;
  }

  /** Bytes the open streams hold (UTF-8 text plus per-piece overhead); 0 unless maxBufferedBytes is set. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  accept(rawParams: unknown): string | undefined {
    const parsed = chunkParams.safeParse(rawParams);
    if (!parsed.success) {
      throw new RpcError(ErrorCode.ChunkAssemblyFailed, `Malformed $/chunk params: ${parsed.error.issues[0]?.message}`);
    }
    const { stream, seq, total, data } = parsed.data;
    // One error per broken stream: its later pieces are dropped quietly.
    if (this.failed.has(stream)) return undefined;
    const { maxBufferedBytes, streamTimeoutMs } = this.options;
    const now = this.now();
    let open = this.streams.get(stream);
    if (open && streamTimeoutMs !== undefined && now - open.lastPieceAt >= streamTimeoutMs) {
      this.fail(stream, this.expiryMessage(open, now));
    }
    if (!open) {
      const maxOpen = this.options.maxOpenStreams ?? DEFAULT_MAX_OPEN_STREAMS;
      if (this.streams.size >= maxOpen) {
        this.fail(
          stream,
          `too many chunk streams open at once (limit ${maxOpen}); ` +
            `send large messages one after another rather than all at once`,
        );
      }
      open = { pieces: [], total, received: 0, chars: 0, bytes: maxBufferedBytes === undefined ? undefined : 0, lastPieceAt: now, held: 0 };
      this.streams.set(stream, open);
    }
    if (total !== open.total) this.fail(stream, `total changed from ${open.total} to ${total}`);
    if (seq !== open.received) this.fail(stream, `expected piece ${open.received}, got ${seq}`);
    const max = this.options.maxMessageBytes;
    const byteLength = this.options.byteLength ?? utf8Length;
    open.chars += data.length;
    let pieceBytes = 0;
    // A UTF-16 unit is 1 to 3 UTF-8 bytes: count exactly only when a bound says it could matter.
    if (open.bytes === undefined && open.chars * 3 > max) open.bytes = open.pieces.reduce((n, p) => n + byteLength(p), byteLength(data));
    else if (open.bytes !== undefined) {
      pieceBytes = byteLength(data);
      open.bytes += pieceBytes;
    }
    if (open.bytes !== undefined && open.bytes > max) {
      this.fail(stream, `message exceeds the maximum of ${max} bytes${this.setting('maxMessageBytes')}; send the data in several smaller calls`);
    }
    // The last piece leaves at once with the message: only pieces that will wait are counted.
    if (maxBufferedBytes !== undefined && open.received + 1 < open.total) {
      const cost = pieceBytes + PIECE_OVERHEAD_BYTES;
      if (this.buffered + cost > maxBufferedBytes) {
        this.fail(
          stream,
          `unfinished chunk streams would hold more than ${maxBufferedBytes} bytes together` +
            `${this.setting('maxBufferedBytes')}; ${othersOpen(this.streams.size - 1)}; ` +
            `finish sending one large message before starting the next, or resend this one later`,
        );
      }
      this.buffered += cost;
      open.held += cost;
    }
    open.pieces.push(data);
    open.received += 1;
    open.lastPieceAt = now;
    if (open.received < open.total) return undefined;
    this.drop(stream);
    return open.pieces.join('');
  }

  /**
   * Drops every stream that received no piece for `streamTimeoutMs` and returns one error per
   * stream, each naming it. Call it on a timer; without `streamTimeoutMs` it does nothing.
   */
  expire(): RpcError[] {
    const timeout = this.options.streamTimeoutMs;
    if (timeout === undefined) return [];
    const now = this.now();
    const errors: RpcError[] = [];
    for (const [stream, open] of this.streams) {
      if (now - open.lastPieceAt < timeout) continue;
      try {
        this.fail(stream, this.expiryMessage(open, now));
      } catch (error) {
        errors.push(error as RpcError);
      }
    }
    return errors;
  }

  /** Drops every partial stream (on disconnect). */
  clear(): void {
    this.streams.clear();
    this.failed.clear();
    this.buffered = 0;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private expiryMessage(open: OpenStream, now: number): string {
    return (
      `expired: no piece arrived for ${now - open.lastPieceAt} ms, the limit${this.setting('streamTimeoutMs')} being ` +
      `${this.options.streamTimeoutMs} ms, so the ${open.received} of ${open.total} pieces received were dropped; ` +
      `resend the message, with all its pieces sent one right after another`
    );
  }

  /** " (SETTING_NAME)" for a limit whose setting was named, else nothing. */
  private setting(limit: keyof NonNullable<ChunkAssemblerOptions['settingNames']>): string {
    const name = this.options.settingNames?.[limit];
    return name ? ` (${name})` : '';
  }

  private drop(stream: string): void {
    const open = this.streams.get(stream);
    if (!open) return;
    this.streams.delete(stream);
    this.buffered -= open.held;
  }

  private fail(stream: string, why: string): never {
    this.drop(stream);
    this.failed.add(stream);
    if (this.failed.size > FAILED_MEMORY) this.failed.delete(this.failed.values().next().value!);
    throw new RpcError(ErrorCode.ChunkAssemblyFailed, `Chunk stream "${stream}": ${why}`, { stream });
  }
}
