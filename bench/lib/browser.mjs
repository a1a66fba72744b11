/**
 * Launches headless Debian Chromium with the built extension, exactly as the e2e harness does
 * (tests/e2e/support/chromium.ts), and returns the extension's service worker.
 */
import { chromium } from 'playwright-core';
import { EXTENSION_ID } from './profile.mjs';

export const CHROMIUM_PATH = process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium';
/** Keeps the browser on loopback: every other host name fails to resolve. */
const LOOPBACK_ONLY_RULES = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1';

/**
 * @param {{ extensionDir: string, userDataDir: string, env: Record<string, string> }} options
 */
export async function launchBrowser({ extensionDir, userDataDir, env }) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    // bench/rpc.mjs closes the browser and deletes the profile itself on Ctrl-C; Playwright's own
    // handler would exit the process first and leave the temp folder behind.
    handleSIGINT: false,
    handleSIGTERM: false,
    env: { ...process.env, ...env },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      LOOPBACK_ONLY_RULES,
    ],
  });
  try {
    const isFerry = (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`);
    const worker = context.serviceWorkers().find(isFerry) ?? (await context.waitForEvent('serviceworker', { predicate: isFerry, timeout: 15_000 }));
    return { context, worker, version: context.browser()?.version() ?? 'unknown' };
  } catch (error) {
    await context.close();
    throw error;
  }
}
