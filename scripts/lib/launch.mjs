/**
 * Opens a Chromium-family browser with Ferry loaded. Debian's Chromium honours --load-extension;
 * branded Google Chrome 137+ ignores it, so when the extension's worker does not appear we load it
 * through CDP `Extensions.loadUnpacked`, which needs --enable-unsafe-extension-debugging (which
 * `Extensions.triggerAction`, the demo's toolbar click, needs too).
 *
 * `setup(send)` runs before the first tab opens `startUrl`, while that tab shows one of Ferry's own
 * pages: `send(type, data)` is a Ferry message from there (the background answers privileged
 * messages such as `pipelines.save` only from its own pages).
 */
import { chromium } from 'playwright-core';
import identity from '../../src/protocol/identity.json' with { type: 'json' };
import { chromiumArgs } from './chromium-args.mjs';
import { pageMessenger } from './ferry-messages.mjs';

const EXTENSION_ID = identity.extensionId;

export async function launchWithExtension({ executablePath, profile, extensionDir, headless, startUrl, setup, env = process.env }) {
  const useFlag = env.FERRY_LOAD_WITH_CDP !== '1';
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless,
    viewport: null,
    // Playwright disables extensions by default; Ferry is the point of this browser.
    ignoreDefaultArgs: ['--disable-extensions'],
    // A person browsing (headed) needs the network; the headless smoke run stays on loopback.
    args: [...chromiumArgs({ extensionDir: useFlag ? extensionDir : undefined, headless, loopbackOnly: headless }), '--enable-unsafe-extension-debugging'],
  });
  let worker = await waitForWorker(context, useFlag ? 5_000 : 0);
  if (!worker) {
    const cdp = await context.browser().newBrowserCDPSession();
    await cdp.send('Extensions.loadUnpacked', { path: extensionDir });
    await cdp.detach();
    worker = await waitForWorker(context, 10_000);
  }
  if (!worker) {
    await context.close();
    throw new Error('The Ferry extension did not start in the browser; check that .output/chrome-mv3 was built.');
  }
  const page = context.pages()[0] ?? (await context.newPage());
  if (setup) {
    await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await setup(pageMessenger(page));
  }
  await page.goto(startUrl);
  return {
    context,
    extensionId: EXTENSION_ID,
    /** The tab that shows `startUrl`. */
    page,
    closed: new Promise((resolve) => context.on('close', resolve)),
    hostStatus: () => worker.evaluate(() => globalThis.ferry.monitor.status()),
    close: () => context.close(),
  };
}

async function waitForWorker(context, timeoutMs) {
  const find = () => context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const worker = find();
    if (worker || Date.now() >= deadline) return worker;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
