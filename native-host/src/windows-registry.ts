/**
 * HKCU registry writes for Windows installs, through the `reg` tool that ships with Windows (no
 * native module needed). Only the installer calls these; the stdio host never spawns anything.
 */
import { execFileSync } from 'node:child_process';

/** Sets the key's default value to the manifest path (what Chrome, Edge, Brave and Firefox read). */
export function setDefaultValue(key: string, value: string): void {
  execFileSync('reg', ['add', key, '/ve', '/t', 'REG_SZ', '/d', value, '/f'], { stdio: 'pipe', windowsHide: true });
}

/** Deletes the key; a key that is already gone is not an error. */
export function deleteKey(key: string): boolean {
  try {
    execFileSync('reg', ['delete', key, '/f'], { stdio: 'pipe', windowsHide: true });
    return true;
  } catch {
    return false;
  }
}
