import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import type { VaultLockRow, VaultSettingsRow } from './rows';
import { exportRawKey, importRawKey, PBKDF2_ITERATIONS, unwrapDataKey, wrapDataKey } from './vault-crypto';
import { turnLockOn } from './vault-rekey';
import { DATA_KEY_ID, StoredDataKeyProvider, vaultLocked, type VaultDataKey, type VaultKeyProvider } from './vault-keys';
import { memorySession, SESSION_KEYS, type AutoLockScheduler, type SessionArea, type SessionKey } from './vault-session';

export type VaultLockState = 'no-passphrase' | 'locked' | 'unlocked';

/** What pages may know about the lock. */
export interface VaultStatus {
  state: VaultLockState;
  /** Lock after this many minutes without use; 0: never. */
  autoLockMinutes: number;
  /** When the vault locks itself unless it is used before (unlocked with auto-lock on). */
  autoLockAt?: number;
  /** A run needed a credential while the vault was locked and is waiting: "unlock Ferry". */
  waiting: boolean;
  /** Wrong passphrases in a row. */
  failedAttempts: number;
  /** Unlock attempts are refused until then (after repeated wrong passphrases). */
  unlockBlockedUntil?: number;
}

export type VaultLockEvent = 'unlocked' | 'locked' | 'waiting';

export interface VaultLockOptions {
  now?: () => number;
  /** Where the unwrapped key is kept for the browser session; default: memory only (tests). */
  session?: SessionArea;
  scheduler?: AutoLockScheduler;
}

export const MIN_PASSPHRASE_LENGTH = 8;
const MAX_PASSPHRASE_LENGTH = 1024;
export const MAX_AUTO_LOCK_MINUTES = 7 * 24 * 60;
/** Wrong passphrases allowed before each further attempt waits 1 s, 2 s, 4 s ... up to 5 minutes. */
export const FREE_ATTEMPTS = 5;
const MAX_BLOCK_MS = 5 * 60_000;
/** lastUsedAt is written to the session (and the auto-lock alarm moved) at most this often. */
const TOUCH_PERSIST_MS = 30_000;

/**
 * The vault's key provider with an optional passphrase lock. Without a passphrase it hands out the
 * stored non-extractable key (StoredDataKeyProvider). Setting a passphrase generates a new data key,
 * re-encrypts every credential under it once, stores it only wrapped (vault-crypto.ts) and deletes
 * the old key; changing the passphrase re-wraps the same key, so no credential is touched. While
 * unlocked, the key is held in memory as a non-extractable CryptoKey and its raw bytes in
 * storage.session (memory only, this browser session, Ferry's own contexts), so a service worker
 * restart does not lock the vault; `lock()`, the auto-lock and closing the browser forget it.
 */
export class VaultLock implements VaultKeyProvider {
  private readonly now: () => number;
  private readonly session: SessionArea;
  private readonly scheduler: AutoLockScheduler | undefined;
  private stored: StoredDataKeyProvider;
  private unlocked: VaultDataKey | undefined;
  private lastUsedAt: number | undefined;
  private lastPersistedAt = 0;
  private waiting = false;
  private lockRowCache: Promise<VaultLockRow | undefined> | undefined;
  private settingsCache: Promise<VaultSettingsRow | undefined> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(event: VaultLockEvent) => void>();

  constructor(private readonly db: FerryDB, options: VaultLockOptions = {}) {
    this.now = options.now ?? Date.now;
    this.session = options.session ?? memorySession();
    this.scheduler = options.scheduler;
    this.stored = new StoredDataKeyProvider(db, this.now);
  }

