/**
 * Decides when the host stops reading stdin: while the replies stdout has not taken exceed
 * `maxUnsentBytes`, or more than `maxActiveCalls` calls run. A client that sends and never reads
 * (or floods slow calls) then fills its own pipe instead of the host's memory. Reading resumes once
 * both fall to half their bound, so a slow reader is not toggled on and off for every frame.
 */
import type { Logger } from './logger';

export interface HostLoad {
  unsentBytes: number;
  activeCalls: number;
}

export interface BackpressureOptions {
  maxUnsentBytes: number;
  maxActiveCalls: number;
  load(): HostLoad;
  pause(): void;
  resume(): void;
  logger: Logger;
}

export class Backpressure {
  private paused = false;
  private pauses = 0;

  constructor(private readonly options: BackpressureOptions) {}

  /** Times input was paused so far. */
  get pauseCount(): number {
    return this.pauses;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Looks at the load again; call it after input was read, a write completed or a call ended. */
  update(): void {
    const { unsentBytes, activeCalls } = this.options.load();
    const { maxUnsentBytes, maxActiveCalls } = this.options;
    if (!this.paused) {
      if (unsentBytes <= maxUnsentBytes && activeCalls <= maxActiveCalls) return;
      this.paused = true;
      this.pauses += 1;
      // The first pause says why; a slow reader pauses often, so the rest are debug lines.
      const fields = { unsentBytes, activeCalls, maxUnsentBytes, maxActiveCalls };
      const message = 'pausing input: the client is not taking replies as fast as it sends requests';
      if (this.pauses === 1) this.options.logger.info(message, fields);
      else this.options.logger.debug(message, fields);
      this.options.pause();
    } else if (unsentBytes <= maxUnsentBytes / 2 && activeCalls <= maxActiveCalls / 2) {
      this.paused = false;
      this.options.logger.debug('resuming input', { unsentBytes, activeCalls });
      this.options.resume();
    }
  }
}
