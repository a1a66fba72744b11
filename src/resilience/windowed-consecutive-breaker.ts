import type { IBreaker } from 'cockatiel';

export interface WindowedConsecutiveState {
  failures: number;
  /** Epoch ms of the streak's first failure (Date.now, as cockatiel's own breakers use). */
  streakStartedAt: number;
}

/**
 * Opens after `threshold` consecutive failures that all fall within `windowMs` of the first: the
 * seed's `failureThreshold` with `monitoringWindow`. A success ends the streak, as in cockatiel's
 * ConsecutiveBreaker; so does a streak older than the window. Its state is plain data, so it
 * survives the worker stopping through cockatiel's `toJSON` / `initialState`.
 */
export class WindowedConsecutiveBreaker implements IBreaker {
  state: WindowedConsecutiveState = { failures: 0, streakStartedAt: 0 };

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
  ) {}

  success(): void {
    this.state = { failures: 0, streakStartedAt: 0 };
  }

  failure(): boolean {
    const now = Date.now();
    if (this.state.failures === 0 || now - this.state.streakStartedAt > this.windowMs) this.state = { failures: 0, streakStartedAt: now };
    this.state = { ...this.state, failures: this.state.failures + 1 };
    return this.state.failures >= this.threshold;
  }
}

export function isWindowedConsecutiveState(value: unknown): value is WindowedConsecutiveState {
  const state = value as Partial<WindowedConsecutiveState> | null;
  return typeof state === 'object' && state !== null && Number.isInteger(state.failures) && Number.isFinite(state.streakStartedAt);
}
