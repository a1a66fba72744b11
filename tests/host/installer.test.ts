/**
 * `ferry-host install` / `uninstall` / `info` and the CLI, run as the user would run them, with HOME
 * and FERRY_HOME pointing at temporary directories. The launcher is then started the way a browser
 * starts it (minimal PATH) and must answer a ping.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, HOST_NAME } from '../../src/protocol';
import { HOST_BUNDLE, HOST_CLI } from '../support/paths';
import { HostProcess, isolatedEnv, tempDir } from './host-process';

const run = promisify(execFile);
const MANIFEST = `${HOST_NAME}.json`;

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Sandbox {
  home: string;
  ferryHome: string;
  env: NodeJS.ProcessEnv;
}

/** A temporary HOME and FERRY_HOME; without FERRY_HOME (`{ ferryHome: false }`) the platform's own places under HOME. */
function sandbox({ ferryHome: useFerryHome = true } = {}): Sandbox {
  const home = tempDir('home');
  const ferryHome = tempDir('ferry-home');
  cleanup.push(home, ferryHome);
  return { home, ferryHome, env: isolatedEnv({ HOME: home, FERRY_HOME: useFerryHome ? ferryHome : undefined }) };
}

async function cli(box: Sandbox, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [HOST_CLI, ...args], { env: box.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Where each browser reads user manifests, written out independently of the installer's table. */
function expectedManifests(home: string): Record<string, string> {
  if (process.platform === 'darwin') {
    const support = path.join(home, 'Library/Application Support');
    return {
      chrome: path.join(support, 'Google/Chrome/NativeMessagingHosts', MANIFEST),
      chromium: path.join(support, 'Chromium/NativeMessagingHosts', MANIFEST),
      edge: path.join(support, 'Microsoft Edge/NativeMessagingHosts', MANIFEST),
      brave: path.join(support, 'BraveSoftware/Brave-Browser/NativeMessagingHosts', MANIFEST),
      firefox: path.join(support, 'Mozilla/NativeMessagingHosts', MANIFEST),
    };
  }
  return {
    chrome: path.join(home, '.config/google-chrome/NativeMessagingHosts', MANIFEST),
    chromium: path.join(home, '.config/chromium/NativeMessagingHosts', MANIFEST),
    edge: path.join(home, '.config/microsoft-edge/NativeMessagingHosts', MANIFEST),
    brave: path.join(home, '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts', MANIFEST),
    firefox: path.join(home, '.mozilla/native-messaging-hosts', MANIFEST),
  };
}

const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(process.platform === 'win32')('ferry-host install / uninstall', () => {
  it('writes all five manifests and an executable launcher that pins Node and the bundle by absolute path', async () => {
    const box = sandbox();
    const result = await cli(box, 'install');
    expect(result.code, result.stderr).toBe(0);
    const launcher = path.join(box.ferryHome, 'bin', 'ferry-host-launcher');

    for (const [browser, file] of Object.entries(expectedManifests(box.home))) {
      expect(existsSync(file), `${browser} manifest at ${file}`).toBe(true);
      const manifest = readJson(file);
      const common = { name: HOST_NAME, description: expect.any(String), path: launcher, type: 'stdio' };
      if (browser === 'firefox') expect(manifest).toEqual({ ...common, allowed_extensions: [GECKO_ID] });
      else expect(manifest).toEqual({ ...common, allowed_origins: [CHROME_EXTENSION_ORIGIN] });
      expect(result.stdout).toContain(file);
    }

    expect(statSync(launcher).mode & 0o777).toBe(0o755);
    const script = readFileSync(launcher, 'utf8');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(path.isAbsolute(process.execPath)).toBe(true);
    expect(script).toContain(`exec '${process.execPath}' '${HOST_BUNDLE}' serve "$@"`);
    expect(result.stdout).toContain(launcher);

    const record = readJson(path.join(box.ferryHome, 'config', 'install-record.json'));
    expect(record.entries.map((e: { path: string }) => e.path).sort()).toEqual([launcher, ...Object.values(expectedManifests(box.home))].sort());
    // Ferry's own directories are private to the user.
    expect(statSync(path.join(box.ferryHome, 'bin')).mode & 0o777).toBe(0o700);
  });

  it('the launcher starts the host the way a browser does (minimal PATH, origin argument) and it answers', async () => {
    const box = sandbox();
    expect((await cli(box, 'install')).code).toBe(0);
    const launcher = path.join(box.ferryHome, 'bin', 'ferry-host-launcher');
    const host = new HostProcess({
      command: launcher,
      args: [CHROME_EXTENSION_ORIGIN],
      env: { FERRY_HOME: box.ferryHome, HOME: box.home, PATH: '/nonexistent' },
    });
    try {
      const response = await host.call(1, 'system.info');
      expect(response.result.pid).toBe(host.child.pid);
      expect(response.result.dataDir).toBe(path.join(box.ferryHome, 'data'));
      // better-sqlite3 is outside the bundle: the launched host must still resolve and load it.
      expect((await host.call(2, 'db.insert', { table: 't', data: { a: 1 } })).result).toMatchObject({ inserted: 1 });
      expect((await host.call(3, 'db.select', { query: 'SELECT a FROM t' })).result.rows).toEqual([{ a: 1 }]);
      expect((await host.stop()).code).toBe(0);
      host.assertCleanStdout();
    } finally {
      await host.dispose();
    }
  });

  it('--user-data-dir writes only DIR/NativeMessagingHosts, and uninstall --user-data-dir removes only that', async () => {
    const box = sandbox();
    const profile = path.join(tempDir('profile'), 'Chromium Profile');
    cleanup.push(path.dirname(profile));
    const result = await cli(box, 'install', '--user-data-dir', profile);
    expect(result.code, result.stderr).toBe(0);
    const file = path.join(profile, 'NativeMessagingHosts', MANIFEST);
    expect(readJson(file)).toMatchObject({ name: HOST_NAME, type: 'stdio', allowed_origins: [CHROME_EXTENSION_ORIGIN], path: path.join(box.ferryHome, 'bin', 'ferry-host-launcher') });
    for (const other of Object.values(expectedManifests(box.home))) expect(existsSync(other)).toBe(false);

    // A full install as well, then remove just the profile's registration.
    expect((await cli(box, 'install')).code).toBe(0);
    const removed = await cli(box, 'uninstall', `--user-data-dir=${profile}`);
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(profile, 'NativeMessagingHosts'))).toBe(false);
    for (const other of Object.values(expectedManifests(box.home))) expect(existsSync(other)).toBe(true);
    expect(existsSync(path.join(box.ferryHome, 'bin', 'ferry-host-launcher'))).toBe(true);
  });

  it('uninstall removes exactly what install wrote and leaves everything else alone', async () => {
    const box = sandbox();
    // A browser profile that existed before the install.
    const preferences = path.join(box.home, '.config/google-chrome/Default/Preferences');
    mkdirSync(path.dirname(preferences), { recursive: true });
    writeFileSync(preferences, '{}');
    expect((await cli(box, 'install')).code).toBe(0);
    // Someone replaced the Brave manifest with another host's: it must survive.
    const brave = expectedManifests(box.home).brave!;
    writeFileSync(brave, JSON.stringify({ name: 'com.example.other', path: '/bin/true', type: 'stdio' }));

    const result = await cli(box, 'uninstall');
    expect(result.code, result.stderr).toBe(0);
    for (const [browser, file] of Object.entries(expectedManifests(box.home))) {
      expect(existsSync(file), browser).toBe(browser === 'brave');
    }
    expect(result.stdout).toContain(`kept ${brave}`);
    expect(existsSync(path.join(box.ferryHome, 'bin', 'ferry-host-launcher'))).toBe(false);
    expect(existsSync(path.join(box.ferryHome, 'config', 'install-record.json'))).toBe(false);
    expect(readFileSync(preferences, 'utf8')).toBe('{}');
    if (process.platform === 'linux') {
      // Directories the install created are gone; the ones that were there stay.
      expect(existsSync(path.join(box.home, '.mozilla'))).toBe(false);
      expect(existsSync(path.join(box.home, '.config/chromium'))).toBe(false);
      expect(existsSync(path.join(box.home, '.config/google-chrome/NativeMessagingHosts'))).toBe(false);
    }
    // FERRY_HOME existed before the install; its config/ and bin/ did not.
    expect(readdirSync(box.ferryHome)).toEqual([]);
    const again = await cli(box, 'uninstall');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to uninstall');
  });

  it('without FERRY_HOME, uninstall leaves a fresh HOME as empty as it was', async () => {
    const box = sandbox({ ferryHome: false });
    const result = await cli(box, 'install');
    expect(result.code, result.stderr).toBe(0);
    const { configDir, binDir } = JSON.parse((await cli(box, 'info')).stdout);
    expect(configDir.startsWith(box.home + path.sep)).toBe(true);
    expect(existsSync(path.join(configDir, 'install-record.json'))).toBe(true);
    expect(existsSync(path.join(binDir, 'ferry-host-launcher'))).toBe(true);

    const removed = await cli(box, 'uninstall');
    expect(removed.code, removed.stderr).toBe(0);
    expect(readdirSync(box.home, { recursive: true })).toEqual([]);
    expect(readdirSync(box.ferryHome)).toEqual([]);
  });

  it('--browsers limits the install and rejects unknown browsers', async () => {
    const box = sandbox();
    expect((await cli(box, 'install', '--browsers', 'chrome,firefox')).code).toBe(0);
    const expected = expectedManifests(box.home);
    for (const [browser, file] of Object.entries(expected)) expect(existsSync(file), browser).toBe(browser === 'chrome' || browser === 'firefox');

    const bad = await cli(box, 'install', '--browsers', 'chrome,safari');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown browser "safari"');
  });
});

