import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ResultStore } from './results';
import { testDb } from './test-db.test-support';

describe('ResultStore', () => {
  it('puts under a key, replaces, lists by prefix and deletes', async () => {
    const results = new ResultStore(await testDb(), () => 7);
    await results.put('user_1', { name: 'Ada' });
    await results.put('user_2', { name: 'Bob' });
    await results.put('order_1', { total: 3 });
    await results.put('user_1', { name: 'Ada L.' });
    expect(await results.get('user_1')).toEqual({ key: 'user_1', value: { name: 'Ada L.' }, storedAt: 7 });
    expect((await results.list('user_')).map((r) => r.key)).toEqual(['user_1', 'user_2']);
    expect(await results.list()).toHaveLength(3);
    await results.delete('order_1');
    expect(await results.get('order_1')).toBeUndefined();
  });
});
