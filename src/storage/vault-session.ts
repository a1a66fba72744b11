/**
 * Where an unlocked vault keeps its key between service worker starts, and how it schedules the
 * auto-lock. The background passes chrome.storage.session and chrome.alarms; tests pass fakes.
 */

/** The part of chrome.storage.session the lock uses. */
export interface SessionArea {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/** The unwrapped data key, raw bytes in base64, as kept in storage.session while unlocked. */
export interface SessionKey {
  keyId: string;
  raw: string;
}

export const SESSION_KEYS = {
  key: 'ferry.vault.key',
  lastUsedAt: 'ferry.vault.lastUsedAt',
  waiting: 'ferry.vault.waiting',
} as const;

export interface AutoLockScheduler {
  schedule(atMs: number): Promise<void> | void;
  clear(): Promise<void> | void;
}

export const AUTO_LOCK_ALARM = 'ferry.vault.autoLock';

export function alarmAutoLock(alarms: typeof chrome.alarms): AutoLockScheduler {
  return {
    schedule: async (atMs) => {
      // Alarms fire at most every 30 s; an auto-lock a few seconds late is still an auto-lock.
      await alarms.create(AUTO_LOCK_ALARM, { when: Math.max(atMs, Date.now() + 30_000) });
    },
    clear: async () => {
      await alarms.clear(AUTO_LOCK_ALARM);
    },
  };
}

/**
 * chrome.storage.session: kept in memory by the browser, never written to disk, emptied when the
 * browser closes or Ferry is reloaded or updated, and (at its default access level, which Ferry never
 * changes) readable only by Ferry's own pages and worker, not by content scripts.
 */
export function chromeSession(area: chrome.storage.StorageArea = chrome.storage.session): SessionArea {
  return {
    get: (keys) => area.get(keys),
    set: (items) => area.set(items),
    remove: (keys) => area.remove(keys),
  };
}

/** A session area in this context's memory only: for tests, and as the default. */
export function memorySession(): SessionArea {
  const items = new Map<string, unknown>();
  return {
    get: (keys) => Promise.resolve(Object.fromEntries(keys.filter((k) => items.has(k)).map((k) => [k, items.get(k)]))),
    set: (values) => {
      for (const [k, v] of Object.entries(values)) items.set(k, v);
      return Promise.resolve();
    },
    remove: (keys) => {
      for (const k of keys) items.delete(k);
      return Promise.resolve();
    },
  };
}
