/**
 * The passphrase lock's cryptography, WebCrypto only: a key-encryption key derived from the
 * passphrase with PBKDF2-SHA256, and the data key wrapped under it with AES-GCM (the key id as
 * additional data, so a wrapped key cannot be passed off as another). A wrong passphrase derives
 * another key, and AES-GCM's tag check refuses the unwrap: that is how a wrong passphrase is told.
 */

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. The stored iteration count is used for unwrapping. */
export const PBKDF2_ITERATIONS = 600_000;
export const SALT_BYTES = 16;
const IV_BYTES = 12;

export interface WrappedDataKey {
  salt: Uint8Array<ArrayBuffer>;
  iterations: number;
  wrappedKey: ArrayBuffer;
  wrapIv: Uint8Array<ArrayBuffer>;
}

/** An AES-GCM 256 data key; extractable only where it must be wrapped or kept for the session. */
export function generateDataKey(extractable: boolean): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, extractable, ['encrypt', 'decrypt']);
}

/** The key-encryption key: non-extractable, good for wrapping and unwrapping only. */
export async function deriveKeyEncryptionKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** Wraps an extractable data key under a fresh salt and IV. */
export async function wrapDataKey(dataKey: CryptoKey, keyId: string, passphrase: string, iterations = PBKDF2_ITERATIONS): Promise<WrappedDataKey> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const wrapIv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const kek = await deriveKeyEncryptionKey(passphrase, salt, iterations);
  const wrappedKey = await crypto.subtle.wrapKey('raw', dataKey, kek, { name: 'AES-GCM', iv: wrapIv, additionalData: wrapAad(keyId) });
  return { salt, iterations, wrappedKey, wrapIv };
}

/** Unwraps, or rejects (OperationError) when the passphrase is not the one it was wrapped with. */
export async function unwrapDataKey(wrapped: WrappedDataKey, keyId: string, passphrase: string, extractable: boolean): Promise<CryptoKey> {
  const kek = await deriveKeyEncryptionKey(passphrase, wrapped.salt, wrapped.iterations);
  return crypto.subtle.unwrapKey(
    'raw',
    wrapped.wrappedKey,
    kek,
    { name: 'AES-GCM', iv: wrapped.wrapIv, additionalData: wrapAad(keyId) },
    { name: 'AES-GCM', length: 256 },
    extractable,
    ['encrypt', 'decrypt'],
  );
}

/** The raw bytes as base64, for storage.session (which holds JSON only). */
export async function exportRawKey(key: CryptoKey): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', key)));
}

/** A non-extractable key from raw bytes kept for the session. */
export function importRawKey(base64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', fromBase64(base64), { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

function wrapAad(keyId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`ferry.vault.wrapped-key:${keyId}`);
}

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

export function fromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}
