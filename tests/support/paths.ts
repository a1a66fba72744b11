import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROME_BUILD = path.join(ROOT, '.output/chrome-mv3');
export const FIREFOX_BUILD = path.join(ROOT, '.output/firefox-mv3');
export const HOST_CLI = path.join(ROOT, 'native-host/bin/ferry-host.mjs');
export const HOST_BUNDLE = path.join(ROOT, 'native-host/dist/ferry-host.mjs');
export const ARTIFACTS = path.join(ROOT, 'artifacts');
export const CHROMIUM_PATH = process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FERRY_FIREFOX ?? '/usr/lib/firefox-esr/firefox-esr';
