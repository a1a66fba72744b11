/**
 * Reads native-messaging frames from stdin and hands them on. Frames use the platform's byte
 * order. The transport reports the end of input once, including whether it ended mid-frame.
 * It can be held (stdin paused) while the host has too much unsent or unfinished work: the browser's
 * writes then wait in the pipe instead of in the host's memory. `readingMs` is a clock that stands
 * still while input is held, so nothing the client sent "expires" while the host is not reading it.
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

export class StdioTransport {
  private readonly reader: FrameReader;
  private ended = false;
  private heldSince: number | null = null;
  private heldTotalMs = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly input: NodeJS.ReadableStream,
    maxFrameBytes: number,
    private readonly events: StdinEvents,
  ) {
    this.reader = new FrameReader({ maxFrameBytes, littleEndian: endianness() === 'LE' });
  }

  start(): void {
    this.input.on('data', this.onData);
    this.input.once('end', this.onEnd);
    this.input.once('close', this.onEnd);
    this.input.on('error', this.onEnd);
  }

  /** Stops reading (signal or shutdown); reported as the end of input. */
  stop(): void {
    this.input.pause();
    this.onEnd();
  }

  /** Pauses reading until `release()`; what the client sends meanwhile waits in the pipe. */
  hold(): void {
    if (this.ended || this.heldSince !== null) return;
    this.heldSince = Date.now();
    this.input.pause();
  }

  release(): void {
    if (this.heldSince === null) return;
    this.heldTotalMs += Date.now() - this.heldSince;
    this.heldSince = null;
    if (!this.ended) this.input.resume();
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
    for (const event of this.reader.push(bytes)) {
      if (event.type === 'frame') this.events.frame(event.body);
      else this.events.oversized(event.length, event.max);
      if (this.ended) return;
    }
    this.events.afterData?.();
  };

  private readonly onEnd = (): void => {
    if (this.ended) return;
    this.ended = true;
    this.input.removeListener('data', this.onData);
    this.events.end(this.reader.inFrame ? this.reader.describeTruncation() : null);
  };
}
