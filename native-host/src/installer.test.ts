/**
 * The installer's Windows path, run here with the registry calls replaced: which manifests it writes,
 * which keys it sets, and that uninstall deletes exactly those. (Linux and macOS installs are tested
 * end to end in tests/host/installer.test.ts.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID } from '../../src/protocol';
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
    expect(existsSync(join(root, 'data', 'manifests'))).toBe(false);
  });

  it('refuses to install when the host is not built', () => {
    const { env, root } = environment();
    expect(() => install({ ...env, nodePath: 'node', hostScript: join(root, 'missing.mjs') })).toThrow('npm run build:host');
    expect(existsSync(join(root, 'bin'))).toBe(false);
  });
});
