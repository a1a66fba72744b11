import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import type { CredentialRow, VaultLockRow } from './rows';
import { openCredential, sealCredential } from './vault';
import { generateDataKey, PBKDF2_ITERATIONS, wrapDataKey } from './vault-crypto';
import { DATA_KEY_ID } from './vault-keys';

/**
 * Turning the passphrase lock on. The stored data key is non-extractable, so it cannot be wrapped:
 * a new key is generated (extractable, in memory only), every credential is re-encrypted under it,
 * and in ONE transaction the new ciphertexts and the wrapped key are stored and the old key deleted.
 * WebCrypto cannot run inside an IndexedDB transaction, so the crypto happens first and the
 * transaction checks that no credential changed meanwhile (else it starts over, at most 3 times).
 * Returns the new key for the session.
 */
export async function turnLockOn(db: FerryDB, passphrase: string, now: () => number): Promise<{ keyId: string; key: CryptoKey }> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const old = await db.keys.get(DATA_KEY_ID);
    const rows = await db.credentials.toArray();
    const keyId = `vault.data.${crypto.randomUUID()}`;
    const key = await generateDataKey(true);
    const resealed: CredentialRow[] = [];
    for (const row of rows) {
      if (!old || row.keyId !== old.id) continue; // unreadable already: left as it is
      try {
        resealed.push({ ...row, ...(await sealCredential(row.name, await openCredential(row, old.key), key)), keyId });
      } catch {
        // A value the old key cannot open stays unreadable either way; it is left untouched.
      }
    }
    const wrapped = await wrapDataKey(key, keyId, passphrase, PBKDF2_ITERATIONS);
    const at = now();
    const lockRow: VaultLockRow = { id: 'lock', keyId, ...wrapped, failedAttempts: 0, createdAt: at, updatedAt: at };
    const committed = await db.transaction('rw', db.credentials, db.keys, db.vaultState, async () => {
      if (await db.vaultState.get('lock')) return false;
      if (fingerprint(await db.credentials.toArray()) !== fingerprint(rows)) return false; // changed meanwhile: start over
      await db.credentials.bulkPut(resealed);
      await db.vaultState.put(lockRow);
      await db.keys.delete(DATA_KEY_ID);
      return true;
    });
    if (committed) return { keyId, key };
  }
  throw new FerryError('VAULT_BUSY', 'Credentials changed while the passphrase was being set. Try again.');
}

/** What identifies the credential rows as they were read (a write in between changes it). */
function fingerprint(rows: readonly CredentialRow[]): string {
  return rows.map((row) => `${row.name}|${row.keyId}|${row.updatedAt}|${Array.from(row.iv).join(',')}`).sort().join('\n');
}
