/**
 * A Playwright fixture that launches real Debian Chromium with the built extension and the real
 * native host registered in the profile's NativeMessagingHosts/ (the installer's --user-data-dir).
 */
import { test as base, chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXTENSION_ID } from '../../../src/protocol/identity';
import { installHost } from '../../support/install-host';
import { chromiumArgs } from '../../../scripts/lib/chromium-args.mjs';
import { CHROME_BUILD, CHROMIUM_PATH } from '../../support/paths';

export interface LaunchOptions {
  /** Register the host in the profile (false simulates a user who has not installed it). */
  installHost?: boolean;
  /** Chromium flags beyond the usual ones (e.g. ACTION_DEBUGGING_ARGS from toolbar-action.ts). */
  extraArgs?: string[];
}

export interface FerryChromium {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  ferryHome: string;
  userDataDir: string;
  /** Opens one of the extension's pages (popup.html, options.html). */
  openPage(file: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** The current service worker (it changes after the worker is stopped and woken). */
  currentWorker(): Promise<Worker>;
  close(): Promise<void>;
}

export async function launchFerryChromium(options: LaunchOptions = {}): Promise<FerryChromium> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-'));
  const userDataDir = path.join(root, 'profile');
  const ferryHome = path.join(root, 'ferry-home');
  const env = { FERRY_HOME: ferryHome, FERRY_HOST_TEST_METHODS: '1', FERRY_LOG_LEVEL: 'debug' };
  if (options.installHost !== false) installHost(['--user-data-dir', userDataDir], env);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The host inherits the browser's environment: FERRY_HOME keeps its files in the temp dir.
    env: { ...process.env, ...env },
    args: [...chromiumArgs({ extensionDir: CHROME_BUILD }), ...(options.extraArgs ?? [])],
  });
  const currentWorker = async () => {
    const workers = context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
    return workers.at(-1) ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  };
  const worker = await currentWorker();
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    ferryHome,
    userDataDir,
    currentWorker,
    async openPage(file, viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      await page.goto(`chrome-extension://${extensionId}/${file}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Stops the extension's service worker through CDP, as Chrome does after 30 s idle. */
export async function stopServiceWorker(context: BrowserContext, extensionId: string): Promise<void> {
  const browser = context.browser();
  if (!browser) throw new Error('no browser handle for CDP');
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  if (!target) throw new Error('extension service worker target not found');
  await cdp.send('Target.closeTarget', { targetId: target.targetId });
  await cdp.detach();
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export const test = base.extend<{}, { ferry: FerryChromium }>({
  ferry: [
    async ({}, use) => {
      const ferry = await launchFerryChromium();
      await use(ferry);
      await ferry.close();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
