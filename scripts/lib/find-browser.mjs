/** Finds a Chromium-family browser: $FERRY_BROWSER, then the usual names on PATH, then macOS apps. */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const CANDIDATES = [
  ['Chromium', 'chromium'],
  ['Chromium', 'chromium-browser'],
  ['Google Chrome', 'google-chrome'],
  ['Google Chrome', 'google-chrome-stable'],
  ['Microsoft Edge', 'microsoft-edge'],
  ['Brave', 'brave-browser'],
];
const MAC_APPS = [
  ['Google Chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  ['Chromium', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
];

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findBrowser(env = process.env) {
  if (env.FERRY_BROWSER) return executable(env.FERRY_BROWSER) ? { name: path.basename(env.FERRY_BROWSER), path: env.FERRY_BROWSER } : null;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const [name, bin] of CANDIDATES) {
    for (const dir of dirs) {
      const file = path.join(dir, bin);
      if (executable(file)) return { name, path: file };
    }
  }
  if (process.platform === 'darwin') {
    for (const [name, file] of MAC_APPS) if (executable(file)) return { name, path: file };
  }
  return null;
}

export function browserInstallHint() {
  if (process.platform === 'darwin') return 'Install Google Chrome or Chromium, or set FERRY_BROWSER=/path/to/browser.';
  return 'Install one with `sudo apt-get install chromium` (Debian/Ubuntu), or set FERRY_BROWSER=/path/to/chrome.';
}
