import type { FerryDB } from './db';

/** Where a circuit breaker keeps its state per host, so an open circuit stays open across worker restarts. */
export interface BreakerStateStore {
  load(host: string): Promise<unknown | undefined>;
  save(host: string, state: unknown): Promise<void>;
}

/**
 * The IndexedDB store. The state is kept as JSON text, so `load` returns exactly what a JSON round
 * trip of the breaker's `toJSON()` gives (what cockatiel's `initialState` expects), whatever the
 * saved object's prototype was.
 */
export class IndexedDbBreakerStore implements BreakerStateStore {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  async load(host: string): Promise<unknown | undefined> {
    const row = await this.db.breakerState.get(host);
    return row ? (JSON.parse(row.state) as unknown) : undefined;
  }

  async save(host: string, state: unknown): Promise<void> {
    await this.db.breakerState.put({ host, state: JSON.stringify(state), updatedAt: this.now() });
  }

  /** Forgets a host's breaker (it starts closed again). */
  async clear(host: string): Promise<void> {
    await this.db.breakerState.delete(host);
  }
}
