/**
 * Native-messaging framing: each message is a 32-bit length in the platform's native byte order,
 * then that many bytes of UTF-8 JSON. The reader copes with partial reads, many frames in one chunk,
 * and refuses (then skips) frames above a configured maximum instead of buffering them.
 */

export const FRAME_HEADER_BYTES = 4;
/** Chrome closes the port on any host → browser message above 1 MiB (1,048,576 bytes). */
export const CHROME_HOST_TO_BROWSER_LIMIT = 1024 * 1024;

const encoder = new TextEncoder();

/** Encodes one frame. `littleEndian` must match the platform (x86 and ARM Linux/macOS: true). */
export function encodeFrame(json: string, littleEndian: boolean): Uint8Array {
  const body = encoder.encode(json);
  const frame = new Uint8Array(FRAME_HEADER_BYTES + body.byteLength);
  new DataView(frame.buffer).setUint32(0, body.byteLength, littleEndian);
  frame.set(body, FRAME_HEADER_BYTES);
  return frame;
}

export type FrameEvent =
  | { type: 'frame'; body: Uint8Array }
  /** A frame announced more bytes than allowed; its body is skipped as it arrives. */
  | { type: 'oversized'; length: number; max: number };

export interface FrameReaderOptions {
  maxFrameBytes: number;
  littleEndian: boolean;
}

export class FrameReader {
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  /** Body length of the frame being assembled, once its header has been read. */
  private expected: number | null = null;
  /** Bytes still to discard from an oversized frame. */
  private skipping = 0;

  constructor(private readonly options: FrameReaderOptions) {
    if (!(options.maxFrameBytes > 0)) throw new RangeError('maxFrameBytes must be positive');
  }

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** True when a frame has started but not finished: at end of input this means truncation. */
  get inFrame(): boolean {
    return this.buffered > 0 || this.expected !== null || this.skipping > 0;
  }

  /** Describes the unfinished frame, for the error raised when input ends mid-frame. */
  describeTruncation(): string {
    if (this.skipping > 0) return `input ended while skipping an oversized frame (${this.skipping} bytes missing)`;
    if (this.expected === null) return `input ended inside a frame header (${this.buffered} of 4 bytes)`;
    return `input ended inside a frame: ${this.buffered} of ${this.expected} body bytes received`;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    let input = chunk;
    while (input.byteLength > 0) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, input.byteLength);
        this.skipping -= n;
        input = input.subarray(n);
        continue;
      }
      if (this.expected === null) {
        const need = FRAME_HEADER_BYTES - this.buffered;
        const take = Math.min(need, input.byteLength);
        this.append(input.subarray(0, take));
        input = input.subarray(take);
        if (this.buffered < FRAME_HEADER_BYTES) break;
        const header = this.drain(FRAME_HEADER_BYTES);
        const length = new DataView(header.buffer, header.byteOffset, 4).getUint32(0, this.options.littleEndian);
        if (length > this.options.maxFrameBytes) {
          events.push({ type: 'oversized', length, max: this.options.maxFrameBytes });
          this.skipping = length;
          continue;
        }
        this.expected = length;
      }
      const expected = this.expected;
      // Fast path: a whole frame inside this chunk with nothing buffered needs no copy.
      if (this.buffered === 0 && input.byteLength >= expected) {
        events.push({ type: 'frame', body: input.subarray(0, expected) });
        input = input.subarray(expected);
        this.expected = null;
        continue;
      }
      const take = Math.min(expected - this.buffered, input.byteLength);
      this.append(input.subarray(0, take));
      input = input.subarray(take);
      if (this.buffered === expected) {
        events.push({ type: 'frame', body: this.drain(expected) });
        this.expected = null;
      }
    }
    return events;
  }

  private append(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    // Keep a copy: the caller may reuse its buffer after push() returns.
    this.chunks.push(bytes.slice());
    this.buffered += bytes.byteLength;
  }

  /** Removes and returns exactly the buffered bytes (callers drain only when buffered === n). */
  private drain(n: number): Uint8Array {
    const out = this.chunks.length === 1 ? this.chunks[0]! : concat(this.chunks, n);
    this.chunks.length = 0;
    this.buffered = 0;
    return out;
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
