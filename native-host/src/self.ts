/** Locations of the running host itself, for the installer and `ferry-host info`. */
import { realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the host bundle (native-host/dist/ferry-host.mjs). In the bundle every module
 * shares the bundle's import.meta.url; run from source (unit tests) the path is derived instead.
 */
export function hostScriptPath(): string {
  const here = fileURLToPath(import.meta.url);
  const script = basename(here) === 'ferry-host.mjs' ? here : resolve(dirname(here), '..', 'dist', 'ferry-host.mjs');
  try {
    return realpathSync(script);
  } catch {
    return script;
  }
}

/**
 * Absolute path of the Node binary running now; the launcher pins it. Not resolved through
 * symlinks: /opt/homebrew/bin/node keeps working after an upgrade, its Cellar target does not.
 */
export function nodePath(): string {
  return process.execPath;
}

