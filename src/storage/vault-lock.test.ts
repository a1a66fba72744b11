import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import type { VaultLockRow } from './rows';
import { testClock, testDb } from './test-db.test-support';
import { Vault } from './vault';
import { PBKDF2_ITERATIONS, fromBase64 } from './vault-crypto';
import { DATA_KEY_ID } from './vault-keys';
import { FREE_ATTEMPTS, VaultLock, type VaultLockEvent } from './vault-lock';
import { memorySession, SESSION_KEYS, type SessionKey } from './vault-session';

const PASS = 'correct horse battery staple';
const SECRET = 'sk_live_CANARY_lock_0123456789';
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);

function setup(db: FerryDB, clock = testClock(), session = memorySession()) {
  const scheduled: (number | 'cleared')[] = [];
  const events: VaultLockEvent[] = [];
  const lock = new VaultLock(db, { now: clock.now, session, scheduler: { schedule: (at) => void scheduled.push(at), clear: () => void scheduled.push('cleared') } });
  lock.onChange((event) => events.push(event));
  const vault = new Vault(db, { now: clock.now, keys: lock });
  return { lock, vault, clock, session, scheduled, events };
}

async function lockRow(db: FerryDB): Promise<VaultLockRow> {
  return (await db.vaultState.get('lock')) as VaultLockRow;
}

