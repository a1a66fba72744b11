/**
 * When an API key's rotation is due and when to remind the user: `rotatedAt + interval` is due, the
 * reminder starts `notifyBefore` earlier. Pure functions over epoch milliseconds.
 */
import { durationMs, type ApiKeyConfig } from './config';

export interface RotationSchedule {
  dueAt: number;
  remindAt: number;
}

/** Undefined when the config asks for no rotation (absent, or `enabled: false`). */
export function rotationSchedule(config: ApiKeyConfig, rotatedAt: number): RotationSchedule | undefined {
  const rotation = config.rotation;
  if (!rotation || !rotation.enabled) return undefined;
  const dueAt = rotatedAt + durationMs(rotation.interval)!;
  return { dueAt, remindAt: dueAt - durationMs(rotation.notifyBefore)! };
}

export type RotationState = 'ok' | 'dueSoon' | 'overdue' | 'notScheduled';

export function rotationState(schedule: RotationSchedule | undefined, now: number): RotationState {
  if (!schedule) return 'notScheduled';
  if (now >= schedule.dueAt) return 'overdue';
  return now >= schedule.remindAt ? 'dueSoon' : 'ok';
}

/** "Rotate the API key X by 28 Dec 2026" — a date the user reads, in UTC so tests are stable. */
export function reminderText(name: string, dueAt: number, now: number): string {
  const date = new Date(dueAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return now >= dueAt ? `The API key "${name}" was due for rotation on ${date}: rotate it now.` : `Rotate the API key "${name}" by ${date}.`;
}
