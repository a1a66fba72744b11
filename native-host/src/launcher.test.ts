import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID } from '../../src/protocol';
import { manifestDir, registryKey } from './install-targets';
import { hostManifest, launcherScript, shellQuote } from './launcher';

describe('shellQuote', () => {
  it.skipIf(process.platform === 'win32')('survives sh for paths with spaces, quotes and $', () => {
    for (const word of ['/usr/bin/node', '/Users/Jo Doe/.nvm/node', "/it's/here", '/a/$HOME/`x`/"q"']) {
      expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(word)}`], { encoding: 'utf8' })).toBe(word);
    }
  });
});

describe('launcherScript', () => {
  it('execs the pinned node with the bundle and passes the browser\'s arguments on (sh)', () => {
    const script = launcherScript('/opt/node 20/bin/node', '/src/ferry/native-host/dist/ferry-host.mjs', 'linux');
    expect(script.split('\n')[0]).toBe('#!/bin/sh');
    expect(script).toContain(`exec '/opt/node 20/bin/node' '/src/ferry/native-host/dist/ferry-host.mjs' serve "$@"\n`);
  });

  it('pins the install-time FERRY_HOME unless the browser sets one', () => {
    const script = launcherScript('/usr/bin/node', '/h.mjs', 'linux', "/tmp/it's home");
    const run = (env: NodeJS.ProcessEnv) =>
      execFileSync('/bin/sh', ['-c', `${script.split('\n').filter((l) => l.startsWith('FERRY_HOME=')).join('\n')}\nprintf %s "$FERRY_HOME"`], {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', ...env },
      });
    expect(run({})).toBe("/tmp/it's home");
    expect(run({ FERRY_HOME: '/elsewhere' })).toBe('/elsewhere');
    expect(launcherScript('/usr/bin/node', '/h.mjs', 'linux')).not.toContain('FERRY_HOME');
  });

  it('writes a .cmd for Windows with CRLF line ends', () => {
    const script = launcherScript('C:\\Program Files\\nodejs\\node.exe', 'C:\\ferry\\native-host\\dist\\ferry-host.mjs', 'win32');
    expect(script.startsWith('@echo off\r\n')).toBe(true);
    expect(script).toContain('"C:\\Program Files\\nodejs\\node.exe" "C:\\ferry\\native-host\\dist\\ferry-host.mjs" serve %*\r\n');
  });
});

describe('hostManifest', () => {
  it('names the extension the way each family expects', () => {
    expect(hostManifest('chromium', '/l')).toEqual({
      name: 'dev.ferry.host',
      description: expect.any(String),
      path: '/l',
      type: 'stdio',
      allowed_origins: [CHROME_EXTENSION_ORIGIN],
    });
    expect(hostManifest('firefox', '/l')).toMatchObject({ allowed_extensions: [GECKO_ID] });
    expect('allowed_origins' in hostManifest('firefox', '/l')).toBe(false);
  });
});

describe('install targets', () => {
  it('knows the Linux folders, honouring XDG_CONFIG_HOME for the Chromium family only', () => {
    const linux = { platform: 'linux' as const, home: '/home/u', env: {} };
    expect(manifestDir('chrome', linux)).toBe('/home/u/.config/google-chrome/NativeMessagingHosts');
    expect(manifestDir('brave', linux)).toBe('/home/u/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts');
    expect(manifestDir('firefox', linux)).toBe('/home/u/.mozilla/native-messaging-hosts');
    const xdg = { ...linux, env: { XDG_CONFIG_HOME: '/cfg' } };
    expect(manifestDir('edge', xdg)).toBe('/cfg/microsoft-edge/NativeMessagingHosts');
    expect(manifestDir('firefox', xdg)).toBe('/home/u/.mozilla/native-messaging-hosts');
  });

  it('knows the macOS folders', () => {
    const mac = { platform: 'darwin' as const, home: '/Users/u', env: {} };
    expect(manifestDir('chrome', mac)).toBe('/Users/u/Library/Application Support/Google/Chrome/NativeMessagingHosts');
    expect(manifestDir('edge', mac)).toBe('/Users/u/Library/Application Support/Microsoft Edge/NativeMessagingHosts');
    expect(manifestDir('firefox', mac)).toBe('/Users/u/Library/Application Support/Mozilla/NativeMessagingHosts');
  });

  it('knows the Windows registry keys', () => {
    expect(registryKey('chrome')).toBe('HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.ferry.host');
    expect(registryKey('chromium')).toBe('HKCU\\Software\\Chromium\\NativeMessagingHosts\\dev.ferry.host');
    expect(registryKey('edge')).toBe('HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\dev.ferry.host');
    expect(registryKey('brave')).toBe('HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\dev.ferry.host');
    expect(registryKey('firefox')).toBe('HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.ferry.host');
  });
});
