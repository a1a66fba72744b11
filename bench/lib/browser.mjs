/**
 * Launches headless Debian Chromium with the built extension, exactly as the e2e harness does
 * (tests/e2e/support/chromium.ts), and returns the extension's service worker.
 */
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../../scripts/lib/chromium-args.mjs';
import { EXTENSION_ID } from './profile.mjs';

export const CHROMIUM_PATH = process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium';

/**
 * @param {{ extensionDir: string, userDataDir: string, env: Record<string, string>, extraArgs?: string[] }} options
 *   extraArgs: flags beyond the usual ones (e.g. `--enable-unsafe-extension-debugging` for the toolbar click)
 */
export async function launchBrowser({ extensionDir, userDataDir, env, extraArgs = [] }) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    // bench/rpc.mjs closes the browser and deletes the profile itself on Ctrl-C; Playwright's own
    // handler would exit the process first and leave the temp folder behind.
    handleSIGINT: false,
    handleSIGTERM: false,
    env: { ...process.env, ...env },
    args: [...chromiumArgs({ extensionDir }), ...extraArgs],
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
