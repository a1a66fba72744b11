/**
 * Reads native-messaging frames from stdin and hands them on. Frames use the platform's byte
 * order. The transport reports the end of input once, including whether it ended mid-frame.
 */
import { endianness } from 'node:os';
import { FrameReader } from '../../src/protocol';

export interface StdinEvents {
  frame(body: Uint8Array): void;
  oversized(length: number, max: number): void;
  /** Input ended (or was stopped); `truncation` describes an unfinished frame, if any. */
  end(truncation: string | null): void;
}

export class StdioTransport {
  private readonly reader: FrameReader;
  private ended = false;

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

  private readonly onData = (chunk: Buffer | string): void => {
    if (this.ended) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (const event of this.reader.push(bytes)) {
      if (event.type === 'frame') this.events.frame(event.body);
      else this.events.oversized(event.length, event.max);
      if (this.ended) return;
    }
  };

  private readonly onEnd = (): void => {
    if (this.ended) return;
    this.ended = true;
    this.input.removeListener('data', this.onData);
    this.events.end(this.reader.inFrame ? this.reader.describeTruncation() : null);
  };
}
