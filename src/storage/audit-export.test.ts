import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { AuditLog, type NewAuditEntry } from './audit';
import { exportAuditJsonl } from './audit-export';
import { DEFAULT_AUDIT_SETTINGS, readAuditSettings, retentionMs, writeAuditSettings } from './audit-settings';
import { testClock, testDb } from './test-db.test-support';

const DAY = 86_400_000;
const entry = (runId: string, at: number, extra: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  runId, at, method: 'POST', host: 'api.example.com', path: '/v1/data', status: 201, durationMs: 12, attempt: 1, outcome: 'success', ...extra,
});

describe('audit settings', () => {
  it('keeps 30 days and records no bodies by default', async () => {
    const db = await testDb();
    expect(await readAuditSettings(db)).toEqual({ retentionDays: 30, recordBodies: false });
    expect(DEFAULT_AUDIT_SETTINGS.recordBodies).toBe(false);
  });

  it('changes either setting and keeps the other; refuses a retention outside 1 to 3650 days', async () => {
    const db = await testDb();
    expect(await writeAuditSettings(db, { retentionDays: 7 })).toEqual({ retentionDays: 7, recordBodies: false });
    expect(await writeAuditSettings(db, { recordBodies: true })).toEqual({ retentionDays: 7, recordBodies: true });
    for (const retentionDays of [0, 1.5, 3651, Number.NaN]) {
      expect(isFerryError(await writeAuditSettings(db, { retentionDays }).catch((e: unknown) => e), 'AUDIT_SETTINGS_INVALID')).toBe(true);
    }
    expect(isFerryError(await writeAuditSettings(db, { recordBodies: 'yes' as unknown as boolean }).catch((e: unknown) => e), 'AUDIT_SETTINGS_INVALID')).toBe(true);
    expect(await readAuditSettings(db)).toEqual({ retentionDays: 7, recordBodies: true });
  });

  it('retention prunes exactly the entries older than the setting', async () => {
    const db = await testDb();
    const clock = testClock();
    const audit = new AuditLog(db, clock.now);
    const now = clock.now();
    await audit.appendAll([entry('old', now - 8 * DAY), entry('edge', now - 7 * DAY), entry('new', now - DAY)]);
    const settings = await writeAuditSettings(db, { retentionDays: 7 });
    expect(await audit.prune(retentionMs(settings))).toBe(1);
    expect((await db.audit.toArray()).map((e) => e.runId)).toEqual(['edge', 'new']);
  });
});

describe('audit export as JSON Lines', () => {
  async function seeded() {
    const db = await testDb();
    const audit = new AuditLog(db);
    await audit.appendAll([entry('r1', 3000), entry('r2', 1000, { operation: 'database', method: 'db.insert', host: 'sqlite:default', path: 'items' }), entry('r1', 2000, { status: 500, outcome: 'server_error' })]);
    await audit.append({ ...entry('', 4000), operation: 'apiKey.validate', credential: 'billing', method: 'GET', status: 200, outcome: 'valid' });
    return db;
  }

  it('exports every entry, oldest first, one JSON object per line with an ISO time', async () => {
    const db = await seeded();
    const { jsonl, count, fileName } = await exportAuditJsonl(db, {}, Date.UTC(2026, 10, 28));
    expect(count).toBe(4);
    expect(fileName).toBe('ferry-audit-2026-11-28T00-00-00-000Z.jsonl');
    expect(jsonl.endsWith('\n')).toBe(true);
    const lines = jsonl.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.at)).toEqual([1000, 2000, 3000, 4000]);
    expect(lines[0]).toMatchObject({ time: '1970-01-01T00:00:01.000Z', runId: 'r2', operation: 'database', method: 'db.insert', host: 'sqlite:default' });
    expect(lines[3]).toMatchObject({ operation: 'apiKey.validate', credential: 'billing', outcome: 'valid' });
  });

  it('exports one run\'s entries, or a time range (from inclusive, to exclusive)', async () => {
    const db = await seeded();
    const run = await exportAuditJsonl(db, { runId: 'r1' });
    expect(run.count).toBe(2);
    expect(run.fileName).toMatch(/^ferry-audit-r1-/);
    expect(run.jsonl.trimEnd().split('\n').map((l) => (JSON.parse(l) as { status: number }).status)).toEqual([500, 201]);
    const range = await exportAuditJsonl(db, { from: 2000, to: 4000 });
    expect(range.jsonl.trimEnd().split('\n').map((l) => (JSON.parse(l) as { at: number }).at)).toEqual([2000, 3000]);
    expect(await exportAuditJsonl(db, { runId: 'none' })).toMatchObject({ jsonl: '', count: 0 });
    expect(isFerryError(await exportAuditJsonl(db, { from: 5, to: 1 }).catch((e: unknown) => e), 'AUDIT_EXPORT_INVALID')).toBe(true);
  });
});
