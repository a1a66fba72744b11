/**
 * Where breaker state lives between service-worker lifetimes, one entry per host. The storage layer
 * implements it with IndexedDB; values are plain JSON-compatible data.
 */
export interface BreakerStateStore {
  load(host: string): Promise<unknown | undefined>;
  save(host: string, state: unknown): Promise<void>;
}

/** For tests: clones on the way in and out, as IndexedDB does, so no live object is shared. */
export class MemoryBreakerStateStore implements BreakerStateStore {
  readonly states = new Map<string, unknown>();

  async load(host: string): Promise<unknown | undefined> {
    const state = this.states.get(host);
    return state === undefined ? undefined : structuredClone(state);
  }

  async save(host: string, state: unknown): Promise<void> {
    this.states.set(host, structuredClone(state));
  }
}
