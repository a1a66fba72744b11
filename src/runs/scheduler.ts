/**
 * Wake-ups for the run engine. A service worker's timers die with it, so the background schedules
 * the next drive with chrome.alarms, which wake a stopped worker (at most every 30 s). One alarm name
 * is enough: the engine always asks for the earliest time any run has work, so replacing the alarm
 * never postpones a wake-up that was needed.
 */
import type { DriveScheduler } from './types';

export const DRIVE_ALARM = 'ferry.runs.drive';
/** Chrome refuses alarms sooner than 30 s (it delays them); asking for that is honest about when it fires. */
export const MIN_ALARM_DELAY_MS = 30_000;

/** The part of `chrome.alarms` (or Firefox's `browser.alarms`) the scheduler uses. */
export interface AlarmsLike {
  create(name: string, info: { when: number }): unknown;
}

export function alarmScheduler(alarms: AlarmsLike, options: { name?: string; now?: () => number } = {}): DriveScheduler {
  const now = options.now ?? Date.now;
  return {
    schedule: async (atMs) => {
      await alarms.create(options.name ?? DRIVE_ALARM, { when: Math.max(atMs, now() + MIN_ALARM_DELAY_MS) });
    },
  };
}
