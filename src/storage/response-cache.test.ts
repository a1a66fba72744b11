import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ResponseCache, responseCacheKey } from './response-cache';
import { testClock, testDb } from './test-db.test-support';

describe('ResponseCache', () => {
  it('keys by method, URL and body hash', async () => {
    const url = 'https://api.example.com/v1/items';
    const get = await responseCacheKey('get', url);
    expect(get).toMatch(/^GET https:\/\/api\.example\.com\/v1\/items [0-9a-f]{64}$/);
    expect(await responseCacheKey('GET', url, '')).toBe(get);
    expect(await responseCacheKey('POST', url, '{"a":1}')).not.toBe(await responseCacheKey('POST', url, '{"a":2}'));
    expect(await responseCacheKey('POST', url, new TextEncoder().encode('{"a":1}'))).toBe(await responseCacheKey('POST', url, '{"a":1}'));
    expect(await responseCacheKey('POST', url)).not.toBe(get);
  });

  it('serves an entry until its TTL ends, then only as stale, until pruned', async () => {
    const clock = testClock(0);
    const cache = new ResponseCache(await testDb(), clock.now);
    const key = await responseCacheKey('GET', 'https://api.example.com/v1/items');
    await cache.put({ key, url: 'https://api.example.com/v1/items', status: 200, headers: { 'content-type': 'application/json' }, body: '{"items":[]}' }, 1_000);
    clock.advance(999);
    expect(await cache.get(key)).toMatchObject({ status: 200, body: '{"items":[]}', storedAt: 0, expiresAt: 1_000 });
    clock.advance(1);
    expect(await cache.get(key)).toBeUndefined();
    expect(await cache.getStale(key)).toMatchObject({ fresh: false, entry: { body: '{"items":[]}' } });
    clock.advance(500);
    expect(await cache.prune(1_000)).toBe(0);
    expect(await cache.prune()).toBe(1);
    expect(await cache.getStale(key)).toBeUndefined();
  });

  it('stores binary bodies and drops session headers', async () => {
    const cache = new ResponseCache(await testDb());
    const body = new Uint8Array([0, 1, 2, 255]).buffer;
    await cache.put({ key: 'k', url: 'u', status: 200, headers: { 'Set-Cookie': 'sid=1', etag: '"x"' }, body }, 60_000);
    const row = (await cache.get('k'))!;
    expect(new Uint8Array(row.body as ArrayBuffer)).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(row.headers).toEqual({ etag: '"x"' });
  });
});
