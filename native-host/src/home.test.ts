import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDir, resolvePaths } from './home';

describe('resolvePaths', () => {
  it('puts everything under $FERRY_HOME when set (relative values resolved)', () => {
    expect(resolvePaths({ env: { FERRY_HOME: '/srv/ferry', XDG_CONFIG_HOME: '/x' }, platform: 'linux', home: '/home/u' })).toEqual({
      configDir: '/srv/ferry/config',
      dataDir: '/srv/ferry/data',
      logsDir: '/srv/ferry/logs',
      binDir: '/srv/ferry/bin',
    });
    expect(resolvePaths({ env: { FERRY_HOME: 'rel' }, platform: 'darwin', home: '/Users/u' }).configDir).toBe(join(resolve('rel'), 'config'));
  });

  it('follows XDG on Linux, with the usual defaults, ignoring relative values', () => {
    expect(resolvePaths({ env: {}, platform: 'linux', home: '/home/u' })).toEqual({
      configDir: '/home/u/.config/ferry',
      dataDir: '/home/u/.local/share/ferry',
      logsDir: '/home/u/.local/state/ferry/logs',
      binDir: '/home/u/.local/share/ferry/bin',
    });
    const xdg = resolvePaths({ env: { XDG_CONFIG_HOME: '/c', XDG_DATA_HOME: '/d', XDG_STATE_HOME: 'relative/state' }, platform: 'linux', home: '/home/u' });
    expect(xdg).toEqual({ configDir: '/c/ferry', dataDir: '/d/ferry', logsDir: '/home/u/.local/state/ferry/logs', binDir: '/d/ferry/bin' });
  });

  it('uses Application Support and Library/Logs on macOS', () => {
    expect(resolvePaths({ env: {}, platform: 'darwin', home: '/Users/u' })).toEqual({
      configDir: '/Users/u/Library/Application Support/Ferry/config',
      dataDir: '/Users/u/Library/Application Support/Ferry/data',
      logsDir: '/Users/u/Library/Logs/Ferry',
      binDir: '/Users/u/Library/Application Support/Ferry/bin',
    });
  });

  it('uses %APPDATA% and %LOCALAPPDATA% on Windows', () => {
    const env = { APPDATA: 'C:\\Users\\u\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' };
    expect(resolvePaths({ env, platform: 'win32', home: 'C:\\Users\\u' })).toEqual({
      configDir: 'C:\\Users\\u\\AppData\\Roaming\\Ferry',
      dataDir: 'C:\\Users\\u\\AppData\\Local\\Ferry\\data',
      logsDir: 'C:\\Users\\u\\AppData\\Local\\Ferry\\logs',
      binDir: 'C:\\Users\\u\\AppData\\Local\\Ferry\\bin',
    });
    expect(resolvePaths({ env: {}, platform: 'win32', home: 'C:\\Users\\u' }).configDir).toBe('C:\\Users\\u\\AppData\\Roaming\\Ferry');
  });
});

describe('ensureDir', () => {
  it.skipIf(process.platform === 'win32')('creates missing parents with mode 0700', () => {
    const root = mkdtempSync(join(tmpdir(), 'ferry-home-test-'));
    try {
      const dir = ensureDir(join(root, 'a', 'b'));
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700);
      expect(ensureDir(dir)).toBe(dir);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
