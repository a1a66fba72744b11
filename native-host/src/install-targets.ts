/**
 * Where each browser looks for native messaging host manifests, per user.
 *
 * Linux and macOS: a file named `dev.ferry.host.json` in the browser's NativeMessagingHosts folder.
 * Windows: the manifest may live anywhere; the browser finds it through the default value of a
 * registry key under HKEY_CURRENT_USER:
 *   HKCU\Software\Google\Chrome\NativeMessagingHosts\dev.ferry.host
 *   HKCU\Software\Chromium\NativeMessagingHosts\dev.ferry.host
 *   HKCU\Software\Microsoft\Edge\NativeMessagingHosts\dev.ferry.host
 *   HKCU\Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\dev.ferry.host
 *   HKCU\Software\Mozilla\NativeMessagingHosts\dev.ferry.host
 * so the installer writes the manifests into Ferry's data directory and points those keys at them.
 */
import { join, posix, resolve, win32 } from 'node:path';
import { HOST_NAME } from '../../src/protocol';

export const BROWSERS = ['chrome', 'chromium', 'edge', 'brave', 'firefox'] as const;
export type Browser = (typeof BROWSERS)[number];
export type BrowserFamily = 'chromium' | 'firefox';

export const MANIFEST_FILE = `${HOST_NAME}.json`;

export function browserFamily(browser: Browser): BrowserFamily {
  return browser === 'firefox' ? 'firefox' : 'chromium';
}

export function isBrowser(name: string): name is Browser {
  return (BROWSERS as readonly string[]).includes(name);
}

export interface TargetEnvironment {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
}

/** The folder a browser reads user-level host manifests from (Linux, macOS). */
export function manifestDir(browser: Browser, from: TargetEnvironment): string {
  const { platform, home, env } = from;
  if (platform === 'darwin') {
    const support = posix.join(home, 'Library', 'Application Support');
    const sub: Record<Browser, string[]> = {
      chrome: ['Google', 'Chrome', 'NativeMessagingHosts'],
      chromium: ['Chromium', 'NativeMessagingHosts'],
      edge: ['Microsoft Edge', 'NativeMessagingHosts'],
      brave: ['BraveSoftware', 'Brave-Browser', 'NativeMessagingHosts'],
      firefox: ['Mozilla', 'NativeMessagingHosts'],
    };
    return posix.join(support, ...sub[browser]);
  }
  if (platform === 'win32') throw new Error('Windows browsers find manifests through the registry; use registryKey()');
  if (browser === 'firefox') return posix.join(home, '.mozilla', 'native-messaging-hosts');
  // Chromium-family browsers on Linux put their profile under $XDG_CONFIG_HOME (default ~/.config).
  const xdg = env.XDG_CONFIG_HOME;
  const config = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.config');
  const sub: Record<Exclude<Browser, 'firefox'>, string[]> = {
    chrome: ['google-chrome'],
    chromium: ['chromium'],
    edge: ['microsoft-edge'],
    brave: ['BraveSoftware', 'Brave-Browser'],
  };
  return posix.join(config, ...sub[browser], 'NativeMessagingHosts');
}

/** The HKCU key whose default value names the manifest (Windows). */
export function registryKey(browser: Browser): string {
  const vendor: Record<Browser, string> = {
    chrome: 'Google\\Chrome',
    chromium: 'Chromium',
    edge: 'Microsoft\\Edge',
    brave: 'BraveSoftware\\Brave-Browser',
    firefox: 'Mozilla',
  };
  return win32.join('HKCU\\Software', vendor[browser], 'NativeMessagingHosts', HOST_NAME);
}

/** Where a dedicated Chromium profile (`--user-data-dir DIR`) reads host manifests from. */
export function userDataDirManifest(userDataDir: string): string {
  return join(resolve(userDataDir), 'NativeMessagingHosts', MANIFEST_FILE);
}
