import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FerryError } from '../errors/ferry-error';
import type { BreakerSnapshot } from './breaker';
import { BreakerRegistry, breakerHost } from './breaker-registry';
import { MemoryBreakerStateStore, type BreakerStateStore } from './breaker-state-store';
import { SEED_CIRCUIT_BREAKER } from './seed-blocks.fixture';

const START = Date.UTC(2026, 0, 1);
const HOST = 'api.example.com';
const block = { failureThreshold: 3, timeout: 1000, resetTimeout: 10000, fallbackAction: 'useCache' };
const respond = (status: number) => async () => ({ status });

/** A registry as a freshly started service worker would build it, over the same store. */
const startWorker = (store: BreakerStateStore, extra: Partial<ConstructorParameters<typeof BreakerRegistry>[0]> = {}) => new BreakerRegistry({ store, defaults: block, ...extra });

async function trip(registry: BreakerRegistry, times = 3) {
  for (let i = 0; i < times; i++) await registry.execute(HOST, respond(500));
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BreakerRegistry', () => {
  it('loads each host once, lazily, and keys URLs by host', async () => {
    const store = new MemoryBreakerStateStore();
    const load = vi.spyOn(store, 'load');
    const registry = startWorker(store);
    expect(load).not.toHaveBeenCalled();
    const [a, b, c] = await Promise.all([registry.get(HOST), registry.get('https://API.example.com/v1/records?x=1'), registry.get('API.EXAMPLE.COM')]);
    expect(a).toBe(b);
    expect(a).toBe(c);
    expect(load).toHaveBeenCalledTimes(1);
    expect(breakerHost('http://localhost:8080/graphql')).toBe('localhost:8080');
  });

  it('reports every transition and saves it', async () => {
    const store = new MemoryBreakerStateStore();
    const changes: BreakerSnapshot[] = [];
    const registry = startWorker(store, { onStateChange: (s) => changes.push(s) });
    await trip(registry);
    await registry.flush();
    expect(changes).toEqual([{ host: HOST, state: 'open', fallback: 'useCache', retryAt: START + 10000 }]);
    expect(store.states.get(HOST)).toMatchObject({ version: 1, kind: 'consecutive', policy: { ownState: { value: 1, openedAt: START, attemptNo: 1 } } });
    vi.advanceTimersByTime(10000);
    await registry.execute(HOST, respond(200));
    await registry.flush();
    expect(changes.map((c) => c.state)).toEqual(['open', 'halfOpen', 'closed']);
    expect(store.states.get(HOST)).toMatchObject({ policy: { ownState: { value: 0 }, breakerState: 0 } });
    expect(registry.snapshots()).toEqual([{ host: HOST, state: 'closed', fallback: 'useCache' }]);
  });

  it('a restarted worker finds an open circuit still open, until its resetTimeout', async () => {
    const store = new MemoryBreakerStateStore();
    const before = startWorker(store);
    await trip(before);
    await before.flush();
    vi.advanceTimersByTime(4000);

    const after = startWorker(store);
    const server = vi.fn(respond(200));
    await expect(after.execute(HOST, server)).resolves.toEqual({ allowed: false, host: HOST, state: 'open', fallback: 'useCache', retryAt: START + 10000 });
    expect(server).not.toHaveBeenCalled();
    expect(after.snapshots()).toEqual([{ host: HOST, state: 'open', fallback: 'useCache', retryAt: START + 10000 }]);

    vi.advanceTimersByTime(6000);
    await expect(after.execute(HOST, server)).resolves.toEqual({ allowed: true, value: { status: 200 } });
    expect(server).toHaveBeenCalledTimes(1);
    await after.flush();
    expect((await startWorker(store).get(HOST)).state).toBe('closed');
  });

  it('a probe cut off by the worker stopping lets the next worker probe at once', async () => {
    const store = new MemoryBreakerStateStore();
    const before = startWorker(store);
    await trip(before);
    vi.advanceTimersByTime(10000);
    void before.execute(HOST, () => new Promise(() => {})); // the worker stops during the probe
    await before.flush();
    expect((await before.get(HOST)).state).toBe('halfOpen');

    const after = startWorker(store);
    expect((await after.get(HOST)).state).toBe('open');
    await expect(after.execute(HOST, respond(200))).resolves.toMatchObject({ allowed: true });
    expect((await after.get(HOST)).state).toBe('closed');
  });

  it('failures before a restart still count toward the threshold', async () => {
    const store = new MemoryBreakerStateStore();
    const before = startWorker(store);
    await trip(before, 2);
    await before.flush();
    const after = startWorker(store);
    await trip(after, 1);
    expect((await after.get(HOST)).state).toBe('open');
  });

  it("keeps the seed's windowed streak across a restart", async () => {
    const store = new MemoryBreakerStateStore();
    const before = startWorker(store, { defaults: SEED_CIRCUIT_BREAKER });
    await trip(before, 4);
    await before.flush();
    const after = startWorker(store, { defaults: SEED_CIRCUIT_BREAKER });
    await trip(after, 1);
    expect((await after.get(HOST)).decide()).toMatchObject({ allowed: false, fallback: 'useCache', retryAt: START + 300000 });
  });

  it('keeps sampling windows across a restart', async () => {
    const sampling = { failureThreshold: 0.5, monitoringWindow: 10000 };
    const store = new MemoryBreakerStateStore();
    const before = startWorker(store, { defaults: sampling });
    await trip(before, 3);
    await before.flush();
    const after = startWorker(store, { defaults: sampling });
    await trip(after, 2); // 5 calls in the window, all failed
    expect((await after.get(HOST)).state).toBe('open');
  });

  it('a changed config rebuilds the breaker and keeps its state', async () => {
    const registry = startWorker(new MemoryBreakerStateStore());
    await trip(registry);
    const breaker = await registry.get(HOST, { ...block, fallbackAction: 'queue' });
    expect(breaker.decide()).toMatchObject({ allowed: false, state: 'open', fallback: 'queue' });
    expect(await registry.get(HOST)).toBe(breaker);
  });

  it('starts closed, and says so, when the saved state is unreadable', async () => {
    const store = new MemoryBreakerStateStore();
    const errors: FerryError[] = [];
    for (const junk of ['open', { version: 2 }, { version: 1, kind: 'consecutive', policy: { ownState: { value: 1, openedAt: 'yesterday', attemptNo: 1 } } }, { version: 1, policy: { ownState: { value: 3 } } }]) {
      store.states.set(HOST, junk);
      const registry = startWorker(store, { onError: (e) => errors.push(e) });
      expect((await registry.get(HOST)).state).toBe('closed');
    }
    expect(errors.map((e) => e.code)).toEqual(Array(4).fill('BREAKER_STATE_INVALID'));
  });

  it('keeps the circuit but resets counters written by another kind of breaker', async () => {
    const store = new MemoryBreakerStateStore();
    store.states.set(HOST, { version: 1, kind: 'sampling', policy: { ownState: { value: 1, openedAt: START, attemptNo: 1 }, breakerState: { windows: [] } } });
    const breaker = await startWorker(store).get(HOST);
    expect(breaker.restored).toBe('restored');
    expect(breaker.state).toBe('open');
  });

  it('reports a store that fails, and keeps working in memory', async () => {
    let failing = true;
    const saved: unknown[] = [];
    const store: BreakerStateStore = {
      load: async () => {
        throw new Error('IndexedDB is closed');
      },
      save: async (_host, state) => {
        if (failing) throw new Error('QuotaExceededError');
        saved.push(state);
      },
    };
    const errors: FerryError[] = [];
    const registry = startWorker(store, { onError: (e) => errors.push(e) });
    await trip(registry);
    await registry.flush();
    expect(errors[0]?.code).toBe('BREAKER_STATE_LOAD_FAILED');
    expect(errors.length).toBeGreaterThan(1);
    expect(errors.slice(1).every((e) => e.code === 'BREAKER_STATE_SAVE_FAILED' && e.details?.host === HOST)).toBe(true);
    expect((await registry.get(HOST)).state).toBe('open');
    failing = false;
    vi.advanceTimersByTime(10000);
    await registry.execute(HOST, respond(200));
    await registry.flush();
    expect(saved.at(-1)).toMatchObject({ policy: { ownState: { value: 0 } } });
  });

  it('writes a burst of changes once, and the latest state last', async () => {
    const store = new MemoryBreakerStateStore();
    const save = vi.spyOn(store, 'save');
    const registry = startWorker(store);
    await Promise.all([1, 2, 3].map(() => registry.execute(HOST, respond(500))));
    await registry.flush();
    expect(save.mock.calls.length).toBeLessThanOrEqual(2);
    expect(store.states.get(HOST)).toMatchObject({ policy: { ownState: { value: 1 } } });
  });

  it('writes nothing while a closed circuit only sees successes', async () => {
    const store = new MemoryBreakerStateStore();
    const save = vi.spyOn(store, 'save');
    const registry = startWorker(store);
    for (let i = 0; i < 5; i++) await registry.execute(HOST, respond(200));
    await registry.flush();
    expect(save).not.toHaveBeenCalled();
    await registry.execute(HOST, respond(500));
    await registry.flush();
    expect(save).toHaveBeenCalledTimes(1);
    expect(store.states.get(HOST)).toMatchObject({ policy: { ownState: { value: 0 }, breakerState: 1 } });
  });
});
