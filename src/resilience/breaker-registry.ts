import { FerryError } from '../errors/ferry-error';
import { HostBreaker, type BreakerExecution, type BreakerSnapshot } from './breaker';
import { resolveBreakerConfig, type BreakerConfig, type CircuitBreakerBlock } from './breaker-config';
import type { BreakerStateStore } from './breaker-state-store';

export interface BreakerRegistryOptions {
  store: BreakerStateStore;
  /** The config of hosts whose caller gives none. */
  defaults?: CircuitBreakerBlock;
  /** Every open / half-open / closed transition, for the UI and the audit log. */
  onStateChange?: (snapshot: BreakerSnapshot) => void;
  /** Persistence failures: reported, never thrown into a delivery (the breaker keeps working in memory). */
  onError?: (error: FerryError) => void;
}

/** Per host: the save in progress, and whether the breaker changed since it started. */
interface Saver {
  running?: Promise<void>;
  dirty: boolean;
  lastSaved?: string;
}

/**
 * One circuit breaker per integration host, loaded lazily from the store on first use and saved
 * after every change, so a service worker that stops and restarts finds its circuits as it left them.
 * Saves for one host never overlap and the latest state always lands last: changes during a save
 * mark the host dirty and the same loop writes again, skipping states identical to the last written.
 */
export class BreakerRegistry {
  private readonly breakers = new Map<string, Promise<HostBreaker>>();
  private readonly loaded = new Map<string, HostBreaker>();
  private readonly savers = new Map<string, Saver>();
  private readonly defaults: BreakerConfig;

  constructor(private readonly options: BreakerRegistryOptions) {
    this.defaults = resolveBreakerConfig(options.defaults);
  }

  /**
   * The breaker for a host (`api.example.com:8443`) or a URL's host. With a config different from the
   * breaker's current one (a pipeline's `circuitBreaker` block), the breaker is rebuilt on it, keeping
   * its state.
   */
  async get(hostOrUrl: string, block?: CircuitBreakerBlock): Promise<HostBreaker> {
    const host = breakerHost(hostOrUrl);
    const config = block ? resolveBreakerConfig(block) : undefined;
    let pending = this.breakers.get(host);
    if (!pending) {
      pending = this.load(host, config ?? this.defaults);
      this.breakers.set(host, pending);
    }
    const breaker = await pending;
    // Another caller may have rebuilt it meanwhile: always continue from the latest.
    const current = this.loaded.get(host) ?? breaker;
    if (!config || JSON.stringify(config) === JSON.stringify(current.config)) return current;
    // Calls still running on the old breaker no longer count: a config change is rare and starts afresh from here.
    current.dispose();
    return this.install(new HostBreaker(host, config, current.toJSON(), this.changed));
  }

  /** `HostBreaker.execute` for the host's breaker. */
  async execute<T>(hostOrUrl: string, fn: (signal: AbortSignal) => Promise<T>, options: { signal?: AbortSignal; config?: CircuitBreakerBlock } = {}): Promise<BreakerExecution<T>> {
    const breaker = await this.get(hostOrUrl, options.config);
    return breaker.execute(fn, options.signal);
  }

  /** The state of every breaker loaded so far. */
  snapshots(): BreakerSnapshot[] {
    return [...this.loaded.values()].map((breaker) => breaker.snapshot());
  }

  /** Resolves once every change so far is in the store. */
  async flush(): Promise<void> {
    while ([...this.savers.values()].some((saver) => saver.running)) {
      await Promise.all([...this.savers.values()].map((saver) => saver.running));
    }
  }

  private async load(host: string, config: BreakerConfig): Promise<HostBreaker> {
    let persisted: unknown;
    try {
      persisted = await this.options.store.load(host);
    } catch (cause) {
      this.report('BREAKER_STATE_LOAD_FAILED', `Could not read the saved circuit state of ${host}; it starts closed.`, host, cause);
    }
    const breaker = new HostBreaker(host, config, persisted, this.changed);
    if (breaker.restored === 'invalid') this.report('BREAKER_STATE_INVALID', `The saved circuit state of ${host} is unreadable; it starts closed.`, host);
    // Nothing to write until the state differs from what the store holds (or, for a new host, from closed);
    // an unreadable entry is overwritten at the first change.
    this.savers.set(host, { dirty: false, lastSaved: breaker.restored === 'invalid' ? undefined : JSON.stringify(breaker.toJSON()) });
    return this.install(breaker);
  }

  private install(breaker: HostBreaker): HostBreaker {
    this.loaded.set(breaker.host, breaker);
    this.breakers.set(breaker.host, Promise.resolve(breaker));
    return breaker;
  }

  private readonly changed = (breaker: HostBreaker, stateChanged: boolean): void => {
    if (stateChanged) this.options.onStateChange?.(breaker.snapshot());
    const saver = this.savers.get(breaker.host);
    if (!saver) return;
    saver.dirty = true;
    if (!saver.running) saver.running = this.drain(breaker.host, saver);
  };

  private async drain(host: string, saver: Saver): Promise<void> {
    // Yield first, so a burst of changes in one turn (a call's success and its state change) costs one save.
    await Promise.resolve();
    try {
      while (saver.dirty) {
        saver.dirty = false;
        const breaker = this.loaded.get(host);
        if (!breaker) return;
        const state = breaker.toJSON();
        const text = JSON.stringify(state);
        if (text === saver.lastSaved) continue;
        await this.options.store.save(host, state);
        saver.lastSaved = text;
      }
    } catch (cause) {
      this.report('BREAKER_STATE_SAVE_FAILED', `Could not save the circuit state of ${host}; it will be retried on the next change.`, host, cause);
    } finally {
      saver.running = undefined;
    }
  }

  private report(code: string, message: string, host: string, cause?: unknown): void {
    this.options.onError?.(new FerryError(code, message, { host }, { cause }));
  }
}

/** The key breakers are kept under: the lower-cased host (with port) of a URL, or the host as given. */
export function breakerHost(hostOrUrl: string): string {
  if (hostOrUrl.includes('://')) {
    try {
      return new URL(hostOrUrl).host.toLowerCase();
    } catch {
      // Not a URL after all: use it as written.
    }
  }
  return hostOrUrl.trim().toLowerCase();
}