describe('VaultLock', () => {
  it('without a passphrase behaves as the stored key: no lock, values readable', async () => {
    const { lock, vault } = setup(await testDb());
    await vault.setCredential('apiToken', SECRET);
    expect(await vault.resolveCredential('apiToken')).toBe(SECRET);
    expect(await lock.status()).toEqual({ state: 'no-passphrase', autoLockMinutes: 0, waiting: false, failedAttempts: 0 });
    expect(isFerryError(await fail(lock.lock()), 'VAULT_NO_PASSPHRASE')).toBe(true);
    expect(isFerryError(await fail(lock.unlock(PASS)), 'VAULT_NO_PASSPHRASE')).toBe(true);
  });

  it('setting a passphrase wraps a new data key with PBKDF2-SHA256 (600,000 iterations, own salt), re-encrypts once, and drops the old key', async () => {
    const db = await testDb();
    const { lock, vault, session } = setup(db);
    await vault.setCredential('apiToken', SECRET);
    await vault.setCredential('other', 'value-two-0123456789');
    const before = await db.credentials.get('apiToken');

    expect((await lock.setPassphrase(PASS)).state).toBe('unlocked');
    const row = await lockRow(db);
    expect(row.iterations).toBeGreaterThanOrEqual(600_000);
    expect(row.iterations).toBe(PBKDF2_ITERATIONS);
    expect(row.salt.byteLength).toBe(16);
    expect(row.wrappedKey.byteLength).toBe(32 + 16); // the key and AES-GCM's tag
    expect(await db.keys.get(DATA_KEY_ID)).toBeUndefined();
    const after = (await db.credentials.get('apiToken'))!;
    expect(after.keyId).toBe(row.keyId);
    expect(new Uint8Array(after.ciphertext)).not.toEqual(new Uint8Array(before!.ciphertext));
    expect(await vault.resolveCredential('apiToken')).toBe(SECRET);
    expect(await vault.resolveCredential('other')).toBe('value-two-0123456789');

    // The raw key is only in the session area, never in IndexedDB.
    const raw = ((await session.get([SESSION_KEYS.key]))[SESSION_KEYS.key] as SessionKey).raw;
    const rawBytes = Buffer.from(fromBase64(raw));
    for (const table of db.tables) {
      for (const stored of await table.toArray()) {
        for (const value of Object.values(stored as Record<string, unknown>)) {
          if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
            expect(Buffer.from(value as ArrayBuffer).includes(rawBytes)).toBe(false);
          }
        }
      }
    }
    // Two vaults get two salts.
    const otherDb = await testDb();
    const other = { ...setup(otherDb), db: otherDb };
    await other.lock.setPassphrase(PASS);
    expect(Buffer.from((await lockRow(other.db)).salt)).not.toEqual(Buffer.from(row.salt));
  });

  it('locks and unlocks; a locked vault refuses to resolve with VAULT_LOCKED and reports a waiting run', async () => {
    const db = await testDb();
    const { lock, vault, events } = setup(db);
    await vault.setCredential('apiToken', SECRET);
    await lock.setPassphrase(PASS);
    expect((await lock.lock()).state).toBe('locked');
    const locked = await fail(vault.resolveCredential('apiToken'));
    expect(isFerryError(locked, 'VAULT_LOCKED')).toBe(true);
    expect((locked as Error).message).toMatch(/Unlock Ferry/);
    expect(isFerryError(await fail(vault.setCredential('x', 'y')), 'VAULT_LOCKED')).toBe(true);
    expect(await lock.status()).toMatchObject({ state: 'locked', waiting: true });
    expect(await vault.listCredentials()).toHaveLength(1); // names still listed while locked

    expect((await lock.unlock(PASS)).state).toBe('unlocked');
    expect(await vault.resolveCredential('apiToken')).toBe(SECRET);
    expect(await lock.status()).toMatchObject({ state: 'unlocked', waiting: false });
    expect(events).toEqual(['unlocked', 'locked', 'waiting', 'unlocked']);
  });

  it('a wrong passphrase is VAULT_PASSPHRASE_WRONG; repeated ones are throttled, and the count survives a restart', async () => {
    const db = await testDb();
    const clock = testClock();
    const { lock } = setup(db, clock);
    await lock.setPassphrase(PASS);
    await lock.lock();
    for (let i = 1; i < FREE_ATTEMPTS; i += 1) {
      const error = await fail(lock.unlock(`wrong guess ${i}`));
      expect(isFerryError(error, 'VAULT_PASSPHRASE_WRONG')).toBe(true);
      expect((error as { details: unknown }).details).toEqual({ failedAttempts: i });
      expect((error as Error).message).not.toContain('wrong guess');
    }
    const fifth = await fail(lock.unlock('wrong guess 5'));
    expect((fifth as { details: unknown }).details).toEqual({ failedAttempts: 5, retryAfterMs: 1000 });

    // A new worker (new VaultLock) still refuses until the wait is over, even the right passphrase.
    const restarted = setup(db, clock).lock;
    const throttled = await fail(restarted.unlock(PASS));
    expect(isFerryError(throttled, 'VAULT_UNLOCK_THROTTLED')).toBe(true);
    expect(await restarted.status()).toMatchObject({ state: 'locked', failedAttempts: 5, unlockBlockedUntil: clock.now() + 1000 });
    clock.advance(1000);
    expect((await fail(restarted.unlock('wrong guess 6')) as { details: unknown }).details).toEqual({ failedAttempts: 6, retryAfterMs: 2000 });
    clock.advance(2000);
    expect((await restarted.unlock(PASS)).state).toBe('unlocked');
    expect((await lockRow(db)).failedAttempts).toBe(0);
  });

  it('changing the passphrase re-wraps only: every ciphertext stays byte for byte the same', async () => {
    const db = await testDb();
    const { lock, vault } = setup(db);
    await lock.setPassphrase(PASS);
    await vault.setCredential('apiToken', SECRET);
    await vault.setCredential('other', 'value-two-0123456789');
    const before = await db.credentials.toArray();
    const wrappedBefore = await lockRow(db);

    expect(isFerryError(await fail(lock.setPassphrase('new passphrase 1')), 'VAULT_PASSPHRASE_REQUIRED')).toBe(true);
    expect(isFerryError(await fail(lock.setPassphrase('new passphrase 1', 'not the passphrase')), 'VAULT_PASSPHRASE_WRONG')).toBe(true);
    await lock.setPassphrase('new passphrase 1', PASS);

    const after = await db.credentials.toArray();
    expect(after).toEqual(before);
    const wrappedAfter = await lockRow(db);
    expect(wrappedAfter.keyId).toBe(wrappedBefore.keyId);
    expect(Buffer.from(wrappedAfter.salt)).not.toEqual(Buffer.from(wrappedBefore.salt));
    expect(Buffer.from(wrappedAfter.wrappedKey)).not.toEqual(Buffer.from(wrappedBefore.wrappedKey));

    await lock.lock();
    expect(isFerryError(await fail(lock.unlock(PASS)), 'VAULT_PASSPHRASE_WRONG')).toBe(true);
    await lock.unlock('new passphrase 1');
    expect(await vault.resolveCredential('apiToken')).toBe(SECRET);
  });

  it('stays unlocked across a worker restart through the session area, and is locked in a new browser session', async () => {
    const db = await testDb();
    const first = setup(db);
    await first.vault.setCredential('apiToken', SECRET);
    await first.lock.setPassphrase(PASS);

    const restarted = setup(await testDb(db.name), testClock(), first.session);
    expect(await restarted.vault.resolveCredential('apiToken')).toBe(SECRET);
    expect((await restarted.lock.status()).state).toBe('unlocked');

    const newBrowser = setup(await testDb(db.name), testClock(), memorySession());
    expect((await newBrowser.lock.status()).state).toBe('locked');
    expect(isFerryError(await fail(newBrowser.vault.resolveCredential('apiToken')), 'VAULT_LOCKED')).toBe(true);
  });

  it('auto-locks after the idle minutes: the alarm re-arms while the vault is used and locks once it is not', async () => {
    const db = await testDb();
    const { lock, vault, clock, scheduled, session, events } = setup(db);
    await vault.setCredential('apiToken', SECRET);
    await lock.setPassphrase(PASS);
    expect(isFerryError(await fail(lock.setAutoLock(-1)), 'VAULT_AUTOLOCK_INVALID')).toBe(true);
    expect(isFerryError(await fail(lock.setAutoLock(1.5)), 'VAULT_AUTOLOCK_INVALID')).toBe(true);
    const start = clock.now();
    expect(await lock.setAutoLock(5)).toMatchObject({ state: 'unlocked', autoLockMinutes: 5, autoLockAt: start + 5 * 60_000 });
    expect(scheduled.at(-1)).toBe(start + 5 * 60_000);

    clock.advance(4 * 60_000);
    await vault.resolveCredential('apiToken'); // a use pushes the lock back
    expect(scheduled.at(-1)).toBe(clock.now() + 5 * 60_000);
    clock.advance(2 * 60_000);
    await lock.onAutoLockAlarm(); // the first alarm was due, but the vault was used since
    expect((await lock.status()).state).toBe('unlocked');
    clock.advance(3 * 60_000);
    await lock.onAutoLockAlarm();
    expect((await lock.status()).state).toBe('locked');
    expect(await session.get([SESSION_KEYS.key])).toEqual({});
    expect(scheduled.at(-1)).toBe('cleared');
    expect(events.at(-1)).toBe('locked');

    // Past the idle time with no alarm having fired (a sleeping browser): the next use finds it locked.
    await lock.unlock(PASS);
    clock.advance(5 * 60_000);
    expect(isFerryError(await fail(vault.resolveCredential('apiToken')), 'VAULT_LOCKED')).toBe(true);
  });

  it('removing the passphrase puts the key back non-extractable without re-encrypting', async () => {
    const db = await testDb();
    const { lock, vault } = setup(db);
    await vault.setCredential('apiToken', SECRET);
    await lock.setPassphrase(PASS);
    const ciphertext = (await db.credentials.get('apiToken'))!.ciphertext;
    expect(isFerryError(await fail(lock.removePassphrase('nope nope nope')), 'VAULT_PASSPHRASE_WRONG')).toBe(true);
    expect((await lock.removePassphrase(PASS)).state).toBe('no-passphrase');
    const row = (await db.credentials.get('apiToken'))!;
    expect(row.keyId).toBe(DATA_KEY_ID);
    expect(Buffer.from(row.ciphertext)).toEqual(Buffer.from(ciphertext));
    expect((await db.keys.get(DATA_KEY_ID))!.key.extractable).toBe(false);
    expect(await db.vaultState.get('lock')).toBeUndefined();
    expect(await new Vault(await testDb(db.name), { keys: new VaultLock(db) }).resolveCredential('apiToken')).toBe(SECRET);
  });

  it('refuses a short passphrase', async () => {
    const { lock } = setup(await testDb());
    expect(isFerryError(await fail(lock.setPassphrase('short')), 'VAULT_PASSPHRASE_TOO_SHORT')).toBe(true);
    expect((await lock.status()).state).toBe('no-passphrase');
  });
});