describe('ferry-host CLI', () => {
  it('prints usage for --help and exits 0', async () => {
    const result = await cli(sandbox(), '--help');
    expect(result.code).toBe(0);
    for (const command of ['serve', 'install', 'uninstall', 'info', '--user-data-dir', '--browsers']) expect(result.stdout).toContain(command);
  });

  it('exits 2 with a clear message for an unknown command or option', async () => {
    const box = sandbox();
    const command = await cli(box, 'frobnicate');
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "frobnicate"');
    expect(command.stderr).toContain('ferry-host --help');
    const option = await cli(box, 'install', '--force');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('unknown option "--force"');
    const missing = await cli(box, 'install', '--user-data-dir');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--user-data-dir needs a value');
    const extra = await cli(box, 'info', 'now');
    expect(extra.code).toBe(2);
    // Nothing was installed by the failed commands.
    expect(existsSync(path.join(box.ferryHome, 'bin'))).toBe(false);
  });

  it('info prints the paths as JSON', async () => {
    const box = sandbox();
    const result = await cli(box, 'info');
    expect(result.code).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info).toMatchObject({
      name: 'ferry-host',
      hostName: HOST_NAME,
      node: process.execPath,
      hostScript: HOST_BUNDLE,
      configDir: path.join(box.ferryHome, 'config'),
      dataDir: path.join(box.ferryHome, 'data'),
      logsDir: path.join(box.ferryHome, 'logs'),
      binDir: path.join(box.ferryHome, 'bin'),
      installed: null,
    });
    if (process.platform !== 'win32') expect(info.registrations).toEqual(expectedManifests(box.home));
  });

  it('bin/ferry-host.mjs says how to build when the bundle is missing', async () => {
    const dir = tempDir('unbuilt');
    cleanup.push(dir);
    mkdirSync(path.join(dir, 'bin'));
    const bin = path.join(dir, 'bin', 'ferry-host.mjs');
    copyFileSync(HOST_CLI, bin);
    const result = await run(process.execPath, [bin, 'info']).catch((e: { code: number; stderr: string }) => e);
    expect('code' in result && result.code).toBe(1);
    expect(result.stderr).toBe('Ferry host is not built: run `npm run build:host`\n');
  });
});
