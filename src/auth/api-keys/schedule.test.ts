import { describe, expect, it } from 'vitest';
import { parseApiKeyConfig } from './config';
import { reminderText, rotationSchedule, rotationState } from './schedule';

const DAY = 86_400_000;
const ROTATED = Date.UTC(2026, 10, 28, 12); // 28 Nov 2026

describe('rotation due dates', () => {
  const config = parseApiKeyConfig({ rotation: { enabled: true, interval: '30d', notifyBefore: '7d' } });

  it('is due an interval after the last rotation; the reminder starts notifyBefore earlier', () => {
    expect(rotationSchedule(config, ROTATED)).toEqual({ dueAt: ROTATED + 30 * DAY, remindAt: ROTATED + 23 * DAY });
  });

  it('moves through ok, due soon and overdue', () => {
    const schedule = rotationSchedule(config, ROTATED)!;
    expect(rotationState(schedule, ROTATED)).toBe('ok');
    expect(rotationState(schedule, schedule.remindAt - 1)).toBe('ok');
    expect(rotationState(schedule, schedule.remindAt)).toBe('dueSoon');
    expect(rotationState(schedule, schedule.dueAt - 1)).toBe('dueSoon');
    expect(rotationState(schedule, schedule.dueAt)).toBe('overdue');
  });

  it('has no schedule when rotation is off or absent', () => {
    expect(rotationSchedule(parseApiKeyConfig({ rotation: { enabled: false, interval: '30d', notifyBefore: '7d' } }), ROTATED)).toBeUndefined();
    expect(rotationSchedule(parseApiKeyConfig({}), ROTATED)).toBeUndefined();
    expect(rotationState(undefined, ROTATED)).toBe('notScheduled');
  });

  it('says by when to rotate, and that it is late once it is', () => {
    const dueAt = ROTATED + 30 * DAY;
    expect(reminderText('billing', dueAt, ROTATED + 23 * DAY)).toBe('Rotate the API key "billing" by 28 Dec 2026.');
    expect(reminderText('billing', dueAt, dueAt + 1)).toBe('The API key "billing" was due for rotation on 28 Dec 2026: rotate it now.');
  });
});
