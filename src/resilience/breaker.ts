import { BrokenCircuitError, circuitBreaker, CircuitState, handleWhen, IsolatedCircuitError, TaskCancelledError, timeout, TimeoutStrategy, type CircuitBreakerPolicy, type IDisposable, type TimeoutPolicy } from 'cockatiel';
import { FerryError } from '../errors/ferry-error';
import { AttemptError, isAttemptError, toAttemptError } from './attempt-error';
import { createBreaker, type BreakerConfig, type BreakerKind, type FallbackAction } from './breaker-config';
import { restoreInitialState, type PersistedBreakerState, type RestoreResult } from './breaker-persistence';

export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** Refused: what the caller does with the records instead, and when the host may be tried again. */
export interface BreakerRefusal {
  allowed: false;
  host: string;
  state: 'open' | 'halfOpen';
  fallback: FallbackAction;
  /** Epoch ms: when the open period ends (open), or by when the running probe will have settled (halfOpen). */
  retryAt: number;
}

export type BreakerDecision = { allowed: true } | BreakerRefusal;
export type BreakerExecution<T> = { allowed: true; value: T } | BreakerRefusal;

/** For the UI. */
export interface BreakerSnapshot {
  host: string;
  state: BreakerState;
  fallback: FallbackAction;
  retryAt?: number;
}

export type BreakerChangeListener = (breaker: HostBreaker, stateChanged: boolean) => void;

const ALLOWED: BreakerDecision = Object.freeze({ allowed: true });

/**
 * The circuit breaker of one integration host, on cockatiel's CircuitBreakerPolicy.
 *
 * Counted as failures: network errors, timeouts (the config's per-call timeout included) and responses
 * saying the host is in trouble (5xx, 429, 408). A 4xx is the request's fault, not the host's.
 * Only one probe runs while half-open: the call that finds the open period over becomes the probe
 * (cockatiel switches to half-open synchronously inside `execute`), and every call meanwhile is
 * refused rather than queued behind it, as cockatiel would. A probe cancelled by its caller counts as
 * a failure: it proved nothing, and cockatiel would otherwise close the circuit on it.
 */
export class HostBreaker {
  readonly kind: BreakerKind;
  readonly restored: RestoreResult['status'];
  private readonly policy: CircuitBreakerPolicy;
  private readonly callTimeout: TimeoutPolicy;
  private readonly subscriptions: IDisposable[];
  private readonly onChange: BreakerChangeListener | undefined;
  private probeStartedAt = 0;

  constructor(
    readonly host: string,
    readonly config: BreakerConfig,
    persisted?: unknown,
    onChange?: BreakerChangeListener,
  ) {
    const { kind, breaker } = createBreaker(config);
    const { initialState, status } = restoreInitialState(persisted, kind, breaker.state);
    this.kind = kind;
    this.restored = status;
    const isFailure = handleWhen((error) => isAttemptError(error, 'NETWORK_ERROR') || isAttemptError(error, 'TIMEOUT') || (isAttemptError(error, 'ABORTED') && this.policy.state === CircuitState.HalfOpen)).orWhenResult(isHostTrouble);
    this.policy = circuitBreaker(isFailure, { halfOpenAfter: config.resetTimeoutMs, breaker, ...(initialState ? { initialState } : {}) });
    this.callTimeout = timeout(config.callTimeoutMs, TimeoutStrategy.Aggressive);
    this.subscriptions = [
      this.policy.onStateChange((state) => {
        if (state === CircuitState.HalfOpen) this.probeStartedAt = Date.now();
        onChange?.(this, true);
      }),
    ];
    this.onChange = onChange;
  }

  get state(): BreakerState {
    const state = this.policy.state;
    return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'halfOpen' : 'open';
  }

  /** Whether a call made now would go through; does not change any state. */
  decide(now = Date.now()): BreakerDecision {
    switch (this.policy.state) {
      case CircuitState.Closed:
        return ALLOWED;
      case CircuitState.HalfOpen:
        return this.refuse('halfOpen', this.probeStartedAt + this.config.callTimeoutMs);
      default: {
        const retryAt = this.openedAt() + this.config.resetTimeoutMs;
        return now >= retryAt ? ALLOWED : this.refuse('open', retryAt);
      }
    }
  }

