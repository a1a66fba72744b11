/**
 * The installer's Windows path, run here with the registry calls replaced: which manifests it writes,
 * which keys it sets, and that uninstall deletes exactly those; and on a Linux layout, that uninstall
 * leaves the home directory as install found it. (Linux and macOS installs are tested end to end in
 * tests/host/installer.test.ts.)
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID } from '../../src/protocol';
import { resolvePaths } from './home';
import { install, uninstall } from './installer';
import { registryKey } from './install-targets';

const registry = vi.hoisted(() => ({ set: new Map<string, string>(), deleted: [] as string[] }));
vi.mock('./windows-registry', () => ({
  setDefaultValue: (key: string, value: string) => registry.set.set(key, value),
  deleteKey: (key: string) => {
    registry.deleted.push(key);
    return registry.set.delete(key);
  },
}));

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  registry.set.clear();
  registry.deleted.length = 0;
});

function environment() {
  const root = mkdtempSync(join(tmpdir(), 'ferry-installer-test-'));
  roots.push(root);
  const hostScript = join(root, 'ferry-host.mjs');
  writeFileSync(hostScript, '');
  const lines: string[] = [];
  return {
    root,
    hostScript,
    lines,
    env: {
      paths: { configDir: join(root, 'config'), dataDir: join(root, 'data'), logsDir: join(root, 'logs'), binDir: join(root, 'bin') },
      platform: 'win32' as const,
      home: root,
      env: {},
      print: (line: string) => lines.push(line),
    },
  };
}

describe('install on Windows', () => {
  it('writes one manifest per family into the data dir and points the HKCU keys at them', () => {
    const { env, hostScript, root } = environment();
    install({ ...env, nodePath: 'C:\\nodejs\\node.exe', hostScript });
    const launcher = join(root, 'bin', 'ferry-host-launcher.cmd');
    const chromium = join(root, 'data', 'manifests', 'chromium', 'dev.ferry.host.json');
    const firefox = join(root, 'data', 'manifests', 'firefox', 'dev.ferry.host.json');
    expect(JSON.parse(readFileSync(chromium, 'utf8'))).toMatchObject({ path: launcher, allowed_origins: [CHROME_EXTENSION_ORIGIN] });
    expect(JSON.parse(readFileSync(firefox, 'utf8'))).toMatchObject({ path: launcher, allowed_extensions: [GECKO_ID] });
    expect(readFileSync(launcher, 'utf8')).toContain(`"C:\\nodejs\\node.exe" "${hostScript}" serve %*`);
    expect(Object.fromEntries(registry.set)).toEqual({
      [registryKey('chrome')]: chromium,
      [registryKey('chromium')]: chromium,
      [registryKey('edge')]: chromium,
      [registryKey('brave')]: chromium,
      [registryKey('firefox')]: firefox,
    });

    expect(uninstall(env)).toBe(5 + 2 + 1);
    expect(registry.set.size).toBe(0);
    expect(registry.deleted).toHaveLength(5);
    for (const file of [chromium, firefox, launcher, join(root, 'config', 'install-record.json')]) expect(existsSync(file)).toBe(false);
    // The config, bin and data directories install created are gone too.
    expect(readdirSync(root)).toEqual(['ferry-host.mjs']);
  });

  it('refuses to install when the host is not built', () => {
    const { env, root } = environment();
    expect(() => install({ ...env, nodePath: 'node', hostScript: join(root, 'missing.mjs') })).toThrow('npm run build:host');
    expect(existsSync(join(root, 'bin'))).toBe(false);
  });
});

/** Everything under `dir`, as sorted relative paths (directories end in /). */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? [`${prefix}${e.name}/`, ...tree(join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`]))
    .sort();
}

describe.skipIf(process.platform === 'win32')('install and uninstall on a Linux layout', () => {
  function linux(ferryHome?: string) {
    const { root, hostScript, lines } = environment();
    const home = join(root, 'home');
    mkdirSync(home);
    const env = ferryHome === undefined ? {} : { FERRY_HOME: join(root, ferryHome) };
    const paths = resolvePaths({ env, platform: 'linux', home });
    return { root, home, hostScript, env: { paths, platform: 'linux' as const, home, env, print: (line: string) => lines.push(line) } };
  }

  it('on a fresh home without FERRY_HOME, uninstall removes the directories install created', () => {
    const { home, hostScript, env } = linux();
    install({ ...env, nodePath: '/usr/bin/node', hostScript });
    expect(tree(home)).toContain('.config/ferry/install-record.json');
    expect(tree(home)).toContain('.local/share/ferry/bin/ferry-host-launcher');
    expect(statSync(join(home, '.config', 'ferry')).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, '.local', 'share', 'ferry', 'bin')).mode & 0o777).toBe(0o700);

    expect(uninstall(env)).toBe(5 + 1);
    expect(tree(home)).toEqual([]);
  });

  it('keeps directories that existed before, and anything someone else put in the created ones', () => {
    const { home, hostScript, env } = linux();
    mkdirSync(join(home, '.config'));
    mkdirSync(join(home, '.local', 'share'), { recursive: true });
    install({ ...env, nodePath: '/usr/bin/node', hostScript });
    // The host ran and wrote data next to the launcher's directory.
    writeFileSync(join(home, '.local', 'share', 'ferry', 'data.db'), '');

    uninstall(env);
    expect(tree(home)).toEqual(['.config/', '.local/', '.local/share/', '.local/share/ferry/', '.local/share/ferry/data.db']);
  });

  it('with FERRY_HOME, uninstall removes FERRY_HOME itself when install created it', () => {
    const { root, home, hostScript, env } = linux('portable/ferry');
    install({ ...env, nodePath: '/usr/bin/node', hostScript });
    expect(tree(join(root, 'portable', 'ferry'))).toEqual(['bin/', 'bin/ferry-host-launcher', 'config/', 'config/install-record.json']);

    uninstall(env);
    expect(existsSync(join(root, 'portable'))).toBe(false);
    expect(tree(home)).toEqual([]);
  });

  it('with an existing FERRY_HOME, a second install and uninstall --user-data-dir leave FERRY_HOME empty', () => {
    const { root, hostScript, env } = linux('ferry-home');
    mkdirSync(join(root, 'ferry-home'));
    const profile = join(root, 'profile');
    install({ ...env, nodePath: '/usr/bin/node', hostScript, userDataDir: profile });
    install({ ...env, nodePath: '/usr/bin/node', hostScript, userDataDir: profile });
    expect(uninstall({ ...env, userDataDir: profile })).toBe(1 + 1);
    expect(tree(join(root, 'ferry-home'))).toEqual([]);
    expect(existsSync(profile)).toBe(false);
  });
});
