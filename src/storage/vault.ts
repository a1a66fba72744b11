import { FerryError } from '../errors/ferry-error';
import { validateCredentialName } from './credential-name';
import type { FerryDB } from './db';
import type { CredentialRow } from './rows';
import { StoredDataKeyProvider, type VaultKeyProvider } from './vault-keys';

/** What pages may see of a credential. Never the value. */
export interface CredentialSummary {
  name: string;
  last4: string;
  updatedAt: number;
}

/** Values shorter than this show no last 4: four characters would give away too much of them. */
const MIN_LENGTH_FOR_LAST4 = 12;
const IV_BYTES = 12;

/**
 * The encrypted credential store. Values are encrypted with AES-GCM 256 under the vault's data key,
 * a fresh random 12-byte IV each time, and the credential's name as additional data (a ciphertext
 * moved to another name fails to decrypt). Errors name the credential, never its value.
 */
export class Vault {
  private readonly keys: VaultKeyProvider;
  private readonly now: () => number;

  constructor(private readonly db: FerryDB, options: { keys?: VaultKeyProvider; now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    this.keys = options.keys ?? new StoredDataKeyProvider(db, this.now);
  }

  /**
   * Creates or replaces a credential. `showLast4: false` keeps even the last 4 characters from pages
   * (OAuth tokens, which Ferry manages and nobody needs to recognise).
   */
  async setCredential(name: string, value: string, options: { showLast4?: boolean } = {}): Promise<CredentialSummary> {
    validateCredentialName(name);
    if (typeof value !== 'string' || value.length === 0) {
      throw new FerryError('CREDENTIAL_VALUE_EMPTY', `Credential "${name}" needs a value.`, { name });
    }
    const { id: keyId, key } = await this.keys.dataKey();
    const { ciphertext, iv } = await sealCredential(name, value, key);
    const chars = Array.from(value);
    const last4 = options.showLast4 !== false && chars.length >= MIN_LENGTH_FOR_LAST4 ? chars.slice(-4).join('') : '';
    return this.db.transaction('rw', this.db.credentials, async () => {
      const at = this.now();
      const createdAt = (await this.db.credentials.get(name))?.createdAt ?? at;
      const row: CredentialRow = { name, ciphertext, iv, keyId, last4, createdAt, updatedAt: at };
      await this.db.credentials.put(row);
      return summary(row);
    });
  }

  /**
   * The plaintext value, for the background at the moment it sends a request; nothing else calls
   * this, and no message route returns it. FerryError: CREDENTIAL_NOT_FOUND, VAULT_LOCKED,
   * CREDENTIAL_UNREADABLE.
   */
  async resolveCredential(name: string): Promise<string> {
    validateCredentialName(name);
    const row = await this.db.credentials.get(name);
    if (!row) {
      throw new FerryError('CREDENTIAL_NOT_FOUND', `No credential named "${name}". Add it in Ferry's options → Credentials.`, { name });
    }
    const { id: keyId, key } = await this.keys.dataKey();
    try {
      if (row.keyId !== keyId) throw new Error(`encrypted under key ${row.keyId}, the vault's key is ${keyId}`);
      return await openCredential(row, key);
    } catch (error) {
      throw new FerryError('CREDENTIAL_UNREADABLE', `Credential "${name}" could not be decrypted. Enter it again in Ferry's options → Credentials.`, { name }, { cause: error });
    }
  }

  /** Resolves when values can be read and written now; FerryError('VAULT_LOCKED') otherwise. */
  async ensureUnlocked(): Promise<void> {
    await this.keys.dataKey();
  }

  /** Names, last 4 characters and update times, by name; works while the vault is locked. */
  async listCredentials(): Promise<CredentialSummary[]> {
    return (await this.db.credentials.toArray()).map(summary);
  }

  /** True when the credential existed. */
  deleteCredential(name: string): Promise<boolean> {
    validateCredentialName(name);
    return this.db.transaction('rw', this.db.credentials, async () => {
      const existed = (await this.db.credentials.get(name)) !== undefined;
      await this.db.credentials.delete(name);
      return existed;
    });
  }
}

/** AES-GCM with a fresh IV and the name as additional data (also used when the data key changes). */
export async function sealCredential(name: string, value: string, key: CryptoKey): Promise<{ ciphertext: ArrayBuffer; iv: Uint8Array<ArrayBuffer> }> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(name) }, key, new TextEncoder().encode(value));
  return { ciphertext, iv };
}

/** The plaintext; rejects when `key` is not the key the row was sealed with. */
export async function openCredential(row: Pick<CredentialRow, 'name' | 'iv' | 'ciphertext'>, key: CryptoKey): Promise<string> {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: row.iv, additionalData: additionalData(row.name) }, key, row.ciphertext);
  return new TextDecoder().decode(plain);
}

function additionalData(name: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`ferry.credential:${name}`);
}

function summary(row: CredentialRow): CredentialSummary {
  return { name: row.name, last4: row.last4, updatedAt: row.updatedAt };
}
