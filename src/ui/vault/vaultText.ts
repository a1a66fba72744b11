/**
 * Plain words for the vault lock and OAuth connections, shared by the popup and the options page.
 * The background's own messages say what to do next; these add a short title and the numbers a
 * screen needs (how long an unlock must wait).
 */
import type { VaultStatus } from '../../storage/vault-lock';
import { errorMessage } from '../background';

export interface FailureInfo {
  code?: string;
  message: string;
  details?: Record<string, unknown>;
}

/** A FerryError's code, message and safe details as they cross the message boundary (`error.data`). */
export function failureInfo(error: unknown): FailureInfo {
  const data = typeof error === 'object' && error !== null ? (error as { data?: unknown }).data : undefined;
  const record = typeof data === 'object' && data !== null ? (data as { code?: unknown; details?: unknown }) : {};
  const local = typeof error === 'object' && error !== null ? (error as { code?: unknown; details?: unknown }) : {};
  const code = typeof record.code === 'string' ? record.code : typeof local.code === 'string' ? local.code : undefined;
  const details = [record.details, local.details].find((d): d is Record<string, unknown> => typeof d === 'object' && d !== null);
  return { ...(code ? { code } : {}), message: errorMessage(error), ...(details ? { details } : {}) };
}

/** 42 s, 2 min 5 s. */
export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

export interface UnlockProblem {
  title: string;
  detail?: string;
  /** Unlock attempts are refused until then (epoch ms). */
  blockedUntil?: number;
}

/** A refused `vault.unlock` in plain words; `now` is when the answer came. */
export function describeUnlockError(error: unknown, now: number): UnlockProblem {
  const { code, message, details } = failureInfo(error);
  const retryAfterMs = typeof details?.retryAfterMs === 'number' ? details.retryAfterMs : undefined;
  const blockedUntil = retryAfterMs !== undefined ? now + retryAfterMs : undefined;
  if (code === 'VAULT_PASSPHRASE_WRONG') {
    const attempts = typeof details?.failedAttempts === 'number' ? details.failedAttempts : undefined;
    return {
      title: 'That passphrase is not right',
      detail: `Ferry stays locked.${attempts && attempts > 1 ? ` ${attempts} wrong tries in a row.` : ''}${retryAfterMs ? ' After several wrong tries each new one has to wait a little longer.' : ''}`,
      ...(blockedUntil ? { blockedUntil } : {}),
    };
  }
  if (code === 'VAULT_UNLOCK_THROTTLED') {
    return { title: 'Too many wrong passphrases', detail: 'Ferry waits a little longer after each wrong try, to slow down guessing.', ...(blockedUntil ? { blockedUntil } : {}) };
  }
  if (code === 'VAULT_PASSPHRASE_REQUIRED') return { title: 'Enter Ferry’s passphrase' };
  if (code === 'VAULT_NO_PASSPHRASE') return { title: 'Ferry has no passphrase', detail: 'There is nothing to unlock.' };
  return { title: 'Could not unlock Ferry', detail: message };
}

export const AUTO_LOCK_CHOICES = [
  { minutes: 0, label: 'Never' },
  { minutes: 5, label: 'After 5 minutes' },
  { minutes: 15, label: 'After 15 minutes' },
  { minutes: 60, label: 'After 1 hour' },
  { minutes: 240, label: 'After 4 hours' },
  { minutes: 1440, label: 'After 1 day' },
] as const;

/** "15 minutes", "1 hour", "1 day", "90 minutes". */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

export function lockStateLabel(state: VaultStatus['state']): string {
  return state === 'no-passphrase' ? 'No passphrase' : state === 'locked' ? 'Locked' : 'Unlocked';
}