  /**
   * Runs `fn` through the breaker with the per-call timeout, or returns the refusal without calling
   * it. `fn` gets a signal that aborts on the caller's signal or the timeout. Rejects with AttemptError
   * TIMEOUT / ABORTED, or with what `fn` threw; resolves with `fn`'s value even when it counted as a
   * failure (a 503 response is still the caller's to classify).
   */
  async execute<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<BreakerExecution<T>> {
    if (signal?.aborted) throw new AttemptError('ABORTED', undefined, { host: this.host }, { cause: signal.reason });
    const decision = this.decide();
    if (!decision.allowed) return decision;
    try {
      return { allowed: true, value: await this.policy.execute(() => this.withTimeout(fn, signal), signal) };
    } catch (error) {
      // Not expected after decide(), but cockatiel has the last word on its state.
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        const now = this.decide();
        if (!now.allowed) return now;
      }
      throw error;
    } finally {
      // The breaker's counters have changed by now (cockatiel's onSuccess/onFailure fire before it counts):
      // the registry persists them, so failures before a worker restart still count.
      this.onChange?.(this, false);
    }
  }

  snapshot(): BreakerSnapshot {
    const snapshot: BreakerSnapshot = { host: this.host, state: this.state, fallback: this.config.fallback };
    const decision = this.decide();
    if (!decision.allowed) snapshot.retryAt = decision.retryAt;
    else if (this.policy.state === CircuitState.Open) snapshot.retryAt = this.openedAt() + this.config.resetTimeoutMs;
    return snapshot;
  }

  /** A deep copy: cockatiel's own toJSON shares live objects (SamplingBreaker's windows). */
  toJSON(): PersistedBreakerState {
    return { version: 1, kind: this.kind, policy: JSON.parse(JSON.stringify(this.policy.toJSON())) as unknown };
  }

  /** Stops reporting changes (the registry replaces a breaker whose config changed). */
  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async withTimeout<T>(fn: (signal: AbortSignal) => Promise<T>, callerSignal: AbortSignal | undefined): Promise<T> {
    // No transport error as `cause`: its message may hold the full URL and its secrets.
    const cut = () =>
      callerSignal?.aborted
        ? new AttemptError('ABORTED', undefined, { host: this.host }, { cause: callerSignal.reason })
        : new AttemptError('TIMEOUT', `${this.host} did not answer within ${this.config.callTimeoutMs} ms (circuitBreaker.timeout).`, { host: this.host, timeoutMs: this.config.callTimeoutMs });
    try {
      return await this.callTimeout.execute(({ signal }) =>
        fn(signal).catch((error: unknown) => {
          // The attempt's signal aborts only on the caller's signal or the timeout: whatever the
          // transport then throws is one of those two, whatever it is called.
          throw signal.aborted ? cut() : (toAttemptError(error) ?? error);
        }),
      callerSignal);
    } catch (error) {
      throw error instanceof TaskCancelledError ? cut() : error;
    }
  }

  private openedAt(): number {
    const { ownState } = this.policy.toJSON() as { ownState: { openedAt?: number } };
    return ownState.openedAt ?? 0;
  }

  private refuse(state: BreakerRefusal['state'], retryAt: number): BreakerRefusal {
    return { allowed: false, host: this.host, state, fallback: this.config.fallback, retryAt };
  }
}

/** Responses that say the host, not the request, is in trouble. */
function isHostTrouble(result: unknown): boolean {
  const status = typeof result === 'object' && result !== null ? (result as { status?: unknown }).status : undefined;
  return typeof status === 'number' && (status >= 500 || status === 429 || status === 408);
}

/**
 * The error an attempt throws when the breaker refused it, so `runWithRetry` stops with a final
 * `circuit_open` outcome that carries the fallback and when to come back.
 */
export function circuitOpenError(refusal: BreakerRefusal): FerryError {
  const when = new Date(refusal.retryAt).toISOString();
  const message =
    refusal.state === 'open'
      ? `${refusal.host} failed repeatedly, so Ferry stopped calling it; it will try again after ${when} (fallback: ${refusal.fallback}).`
      : `${refusal.host} is being probed after repeated failures; try again after ${when} (fallback: ${refusal.fallback}).`;
  return new FerryError('CIRCUIT_OPEN', message, { host: refusal.host, state: refusal.state, fallback: refusal.fallback, retryAt: refusal.retryAt });
}
