/**
 * Selection mode in real Chromium against a page whose custom element has a slow constructor (issue
 * 11): cloning the live selection (range.cloneContents) would run that constructor inside Ferry's
 * extraction and make it time out. The extractor copies the selection through an inert document
 * instead, so the records come back and the page's flag shows the constructor never ran.
 */
import type { Page } from '@playwright/test';
import { expect, launchFerryChromium, test, type FerryChromium } from './support/chromium';
import { startPageServer, type PageServer } from './support/page-server';
import { ACTION_DEBUGGING_ARGS, clickToolbarButton } from './support/toolbar-action';

// The constructor counts every run and, once armed (after the page has loaded), busy-loops for ten
// seconds: run inside the extraction, that would hold the page's main thread well past any answer.
const WIDGETS = `<!doctype html><title>Widgets</title>
<script>
  window.constructed = 0;
  window.armed = false;
  window.slowRan = false;
  customElements.define('slow-widget', class extends HTMLElement {
    constructor() {
      super();
      window.constructed += 1;
      if (!window.armed) return;
      const until = Date.now() + 10000;
      while (Date.now() < until) {}
      window.slowRan = true;
    }
  });
</script>
<p id="quote">Ferry reads <slow-widget id="w" data-kind="demo"><b>this widget</b></slow-widget> and <a href="/more">a link</a> without running it.</p>
<p>Not selected.</p>`;

type Reply<T> = { ok: true; value: T } | { ok: false; error: { codeName: string; message: string } };
type Preview = { count: number; mode: string; records: Record<string, unknown>[]; warnings: string[] };
type PageFlags = { constructed: number; slowRan: boolean };

let ferry: FerryChromium;
let pages: PageServer;

test.beforeAll(async () => {
  // Previews never reach the native host.
  ferry = await launchFerryChromium({ installHost: false, extraArgs: ACTION_DEBUGGING_ARGS });
  pages = await startPageServer({ '/widgets': WIDGETS });
});
test.afterAll(async () => {
  await ferry?.close();
  await pages?.close();
});

async function send<T>(page: Page, type: string, data?: unknown): Promise<Reply<T>> {
  return (await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as Reply<T>;
}

const flags = (site: Page) => site.evaluate(() => ({ constructed: (window as unknown as PageFlags).constructed, slowRan: (window as unknown as PageFlags).slowRan }));

test('selection mode copies a selection holding a slow custom element without running its constructor', async () => {
  const site = await ferry.context.newPage();
  await site.goto(`${pages.url}/widgets`);
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, site);
  await popup.close();
  // The page's own script (main world): arm the constructor, then select the whole first paragraph.
  await site.evaluate(() => {
    (window as unknown as { armed: boolean }).armed = true;
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('quote')!);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  });
  expect(await flags(site)).toEqual({ constructed: 1, slowRan: false }); // once, when the page was parsed

  const options = await ferry.openPage('options.html');
  const tabId = await options.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, `${pages.url}/widgets`);
  const reply = await send<Preview>(options, 'extraction.preview', { tabId, extractor: { mode: 'selection' } });
  if (!reply.ok) throw new Error(`${reply.error.codeName}: ${reply.error.message}`);
  expect(reply.value).toMatchObject({ mode: 'selection', count: 1, warnings: [] });
  expect(reply.value.records).toEqual([
    {
      text: 'Ferry reads this widget and a link without running it.',
      html: 'Ferry reads <slow-widget id="w" data-kind="demo"><b>this widget</b></slow-widget> and <a href="/more">a link</a> without running it.',
      links: [{ text: 'a link', url: `${pages.url}/more` }],
    },
  ]);
  expect(await flags(site)).toEqual({ constructed: 1, slowRan: false });

  // The control: cloning the live selection, as the extractor used to, does run the constructor here.
  const cloned = await site.evaluate(() => {
    (window as unknown as { armed: boolean }).armed = false;
    getSelection()!.getRangeAt(0).cloneContents();
    return (window as unknown as PageFlags).constructed;
  });
  expect(cloned).toBe(2);
  await options.close();
  await site.close();
});
