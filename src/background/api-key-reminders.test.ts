import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiKeys } from '../auth/api-keys';
import { FerryError } from '../errors/ferry-error';
import { createRepositories } from '../storage/repositories';
import { writeAuditSettings } from '../storage/audit-settings';
import { testClock, testDb } from '../storage/test-db.test-support';
import { DAILY_ALARM, dailyMaintenance, ensureDailyAlarm, REMIND_ALARM, showDueReminders, type MaintenanceApis } from './api-key-reminders';
import { badgeSlot, resetBadgeSlots } from './badge-slots';

const DAY = 86_400_000;
const SEED = { apiKeyConfig: { storage: 'encrypted', rotation: { enabled: true, interval: '30d', notifyBefore: '7d' }, validation: { testEndpoint: '/api/v1/validate', expectedResponse: { status: 'valid' } } } };

function fakeApis() {
  const alarms = new Map<string, chrome.alarms.AlarmCreateInfo>();
  const notifications: { id: string; message: string }[] = [];
  const apis: MaintenanceApis = {
    alarms: {
      get: vi.fn(async (name: string) => (alarms.has(name) ? { name, scheduledTime: 0 } : undefined)),
      create: vi.fn(async (name: string, info: chrome.alarms.AlarmCreateInfo) => void alarms.set(name, info)),
      clear: vi.fn(async (name: string) => alarms.delete(name)),
    } as unknown as typeof chrome.alarms,
    notifications: { create: vi.fn(async (id: string, options: { message: string }) => (notifications.push({ id, message: options.message }), id)) } as unknown as typeof chrome.notifications,
    iconUrl: () => 'icon.png',
  };
  return { apis, alarms, notifications };
}

async function setup(valid = true) {
  const clock = testClock(Date.UTC(2026, 10, 28, 12));
  const repos = createRepositories(await testDb(), { now: clock.now });
  const fetch = vi.fn(async () => new Response(JSON.stringify({ status: valid ? 'valid' : 'revoked' }), { status: 200 }));
  const apiKeys = new ApiKeys(repos.db, repos.vault, repos.audit, { now: clock.now, fetch: fetch as unknown as typeof globalThis.fetch });
  const target = { db: repos.db, apiKeys, audit: repos.audit, now: clock.now };
  return { clock, repos, apiKeys, target, fetch };
}

describe('API key reminders and the daily maintenance', () => {
  beforeEach(() => resetBadgeSlots());

  it('arms a reminder alarm at due-minus-notifyBefore; then one notification and the KEY badge until the key is rotated', async () => {
    const { clock, apiKeys, target } = await setup();
    const { apis, alarms, notifications } = fakeApis();
    const saved = await apiKeys.save({ name: 'billing', value: 'k'.repeat(20), baseUrl: 'https://api.example.com', apiKeyConfig: SEED });
    await showDueReminders(target, apis);
    expect(alarms.get(REMIND_ALARM)).toEqual({ when: saved.remindAt });
    expect(notifications).toEqual([]);
    expect(badgeSlot('apiKey')).toBeUndefined();

    clock.set(saved.remindAt!);
    await showDueReminders(target, apis);
    expect(notifications).toEqual([{ id: 'ferry.apiKey.billing', message: 'Rotate the API key "billing" by 28 Dec 2026.' }]);
    expect(badgeSlot('apiKey')).toMatchObject({ text: 'KEY', title: expect.stringContaining('"billing"') });
    expect(alarms.has(REMIND_ALARM)).toBe(false);

    clock.advance(DAY);
    await showDueReminders(target, apis); // shown once per period; the badge stays
    expect(notifications).toHaveLength(1);
    expect(badgeSlot('apiKey')).toBeDefined();

    await apiKeys.rotate('billing', 'n'.repeat(20));
    await showDueReminders(target, apis);
    expect(badgeSlot('apiKey')).toBeUndefined();
    expect(alarms.get(REMIND_ALARM)).toEqual({ when: clock.now() + 23 * DAY });
  });

  it('the daily alarm is created once; the sweep validates stale keys, reminds, and prunes the audit log by its retention', async () => {
    const { clock, repos, apiKeys, target, fetch } = await setup();
    const { apis, alarms } = fakeApis();
    await ensureDailyAlarm(apis.alarms);
    await ensureDailyAlarm(apis.alarms);
    expect(apis.alarms.create).toHaveBeenCalledTimes(1);
    expect(alarms.get(DAILY_ALARM)).toEqual({ delayInMinutes: 1, periodInMinutes: 1440 });

    await apiKeys.save({ name: 'billing', value: 'k'.repeat(20), baseUrl: 'https://api.example.com', apiKeyConfig: SEED });
    await repos.audit.append({ runId: 'old', at: clock.now() - 40 * DAY, method: 'POST', host: 'h', path: '/', durationMs: 1, attempt: 1, outcome: 'success' });
    await writeAuditSettings(repos.db, { retentionDays: 30 });
    clock.advance(DAY);
    await dailyMaintenance(target, apis);
    expect(fetch).toHaveBeenCalledTimes(2); // on save, then the daily check
    expect((await repos.db.audit.toArray()).map((a) => a.runId)).toEqual(['', '']);
    expect((await apiKeys.list())[0]!.lastValidation).toMatchObject({ at: clock.now(), ok: true });
  });

  it('a locked vault skips the scheduled validation without failing the sweep; other failures are reported', async () => {
    const { apiKeys, target, repos, clock, fetch } = await setup();
    const { apis } = fakeApis();
    await apiKeys.save({ name: 'billing', value: 'k'.repeat(20), baseUrl: 'https://api.example.com', apiKeyConfig: SEED });
    clock.advance(2 * DAY);
    const resolve = vi.spyOn(repos.vault, 'resolveCredential').mockRejectedValue(new FerryError('VAULT_LOCKED', 'locked'));
    await expect(dailyMaintenance(target, apis)).resolves.toBeUndefined();
    expect(fetch).toHaveBeenCalledTimes(1);
    const broken = new Error('disk');
    resolve.mockRejectedValue(broken);
    await expect(dailyMaintenance(target, apis)).rejects.toBe(broken);
  });
});
