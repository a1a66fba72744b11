/** Display formatting for run history: times, durations, counts. */
import type { RunRow } from '../../storage/rows';
import { MISSING } from '../format';

/** 850 ms, 12.3 s, 3 min 05 s, 1 h 02 min. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return MISSING;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** How long a run took, or has been going (`now` for one still running). */
export function runDuration(run: Pick<RunRow, 'startedAt' | 'finishedAt' | 'createdAt'>, now = Date.now()): number | undefined {
  const start = run.startedAt ?? run.createdAt;
  if (run.startedAt === undefined && run.finishedAt === undefined) return undefined;
  return (run.finishedAt ?? now) - start;
}

/** "14:03:21" today, "3 Mar, 14:03" this year, "3 Mar 2024, 14:03" before. */
export function formatWhen(ms: number | undefined, now = Date.now()): string {
  if (ms === undefined || !Number.isFinite(ms)) return MISSING;
  const date = new Date(ms);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  const sameYear = date.getFullYear() === today.getFullYear();
  return date.toLocaleString(undefined, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), hour: '2-digit', minute: '2-digit' });
}

/** Full local date and time, for a title attribute. */
export function formatFullTime(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toLocaleString();
}

/** "just now", "4 min ago", "2 h ago", "3 d ago". */
export function formatAgo(ms: number | undefined, now = Date.now()): string {
  if (ms === undefined) return MISSING;
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');

export const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * Attempts a batch really made. A job claimed ahead of need is not charged an attempt when claimed
 * (see JobRow.claimedAhead), so its outcome's `attemptsMade` is the better figure when present.
 */
export function attemptsOf(attempts: number, details?: Record<string, unknown>): number {
  const made = details?.attemptsMade;
  return typeof made === 'number' && made > attempts ? made : attempts;
}
