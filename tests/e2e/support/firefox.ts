/**
 * Launches Debian Firefox ESR with puppeteer-core over WebDriver BiDi, installs the built Firefox
 * extension as a temporary add-on, and registers the real native host under a temporary HOME's
 * .mozilla/native-messaging-hosts/ (the only place Firefox reads on Linux), so nothing outside the
 * temp dir is touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../../src/protocol/identity';
import { installHost } from '../../support/install-host';
import { FIREFOX_BUILD, FIREFOX_PATH } from '../../support/paths';

/** Fixed internal UUID so extension page URLs are known in advance. */
export const FIREFOX_EXTENSION_UUID = '6f1c2a4e-3b5d-4e7f-9a1b-2c3d4e5f6a7b';
export const FIREFOX_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

export interface FerryFirefox {
  browser: Browser;
  ferryHome: string;
  home: string;
  openPage(file: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** `installHost: false` for tests that need no native host (nothing is registered in the temp HOME). */
export async function launchFerryFirefox(options: { installHost?: boolean } = {}): Promise<FerryFirefox> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ferry-ff-'));
  const home = path.join(root, 'home');
  const ferryHome = path.join(root, 'ferry-home');
  const env = { HOME: home, FERRY_HOME: ferryHome, FERRY_HOST_TEST_METHODS: '1', FERRY_LOG_LEVEL: 'debug' };
  if (options.installHost !== false) installHost(['--browsers', 'firefox'], env);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    args: ['--remote-allow-system-access'],
    env: { ...process.env, ...env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
    },
  });
  await browser.installExtension(FIREFOX_BUILD);
  return {
    browser,
    ferryHome,
    home,
    async openPage(file, viewport) {
      const page = await browser.newPage();
      if (viewport) await page.setViewport(viewport);
      // goto() to a moz-extension:// page never resolves under BiDi: start it, then wait for the DOM.
      void page.goto(`${FIREFOX_ORIGIN}/${file}`).catch(() => undefined);
      // Poll rather than waitForFunction: while the about:blank realm is being replaced, Firefox's
      // BiDi can fail an evaluate outright ("right-hand side of 'in' should be an object"); that is a
      // moment of the navigation, not a failure of the page.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const ready = await page
          .evaluate(() => document.readyState === 'complete' && location.protocol === 'moz-extension:')
          .catch(() => false);
        if (ready) return page;
        if (Date.now() > deadline) throw new Error(`${file} did not load in Firefox within 15 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await browser.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
