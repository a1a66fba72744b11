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
}

interface OpenStream {
  pieces: string[];
  total: number;
  received: number;
  chars: number;
  /** Exact UTF-8 size, counted only once `chars * 3` could exceed the maximum. */
  bytes: number | undefined;
}

/** Streams remembered as failed, so their remaining pieces are dropped without more errors. */
const FAILED_MEMORY = 256;

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
 * malformed stream (which is then dropped).
 */
export class ChunkAssembler {
  private readonly streams = new Map<string, OpenStream>();
  private readonly failed = new Set<string>();

  constructor(private readonly options: ChunkAssemblerOptions) {}

  get openStreams(): number {
    return this.streams.size;
  }

  accept(rawParams: unknown): string | undefined {
    const parsed = chunkParams.safeParse(rawParams);
    if (!parsed.success) {
      throw new RpcError(ErrorCode.ChunkAssemblyFailed, `Malformed $/chunk params: ${parsed.error.issues[0]?.message}`);
    }
    const { stream, seq, total, data } = parsed.data;
    // One error per broken stream: its later pieces are dropped quietly.
    if (this.failed.has(stream)) return undefined;
    let open = this.streams.get(stream);
    if (!open) {
      if (this.streams.size >= (this.options.maxOpenStreams ?? 64)) {
        throw new RpcError(ErrorCode.ChunkAssemblyFailed, `Too many chunk streams open at once (limit ${this.options.maxOpenStreams ?? 64})`);
      }
      open = { pieces: [], total, received: 0, chars: 0, bytes: undefined };
      this.streams.set(stream, open);
    }
    const fail = (why: string): never => {
      this.streams.delete(stream);
      this.failed.add(stream);
      if (this.failed.size > FAILED_MEMORY) this.failed.delete(this.failed.values().next().value!);
      throw new RpcError(ErrorCode.ChunkAssemblyFailed, `Chunk stream "${stream}": ${why}`, { stream });
    };
    if (total !== open.total) fail(`total changed from ${open.total} to ${total}`);
    if (seq !== open.received) fail(`expected piece ${open.received}, got ${seq}`);
    const max = this.options.maxMessageBytes;
    open.chars += data.length;
    // A UTF-16 unit is 1 to 3 UTF-8 bytes: count exactly only when the bound says it could matter.
    if (open.bytes === undefined && open.chars * 3 > max) open.bytes = open.pieces.reduce((n, p) => n + utf8Length(p), utf8Length(data));
    else if (open.bytes !== undefined) open.bytes += utf8Length(data);
    if (open.bytes !== undefined && open.bytes > max) fail(`message exceeds the maximum of ${max} bytes`);
    open.pieces.push(data);
    open.received += 1;
    if (open.received < open.total) return undefined;
    this.streams.delete(stream);
    return open.pieces.join('');
  }

  /** Drops every partial stream (on disconnect). */
  clear(): void {
    this.streams.clear();
    this.failed.clear();
  }
}
