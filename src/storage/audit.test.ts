import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { AuditLog, type NewAuditEntry } from './audit';
import { testClock, testDb } from './test-db.test-support';

const entry = (runId: string, attempt = 1): NewAuditEntry => ({
  runId, method: 'POST', host: 'api.example.com', path: '/v1/data', status: 201, durationMs: 12, attempt, outcome: 'success',
});

describe('AuditLog', () => {
  it('appends in order and lists by run', async () => {
    const audit = new AuditLog(await testDb(), testClock().now);
    const ids = [await audit.append(entry('a')), await audit.append(entry('b')), await audit.append(entry('a', 2))];
    expect(ids[0]! < ids[1]! && ids[1]! < ids[2]!).toBe(true);
    expect((await audit.listByRun('a')).map((e) => e.attempt)).toEqual([1, 2]);
  });

  it('is append-only: entries cannot be updated or overwritten, and appends leave earlier entries untouched', async () => {
    const db = await testDb();
    const audit = new AuditLog(db, testClock().now);
    const id = await audit.append(entry('a'));
    const before = await db.audit.get(id);
    await audit.append(entry('a', 2));
    expect(await db.audit.get(id)).toEqual(before);

    expect(isFerryError(await db.audit.update(id, { status: 200 }).catch((e: unknown) => e), 'AUDIT_APPEND_ONLY')).toBe(true);
    expect(isFerryError(await db.audit.put({ ...before!, outcome: 'rewritten' }).catch((e: unknown) => e), 'AUDIT_APPEND_ONLY')).toBe(true);
    expect(isFerryError(await db.audit.where('runId').equals('a').modify({ outcome: 'x' }).catch((e: unknown) => e), 'AUDIT_APPEND_ONLY')).toBe(true);
    expect(await db.audit.get(id)).toEqual(before);
    expect('update' in audit).toBe(false);
  });

  it('keeps no query string, fragment or user info, where secrets travel', async () => {
    const audit = new AuditLog(await testDb());
    await audit.append({ ...entry('a'), host: 'user:hunter2@api.example.com', path: '/v1/items?api_key=s3cret&page=2#frag' });
    expect(await audit.listByRun('a')).toMatchObject([{ host: 'api.example.com', path: '/v1/items' }]);
  });

  it('prunes entries older than the retention period', async () => {
    const clock = testClock(0);
    const audit = new AuditLog(await testDb(), clock.now);
    await audit.append(entry('a'));
    clock.advance(1_000);
    await audit.append(entry('a', 2));
    clock.advance(1_000);
    await audit.append(entry('a', 3));
    expect(await audit.prune(1_000)).toBe(1);
    expect((await audit.listByRun('a')).map((e) => e.attempt)).toEqual([2, 3]);
    expect(await audit.prune(1_000)).toBe(0);
  });
});