  /** Called on unlock (the background kicks waiting runs), lock, and the first locked use. */
  onChange(listener: (event: VaultLockEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async dataKey(): Promise<VaultDataKey> {
    const lock = await this.lockRow();
    if (!lock) return this.stored.dataKey();
    const minutes = await this.autoLockMinutes();
    if (this.unlocked?.id === lock.keyId && !idleExpired(this.lastUsedAt, minutes, this.now())) {
      await this.touch(minutes);
      return this.unlocked;
    }
    this.unlocked = undefined;
    const saved = await this.session.get([SESSION_KEYS.key, SESSION_KEYS.lastUsedAt]);
    const key = saved[SESSION_KEYS.key] as SessionKey | undefined;
    const savedLastUse = saved[SESSION_KEYS.lastUsedAt];
    const lastUsedAt = typeof savedLastUse === 'number' ? savedLastUse : undefined;
    if (key?.keyId === lock.keyId && !idleExpired(lastUsedAt, minutes, this.now())) {
      this.unlocked = { id: lock.keyId, key: await importRawKey(key.raw) };
      this.lastUsedAt = lastUsedAt;
      await this.touch(minutes);
      return this.unlocked;
    }
    if (key) await this.forget(); // idle past the auto-lock while no alarm could fire, or a stale key
    await this.markWaiting();
    throw vaultLocked();
  }

  async status(): Promise<VaultStatus> {
    const lock = await this.lockRow();
    const autoLockMinutes = await this.autoLockMinutes();
    const waiting = this.waiting || (await this.session.get([SESSION_KEYS.waiting]))[SESSION_KEYS.waiting] === true;
    if (!lock) return { state: 'no-passphrase', autoLockMinutes, waiting: false, failedAttempts: 0 };
    const throttle = {
      failedAttempts: lock.failedAttempts,
      ...(lock.blockedUntil !== undefined && lock.blockedUntil > this.now() ? { unlockBlockedUntil: lock.blockedUntil } : {}),
    };
    const unlocked = await this.isUnlocked(lock, autoLockMinutes);
    if (!unlocked) return { state: 'locked', autoLockMinutes, waiting, ...throttle };
    const saved = (await this.session.get([SESSION_KEYS.lastUsedAt]))[SESSION_KEYS.lastUsedAt];
    const last = this.lastUsedAt ?? (typeof saved === 'number' ? saved : this.now());
    return { state: 'unlocked', autoLockMinutes, waiting: false, ...(autoLockMinutes > 0 ? { autoLockAt: last + autoLockMinutes * 60_000 } : {}), ...throttle };
  }

  /** Sets the first passphrase, or changes it (`current` required then). Leaves the vault unlocked. */
  async setPassphrase(passphrase: string, current?: string): Promise<VaultStatus> {
    validatePassphrase(passphrase);
    return this.exclusive(async () => {
      const lock = await this.lockRow();
      if (lock) await this.changePassphrase(lock, passphrase, current);
      else await this.enableLock(passphrase);
      return this.status();
    });
  }

  unlock(passphrase: string): Promise<VaultStatus> {
    return this.exclusive(async () => {
      const lock = await this.requireLock();
      const key = await this.unwrapChecked(lock, passphrase, true);
      await this.becomeUnlocked(lock.keyId, key);
      return this.status();
    });
  }

  lock(): Promise<VaultStatus> {
    return this.exclusive(async () => {
      await this.requireLock();
      await this.forget();
      this.emit('locked');
      return this.status();
    });
  }

  /** Turns the lock off: the data key goes back into IndexedDB, non-extractable. No value is re-encrypted. */
  removePassphrase(current: string): Promise<VaultStatus> {
    return this.exclusive(async () => {
      const lock = await this.requireLock();
      const key = await this.unwrapChecked(lock, current, false);
      const at = this.now();
      await this.db.transaction('rw', this.db.keys, this.db.credentials, this.db.vaultState, async () => {
        await this.db.keys.put({ id: DATA_KEY_ID, key, createdAt: at });
        // Only the label changes: the key (and so each ciphertext) is the same.
        await this.db.credentials.toCollection().modify((row) => {
          if (row.keyId === lock.keyId) row.keyId = DATA_KEY_ID;
        });
        await this.db.vaultState.delete('lock');
      });
      this.resetCaches();
      await this.forget();
      this.emit('unlocked');
      return this.status();
    });
  }

  async setAutoLock(minutes: number): Promise<VaultStatus> {
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_AUTO_LOCK_MINUTES) {
      throw new FerryError('VAULT_AUTOLOCK_INVALID', `Auto-lock takes whole minutes from 1 to ${MAX_AUTO_LOCK_MINUTES} (a week), or 0 for never.`, { minutes });
    }
    await this.db.vaultState.put({ id: 'settings', autoLockMinutes: minutes, updatedAt: this.now() });
    this.settingsCache = undefined;
    if (this.unlocked) {
      this.lastPersistedAt = 0;
      await this.touch(minutes);
      if (minutes === 0) await this.scheduler?.clear();
    }
    return this.status();
  }

  /** The auto-lock alarm: locks when the vault has not been used for the set time, else re-arms. */
  async onAutoLockAlarm(): Promise<void> {
    const lock = await this.lockRow();
    const minutes = await this.autoLockMinutes();
    if (!lock || minutes === 0) return;
    const saved = (await this.session.get([SESSION_KEYS.lastUsedAt]))[SESSION_KEYS.lastUsedAt];
    const last = Math.max(this.lastUsedAt ?? 0, typeof saved === 'number' ? saved : 0);
    if (last === 0) return; // locked already
    if (idleExpired(last, minutes, this.now())) {
      await this.exclusive(async () => {
        await this.forget();
        this.emit('locked');
      });
    } else {
      await this.scheduler?.schedule(last + minutes * 60_000);
    }
  }

  private async enableLock(passphrase: string): Promise<void> {
    const { keyId, key } = await turnLockOn(this.db, passphrase, this.now);
    this.resetCaches();
    await this.becomeUnlocked(keyId, key);
  }

  private async changePassphrase(lock: VaultLockRow, passphrase: string, current: string | undefined): Promise<void> {
    if (typeof current !== 'string' || current.length === 0) {
      throw new FerryError('VAULT_PASSPHRASE_REQUIRED', 'Ferry already has a passphrase: give the current one to change it.');
    }
    const key = await this.unwrapChecked(lock, current, true);
    const wrapped = await wrapDataKey(key, lock.keyId, passphrase, PBKDF2_ITERATIONS);
    const { blockedUntil: _blocked, ...rest } = lock;
    await this.db.vaultState.put({ ...rest, ...wrapped, failedAttempts: 0, updatedAt: this.now() });
    this.lockRowCache = undefined;
    await this.becomeUnlocked(lock.keyId, key);
  }

  /** Unwraps with the passphrase, counting wrong ones and refusing attempts while throttled. */
  private async unwrapChecked(lock: VaultLockRow, passphrase: string, extractable: boolean): Promise<CryptoKey> {
    if (typeof passphrase !== 'string' || passphrase.length === 0) {
      throw new FerryError('VAULT_PASSPHRASE_REQUIRED', 'Enter Ferry\'s passphrase.');
    }
    const at = this.now();
    if (lock.blockedUntil !== undefined && lock.blockedUntil > at) {
      const retryAfterMs = lock.blockedUntil - at;
      throw new FerryError('VAULT_UNLOCK_THROTTLED', `Too many wrong passphrases. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`, { retryAfterMs, failedAttempts: lock.failedAttempts });
    }
    try {
      const key = await unwrapDataKey(lock, lock.keyId, passphrase, extractable);
      if (lock.failedAttempts > 0 || lock.blockedUntil !== undefined) {
        const { blockedUntil: _blocked, ...rest } = lock;
        await this.db.vaultState.put({ ...rest, failedAttempts: 0 });
        this.lockRowCache = undefined;
      }
      return key;
    } catch {
      const failedAttempts = lock.failedAttempts + 1;
      const waitMs = failedAttempts >= FREE_ATTEMPTS ? Math.min(1000 * 2 ** (failedAttempts - FREE_ATTEMPTS), MAX_BLOCK_MS) : 0;
      const updated: VaultLockRow = { ...lock, failedAttempts, ...(waitMs > 0 ? { blockedUntil: this.now() + waitMs } : {}) };
      await this.db.vaultState.put(updated);
      this.lockRowCache = undefined;
      const then = waitMs > 0 ? ` Wait ${Math.ceil(waitMs / 1000)} s before the next try.` : '';
      throw new FerryError('VAULT_PASSPHRASE_WRONG', `That is not Ferry's passphrase; the vault stays locked.${then}`, { failedAttempts, ...(waitMs > 0 ? { retryAfterMs: waitMs } : {}) });
    }
  }

  private async becomeUnlocked(keyId: string, extractableKey: CryptoKey): Promise<void> {
    const raw = await exportRawKey(extractableKey);
    const at = this.now();
    await this.session.set({ [SESSION_KEYS.key]: { keyId, raw } satisfies SessionKey, [SESSION_KEYS.lastUsedAt]: at });
    await this.session.remove([SESSION_KEYS.waiting]);
    this.unlocked = { id: keyId, key: await importRawKey(raw) };
    this.lastUsedAt = at;
    this.lastPersistedAt = at;
    this.waiting = false;
    const minutes = await this.autoLockMinutes();
    if (minutes > 0) await this.scheduler?.schedule(at + minutes * 60_000);
    this.emit('unlocked');
  }

  /** Marks use: pushes the auto-lock back (persisted and re-armed at most every 30 s). */
  private async touch(minutes: number): Promise<void> {
    const at = this.now();
    this.lastUsedAt = at;
    if (at - this.lastPersistedAt < TOUCH_PERSIST_MS) return;
    this.lastPersistedAt = at;
    await this.session.set({ [SESSION_KEYS.lastUsedAt]: at });
    if (minutes > 0) await this.scheduler?.schedule(at + minutes * 60_000);
  }

  private async forget(): Promise<void> {
    this.unlocked = undefined;
    this.lastUsedAt = undefined;
    this.lastPersistedAt = 0;
    await this.session.remove([SESSION_KEYS.key, SESSION_KEYS.lastUsedAt]);
    await this.scheduler?.clear();
  }

  private async markWaiting(): Promise<void> {
    if (this.waiting) return;
    this.waiting = true;
    await this.session.set({ [SESSION_KEYS.waiting]: true });
    this.emit('waiting');
  }

  private async isUnlocked(lock: VaultLockRow, minutes: number): Promise<boolean> {
    if (this.unlocked?.id === lock.keyId) return !idleExpired(this.lastUsedAt, minutes, this.now());
    const saved = await this.session.get([SESSION_KEYS.key, SESSION_KEYS.lastUsedAt]);
    const lastUsedAt = saved[SESSION_KEYS.lastUsedAt];
    return (saved[SESSION_KEYS.key] as SessionKey | undefined)?.keyId === lock.keyId && !idleExpired(typeof lastUsedAt === 'number' ? lastUsedAt : undefined, minutes, this.now());
  }

  private async requireLock(): Promise<VaultLockRow> {
    const lock = await this.lockRow();
    if (!lock) throw new FerryError('VAULT_NO_PASSPHRASE', 'Ferry has no passphrase yet. Set one in Ferry\'s options → Credentials (the Lock card) to lock the vault.');
    return lock;
  }

  private lockRow(): Promise<VaultLockRow | undefined> {
    this.lockRowCache ??= this.db.vaultState.get('lock').then((row) => row as VaultLockRow | undefined);
    return this.lockRowCache.catch((error: unknown) => {
      this.lockRowCache = undefined;
      throw error;
    });
  }

  private async autoLockMinutes(): Promise<number> {
    this.settingsCache ??= this.db.vaultState.get('settings').then((row) => row as VaultSettingsRow | undefined);
    try {
      return (await this.settingsCache)?.autoLockMinutes ?? 0;
    } catch (error) {
      this.settingsCache = undefined;
      throw error;
    }
  }

  private resetCaches(): void {
    this.lockRowCache = undefined;
    this.settingsCache = undefined;
    this.stored = new StoredDataKeyProvider(this.db, this.now);
  }

  /** One lock operation at a time: two unlocks in parallel must not both skip the throttle. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private emit(event: VaultLockEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the lock's state is already settled.
      }
    }
  }
}

function validatePassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || Array.from(passphrase).length < MIN_PASSPHRASE_LENGTH) {
    throw new FerryError('VAULT_PASSPHRASE_TOO_SHORT', `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are easy to remember and hard to guess.`);
  }
  if (passphrase.length > MAX_PASSPHRASE_LENGTH) {
    throw new FerryError('VAULT_PASSPHRASE_TOO_LONG', `A passphrase can have at most ${MAX_PASSPHRASE_LENGTH} characters.`);
  }
}

function idleExpired(lastUsedAt: number | undefined, minutes: number, now: number): boolean {
  return minutes > 0 && lastUsedAt !== undefined && now - lastUsedAt >= minutes * 60_000;
}
