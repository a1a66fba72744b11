/**
 * A throwaway browser profile for the benchmark: Ferry's host registered by Ferry's own installer,
 * plus a second host, `dev.ferry.bench_echo`, that starts the framing-only echo host. Everything lives
 * under one temp folder that `remove()` deletes.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import identity from '../../src/protocol/identity.json' with { type: 'json' };

export const BARE_HOST_NAME = 'dev.ferry.bench_echo';
export const EXTENSION_ID = identity.extensionId;

const shellQuote = (word) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * @param {string} root repository root
 * @param {{ hostBundle?: string }} [options] hostBundle: serve this host bundle instead of
 *   native-host/dist/ferry-host.mjs (A/B comparisons of a host change, same launcher otherwise)
 * @returns {{ root: string, userDataDir: string, ferryHome: string, env: Record<string, string>, remove(): void }}
 */
export function createBenchProfile(root, options = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-'));
  try {
    const userDataDir = path.join(dir, 'profile');
    const ferryHome = path.join(dir, 'ferry-home');
    mkdirSync(ferryHome, { recursive: true });
    // The host inherits the browser's environment; FERRY_HOME keeps its log and data in the temp dir.
    // The log level is left at its default: the benchmark measures what users run.
    const env = { FERRY_HOME: ferryHome };
    execFileSync(process.execPath, [path.join(root, 'native-host/bin/ferry-host.mjs'), 'install', '--user-data-dir', userDataDir], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (options.hostBundle) {
      const ferryLauncher = path.join(ferryHome, 'bin', 'ferry-host-launcher');
      const original = path.join(root, 'native-host/dist/ferry-host.mjs');
      const text = readFileSync(ferryLauncher, 'utf8');
      if (!text.includes(shellQuote(original))) throw new Error(`cannot find ${original} in ${ferryLauncher} to replace it`);
      writeFileSync(ferryLauncher, text.replace(shellQuote(original), shellQuote(path.resolve(options.hostBundle))));
    }

    // Same shape as Ferry's launcher (sh exec'ing an absolute Node), so process start costs the same.
    const launcher = path.join(dir, 'bench-echo-launcher');
    const script = path.join(root, 'bench/bare-echo-host.mjs');
    writeFileSync(launcher, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(script)} "$@"\n`);
    chmodSync(launcher, 0o755);
    const manifestDir = path.join(userDataDir, 'NativeMessagingHosts');
    mkdirSync(manifestDir, { recursive: true });
    const manifest = {
      name: BARE_HOST_NAME,
      description: 'Ferry benchmark baseline: framing-only echo host',
      path: launcher,
      type: 'stdio',
      allowed_origins: [`chrome-extension://${EXTENSION_ID}/`],
    };
    writeFileSync(path.join(manifestDir, `${BARE_HOST_NAME}.json`), `${JSON.stringify(manifest, null, 2)}\n`);

    // Retries: a browser that is still exiting (Ctrl-C reaches it too) may be writing to its profile.
    const remove = () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    return { root: dir, userDataDir, ferryHome, env, remove };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
