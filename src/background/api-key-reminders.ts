/**
 * API keys' reminders and scheduled validation, and the audit log's retention, on chrome.alarms:
 * - `ferry.maintenance.daily` (every 24 h): validates each key whose last validation is a day old,
 *   shows the reminders that are due, and prunes audit entries past the retention period;
 * - `ferry.apiKeys.remind` (once, at the next key's due-minus-notifyBefore): shows that reminder on
 *   time rather than at the next daily sweep.
 * A reminder is a notification ("Rotate the API key X by <date>"), shown once per rotation period,
 * and an amber KEY badge that stays while any key is due soon or overdue (badge-slots.ts).
 */
import { reminderText, type ApiKeys } from '../auth/api-keys';
import { isFerryError } from '../errors/ferry-error';
import type { AuditLog } from '../storage/audit';
import { readAuditSettings, retentionMs } from '../storage/audit-settings';
import type { FerryDB } from '../storage/db';
import { setBadgeSlot } from './badge-slots';

export const DAILY_ALARM = 'ferry.maintenance.daily';
export const REMIND_ALARM = 'ferry.apiKeys.remind';
const DAY_MINUTES = 24 * 60;
const DAY_MS = 86_400_000;
const AMBER = '#d97706';

export interface MaintenanceApis {
  alarms: typeof chrome.alarms;
  notifications?: typeof chrome.notifications;
  action?: typeof chrome.action;
  iconUrl?: () => string;
}

export interface MaintenanceTarget {
  db: FerryDB;
  apiKeys: ApiKeys;
  audit: AuditLog;
  now?: () => number;
}

/** Creates the daily alarm unless it exists (alarms survive worker restarts, not always browser restarts). */
export async function ensureDailyAlarm(alarms: typeof chrome.alarms): Promise<void> {
  if (!(await alarms.get(DAILY_ALARM))) await alarms.create(DAILY_ALARM, { delayInMinutes: 1, periodInMinutes: DAY_MINUTES });
}

/** The daily sweep: scheduled validation, reminders, audit retention. Each part runs even if another fails. */
export async function dailyMaintenance(target: MaintenanceTarget, apis: MaintenanceApis): Promise<void> {
  const problems: unknown[] = [];
  await target.apiKeys.validateStale(DAY_MS - 60_000).catch((error: unknown) => {
    // A locked vault: the keys are validated at the next sweep after an unlock.
    if (!isFerryError(error, 'VAULT_LOCKED')) problems.push(error);
  });
  await showDueReminders(target, apis).catch((error: unknown) => problems.push(error));
  await pruneAudit(target).catch((error: unknown) => problems.push(error));
  if (problems.length > 0) throw problems[0];
}

/** Deletes audit entries older than the retention setting; returns how many went. */
export async function pruneAudit(target: Pick<MaintenanceTarget, 'db' | 'audit'>): Promise<number> {
  return target.audit.prune(retentionMs(await readAuditSettings(target.db)));
}

/** Notifies each key whose reminder is due (once per period), sets the KEY badge, re-arms the reminder alarm. */
export async function showDueReminders(target: MaintenanceTarget, apis: MaintenanceApis): Promise<void> {
  const now = (target.now ?? Date.now)();
  for (const { name, dueAt } of await target.apiKeys.remindersDue()) {
    if (apis.notifications) {
      await apis.notifications.create(`ferry.apiKey.${name}`, {
        type: 'basic', iconUrl: apis.iconUrl?.() ?? chrome.runtime.getURL('icon/128.png'), title: 'Ferry: API key rotation', message: reminderText(name, dueAt, now),
      });
    }
    await target.apiKeys.markReminded(name, dueAt);
  }
  await refreshKeyBadge(target.apiKeys, apis.action);
  const next = await target.apiKeys.nextReminderAt();
  if (next === undefined) await apis.alarms.clear(REMIND_ALARM);
  else await apis.alarms.create(REMIND_ALARM, { when: Math.max(next, now + 30_000) });
}

/** KEY while any key is due soon or overdue; cleared otherwise. */
export async function refreshKeyBadge(apiKeys: ApiKeys, action?: typeof chrome.action): Promise<void> {
  const due = (await apiKeys.list()).filter((key) => key.state === 'dueSoon' || key.state === 'overdue');
  const first = due[0];
  setBadgeSlot('apiKey', first ? {
    text: 'KEY', color: AMBER,
    title: due.length === 1 ? `Ferry: rotate the API key "${first.name}" (Options → API keys).` : `Ferry: ${due.length} API keys are due for rotation (Options → API keys).`,
  } : undefined, action);
}
