import 'fake-indexeddb/auto';
import { ConsecutiveBreaker, CircuitState, circuitBreaker, handleAll } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { IndexedDbBreakerStore } from './breaker-store';
import { testDb } from './test-db.test-support';

describe('IndexedDbBreakerStore', () => {
  it("keeps a cockatiel breaker's open state across a restart", async () => {
    const db = await testDb();
    const policy = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(2) });
    for (let i = 0; i < 2; i++) await policy.execute(() => Promise.reject(new Error('500'))).catch(() => undefined);
    expect(policy.state).toBe(CircuitState.Open);
    await new IndexedDbBreakerStore(db).save('api.example.com', policy.toJSON());

    const restored = await new IndexedDbBreakerStore(db).load('api.example.com');
    const revived = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(2), initialState: restored });
    expect(revived.state).toBe(CircuitState.Open);
  });

  it('loads undefined for an unknown host and forgets a cleared one', async () => {
    const store = new IndexedDbBreakerStore(await testDb());
    expect(await store.load('nowhere.example')).toBeUndefined();
    await store.save('h', { state: 1 });
    await store.clear('h');
    expect(await store.load('h')).toBeUndefined();
  });
});
