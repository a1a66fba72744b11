import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';

/** The key that encrypts credential values, with the id recorded next to each value it encrypts. */
export interface VaultDataKey {
  id: string;
  key: CryptoKey;
}

/**
 * Where the vault gets its data key. `StoredDataKeyProvider` keeps it in IndexedDB, always unlocked;
 * the background uses `VaultLock` (vault-lock.ts), which hands out this one until the user sets a
 * passphrase, then a key stored only wrapped by a PBKDF2-derived key, held in memory (and
 * storage.session) while unlocked, and `vaultLocked()` otherwise. (Wrapping needs the key's bytes,
 * which a non-extractable key never gives out, so turning the lock on generates a new key and
 * re-encrypts the values once: vault-rekey.ts. Changing the passphrase afterwards only re-wraps.)
 */
export interface VaultKeyProvider {
  /** Resolves the current data key, or rejects with FerryError('VAULT_LOCKED'). */
  dataKey(): Promise<VaultDataKey>;
}

export function vaultLocked(): FerryError {
  return new FerryError('VAULT_LOCKED', 'Ferry is locked. Unlock Ferry (in the popup or options) with your passphrase to use saved credentials.');
}

export const DATA_KEY_ID = 'vault.data.1';

/**
 * The unlocked provider: an AES-GCM 256 key generated once, NON-EXTRACTABLE (script can use it but never
 * read its bytes), stored as a CryptoKey object in the `keys` table and cached in memory.
 */
export class StoredDataKeyProvider implements VaultKeyProvider {
  private cached?: Promise<VaultDataKey>;

  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  dataKey(): Promise<VaultDataKey> {
    this.cached ??= this.loadOrCreate().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  private async loadOrCreate(): Promise<VaultDataKey> {
    const stored = await this.db.keys.get(DATA_KEY_ID);
    if (stored) return { id: stored.id, key: stored.key };
    // WebCrypto cannot run inside an IndexedDB transaction (it would commit on the await), so generate
    // first, then keep whichever key reached the table first: two contexts starting at once must not
    // each keep their own key, or values one of them encrypted would become unreadable.
    const candidate = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const key = await this.db.transaction('rw', this.db.keys, async () => {
      const winner = await this.db.keys.get(DATA_KEY_ID);
      if (winner) return winner.key;
      await this.db.keys.add({ id: DATA_KEY_ID, key: candidate, createdAt: this.now() });
      return candidate;
    });
    return { id: DATA_KEY_ID, key };
  }
}
