/**
 * Reads native-messaging frames from stdin and hands them on. Frames use the platform's byte
 * order. The transport reports the end of input once, including whether it ended mid-frame.
 *
 * It can be held while the host has too much unsent or unfinished work: frames are then not handed
 * on, and once `maxHeldBytes` of input wait unread, stdin is paused, so the browser's further writes
 * wait in the pipe instead of in the host's memory. Until then it keeps reading, so a browser that
 * closes stdin while the host holds it is still noticed (a paused pipe never reports its end).
 * `readingMs` is a clock that stands still while input is held, so nothing the client sent
 * "expires" while the host is not reading it.
 */
import { endianness } from 'node:os';
import { FrameReader } from '../../src/protocol';

export interface StdinEvents {
  frame(body: Uint8Array): void;
  oversized(length: number, max: number): void;
  /** Every frame of one chunk of input has been handed on. */
  afterData?(): void;
  /** Input ended (or was stopped); `truncation` describes an unfinished frame, if any. */
  end(truncation: string | null): void;
}

export interface StdioTransportOptions {
  /** Input read while held, and kept unhandled, before stdin is paused (default 1 MiB). */
  maxHeldBytes?: number;
}

export class StdioTransport {
  private readonly reader: FrameReader;
  private ended = false;
  private heldSince: number | null = null;
  private heldTotalMs = 0;
  private readonly startedAt = Date.now();
  /** Input read while held, handed on at release (or when input ends). */
  private readonly waiting: Buffer[] = [];
  private waitingBytes = 0;
  private readonly maxHeldBytes: number;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    maxFrameBytes: number,
    private readonly events: StdinEvents,
    options: StdioTransportOptions = {},
  ) {
    this.reader = new FrameReader({ maxFrameBytes, littleEndian: endianness() === 'LE' });
    this.maxHeldBytes = options.maxHeldBytes ?? 1024 * 1024;
  }

  start(): void {
    this.input.on('data', this.onData);
    this.input.once('end', this.onInputEnd);
    this.input.once('close', this.onInputEnd);
    this.input.on('error', this.onInputEnd);
  }

  /** Stops reading (signal or shutdown); reported as the end of input. Input not yet handled is dropped. */
  stop(): void {
    this.input.pause();
    this.waiting.length = 0;
    this.waitingBytes = 0;
    this.finish();
  }

  /** Stops handing frames on until `release()`. */
  hold(): void {
    if (this.ended || this.heldSince !== null) return;
    this.heldSince = Date.now();
  }

  /** Hands on what waited, then reads again (unless handling it held the input anew). */
  release(): void {
    if (this.heldSince === null) return;
    this.heldTotalMs += Date.now() - this.heldSince;
    this.heldSince = null;
    while (this.waiting.length > 0 && this.heldSince === null && !this.ended) {
      const chunk = this.waiting.shift()!;
      this.waitingBytes -= chunk.byteLength;
      this.handle(chunk);
    }
    if (!this.ended && this.heldSince === null) this.input.resume();
  }

  get held(): boolean {
    return this.heldSince !== null;
  }

  /** Milliseconds since start during which input was not held. */
  readonly readingMs = (): number => {
    const now = Date.now();
    return now - this.startedAt - this.heldTotalMs - (this.heldSince === null ? 0 : now - this.heldSince);
  };

  private readonly onData = (chunk: Buffer | string): void => {
    if (this.ended) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.heldSince !== null) {
      this.waiting.push(bytes);
      this.waitingBytes += bytes.byteLength;
      if (this.waitingBytes > this.maxHeldBytes) this.input.pause();
      return;
    }
    this.handle(bytes);
  };

  private handle(bytes: Buffer): void {
    for (const event of this.reader.push(bytes)) {
      if (event.type === 'frame') this.events.frame(event.body);
      else this.events.oversized(event.length, event.max);
      if (this.ended) return;
    }
    this.events.afterData?.();
  }

  /**
   * stdin ended (or failed). What the client sent before closing is still handled, held or not:
   * it is bounded by maxHeldBytes, and its replies leave during the shutdown's flush.
   */
  private readonly onInputEnd = (): void => {
    if (this.ended) return;
    for (const chunk of this.waiting.splice(0)) {
      this.handle(chunk);
      if (this.ended) return;
    }
    this.waitingBytes = 0;
    this.finish();
  };

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.input.removeListener('data', this.onData);
    this.events.end(this.reader.inFrame ? this.reader.describeTruncation() : null);
  }
}
