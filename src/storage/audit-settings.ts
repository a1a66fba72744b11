/**
 * The audit log's settings, in the `settings` table: how long entries are kept (30 days by default;
 * a daily alarm prunes older ones) and whether request bodies are recorded (off by default: a body
 * is the user's data; when on, it is stored scrubbed of the call's credential values).
 */
import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';

export interface AuditSettings {
  retentionDays: number;
  recordBodies: boolean;
}

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = { retentionDays: 30, recordBodies: false };
export const MAX_RETENTION_DAYS = 3650;
const DAY_MS = 86_400_000;

const KEYS = { retentionDays: 'audit.retentionDays', recordBodies: 'audit.recordBodies' } as const;

export async function readAuditSettings(db: FerryDB): Promise<AuditSettings> {
  const [retention, bodies] = await db.settings.bulkGet([KEYS.retentionDays, KEYS.recordBodies]);
  return {
    retentionDays: typeof retention?.value === 'number' ? retention.value : DEFAULT_AUDIT_SETTINGS.retentionDays,
    recordBodies: bodies?.value === true,
  };
}

/** Changes either setting; FerryError AUDIT_SETTINGS_INVALID for a retention outside 1 to 3650 days. */
export async function writeAuditSettings(db: FerryDB, change: Partial<AuditSettings>, now = Date.now()): Promise<AuditSettings> {
  const rows = [];
  if (change.retentionDays !== undefined) {
    const days = change.retentionDays;
    if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
      throw new FerryError('AUDIT_SETTINGS_INVALID', `Keep audit entries for a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`, { retentionDays: days });
    }
    rows.push({ key: KEYS.retentionDays, value: days, updatedAt: now });
  }
  if (change.recordBodies !== undefined) {
    if (typeof change.recordBodies !== 'boolean') throw new FerryError('AUDIT_SETTINGS_INVALID', 'Recording payload bodies is on (true) or off (false).');
    rows.push({ key: KEYS.recordBodies, value: change.recordBodies, updatedAt: now });
  }
  if (rows.length > 0) await db.settings.bulkPut(rows);
  return readAuditSettings(db);
}

export function retentionMs(settings: AuditSettings): number {
  return settings.retentionDays * DAY_MS;
}
