import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import { testClock, testDb, uniqueDbName } from './test-db.test-support';
import { Vault } from './vault';
import { DATA_KEY_ID, StoredDataKeyProvider, vaultLocked } from './vault-keys';

const SECRET = 'sk_live_CANARY_9f8e7d6c5b4a';
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);

/** Every place in every table where `needle` appears, as text or as UTF-8 bytes. */
async function findEverywhere(db: FerryDB, needle: string): Promise<string[]> {
  const bytes = new TextEncoder().encode(needle);
  const hits: string[] = [];
  const visit = (value: unknown, where: string): void => {
    if (typeof value === 'string') {
      if (value.includes(needle)) hits.push(where);
    } else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const view = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      if (Buffer.from(view).includes(Buffer.from(bytes))) hits.push(where);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`);
    }
  };
  for (const table of db.tables) (await table.toArray()).forEach((row, i) => visit(row, `${table.name}[${i}]`));
  return hits;
}

describe('Vault', () => {
  it('round-trips a value, and keeps createdAt when a value is replaced', async () => {
    const clock = testClock(100);
    const db = await testDb();
    const vault = new Vault(db, { now: clock.now });
    await vault.setCredential('apiToken', SECRET);
    expect(await vault.resolveCredential('apiToken')).toBe(SECRET);
    clock.advance(50);
    expect(await vault.setCredential('apiToken', 'ünïcödé value 🔑')).toEqual({ name: 'apiToken', last4: 'ue 🔑', updatedAt: 150 });
    expect(await vault.resolveCredential('apiToken')).toBe('ünïcödé value 🔑');
    expect(await db.credentials.get('apiToken')).toMatchObject({ createdAt: 100, updatedAt: 150 });
  });

  it('stores the data key as a non-extractable AES-GCM CryptoKey that survives a restart', async () => {
    const db = await testDb();
    await new Vault(db).setCredential('apiToken', SECRET);
    const row = (await db.keys.get(DATA_KEY_ID))!;
    expect(row.key).toBeInstanceOf(CryptoKey);
    expect(row.key.extractable).toBe(false);
    expect(row.key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    await expect(crypto.subtle.exportKey('raw', row.key)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', row.key)).rejects.toThrow();
    const { key } = await new StoredDataKeyProvider(db).dataKey();
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();

    // A new worker: another connection, another Vault, the same key.
    const again = new Vault(await testDb(db.name));
    expect(await again.resolveCredential('apiToken')).toBe(SECRET);
  });

  it('two contexts creating the key at once end up with one key', async () => {
    const name = uniqueDbName();
    const [a, b] = [new Vault(await testDb(name)), new Vault(await testDb(name))];
    await Promise.all([a.setCredential('one', 'value-one'), b.setCredential('two', 'value-two')]);
    expect(await a.resolveCredential('two')).toBe('value-two');
    expect(await b.resolveCredential('one')).toBe('value-one');
  });

  it('never stores the plaintext, and encrypts the same value differently each time', async () => {
    const db = await testDb();
    const vault = new Vault(db);
    await vault.setCredential('apiToken', SECRET);
    const first = (await db.credentials.get('apiToken'))!;
    await vault.setCredential('apiToken', SECRET);
    const second = (await db.credentials.get('apiToken'))!;

    expect(await findEverywhere(db, SECRET)).toEqual([]);
    expect(await findEverywhere(db, SECRET.slice(-4))).toEqual(['credentials[0].last4']); // the scan does find what is there
    expect(first.iv).toHaveLength(12);
    expect(Buffer.from(first.iv).equals(Buffer.from(second.iv))).toBe(false);
    expect(Buffer.from(first.ciphertext).equals(Buffer.from(second.ciphertext))).toBe(false);
    expect(first.ciphertext.byteLength).toBe(SECRET.length + 16); // GCM tag
  });

  it('lists names, last 4 and times, never values', async () => {
    const clock = testClock(5);
    const vault = new Vault(await testDb(), { now: clock.now });
    await vault.setCredential('zeta', SECRET);
    await vault.setCredential('alpha', 'short');
    const list = await vault.listCredentials();
    expect(list).toEqual([{ name: 'alpha', last4: '', updatedAt: 5 }, { name: 'zeta', last4: SECRET.slice(-4), updatedAt: 5 }]);
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect(JSON.stringify(list)).not.toContain('short');
  });

  it('validates names', async () => {
    const vault = new Vault(await testDb());
    for (const bad of ['', 'has space', 'a/b', '{{x}}', 'ключ', 'x'.repeat(129)]) {
      const error = await fail(vault.setCredential(bad, 'v'));
      expect(isFerryError(error, 'CREDENTIAL_NAME_INVALID')).toBe(true);
    }
    await vault.setCredential('api_token.v2-1', 'v');
    expect(isFerryError(await fail(vault.setCredential('ok', '')), 'CREDENTIAL_VALUE_EMPTY')).toBe(true);
  });

  it('says which credential is missing and where to add it', async () => {
    const vault = new Vault(await testDb());
    const error = await fail(vault.resolveCredential('apiToken'));
    expect(isFerryError(error, 'CREDENTIAL_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toBe(`No credential named "apiToken". Add it in Ferry's options → Credentials.`);
    expect((error as { details?: unknown }).details).toEqual({ name: 'apiToken' });
  });

  it('deletes', async () => {
    const vault = new Vault(await testDb());
    await vault.setCredential('apiToken', SECRET);
    expect(await vault.deleteCredential('apiToken')).toBe(true);
    expect(await vault.deleteCredential('apiToken')).toBe(false);
    expect(await vault.listCredentials()).toEqual([]);
    expect(isFerryError(await fail(vault.resolveCredential('apiToken')), 'CREDENTIAL_NOT_FOUND')).toBe(true);
  });

  it('refuses a value moved under another name or tampered with, without echoing it', async () => {
    const db = await testDb();
    const vault = new Vault(db);
    await vault.setCredential('a', SECRET);
    const row = (await db.credentials.get('a'))!;
    await db.credentials.put({ ...row, name: 'b' });
    const moved = await fail(vault.resolveCredential('b'));
    expect(isFerryError(moved, 'CREDENTIAL_UNREADABLE')).toBe(true);
    expect(JSON.stringify(moved)).not.toContain(SECRET);

    const flipped = new Uint8Array(row.ciphertext.slice(0));
    flipped[0]! ^= 1;
    await db.credentials.put({ ...row, ciphertext: flipped.buffer });
    expect(isFerryError(await fail(vault.resolveCredential('a')), 'CREDENTIAL_UNREADABLE')).toBe(true);
  });

  it('a locked key provider makes resolve and set throw VAULT_LOCKED, while listing still works', async () => {
    const db = await testDb();
    await new Vault(db).setCredential('apiToken', SECRET);
    const locked = new Vault(db, { keys: { dataKey: () => Promise.reject(vaultLocked()) } });
    expect(isFerryError(await fail(locked.resolveCredential('apiToken')), 'VAULT_LOCKED')).toBe(true);
    expect(isFerryError(await fail(locked.setCredential('other', 'v')), 'VAULT_LOCKED')).toBe(true);
    expect((await locked.listCredentials()).map((c) => c.name)).toEqual(['apiToken']);
  });
});
