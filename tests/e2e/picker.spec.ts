/**
 * The element picker and extraction previews in real Chromium, with the shipped build's permissions:
 * the toolbar click (CDP Extensions.triggerAction) grants activeTab, a Ferry page starts the picker
 * on the tab, the user hovers and clicks a product card, Enter sends the rule, and
 * extraction.preview runs it. The overlay is screenshotted into artifacts/e2e/. The same previews
 * run the rules happy-dom cannot (XPath) and the other modes (table, metadata) in the real browser.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS } from '../support/paths';
import { expect, launchFerryChromium, test, type FerryChromium } from './support/chromium';
import { startPageServer, type PageServer } from './support/page-server';
import { ACTION_DEBUGGING_ARGS, clickToolbarButton } from './support/toolbar-action';

const swatch = (color: string) => `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40"><rect width="60" height="40" fill="${color}"/></svg>`)}`;
const PRODUCTS = [
  ['Blue Widget', '9.99', '#2563eb'],
  ['Red Gadget', '19.50', '#dc2626'],
  ['Green Gizmo', '4.25', '#16a34a'],
  ['Amber Doohickey', '12.00', '#d97706'],
  ['Violet Sprocket', '7.75', '#7c3aed'],
  ['Slate Thingamajig', '31.40', '#475569'],
] as const;

const CATALOG = `<!doctype html><html lang="en"><head><title>Catalog</title>
  <meta name="description" content="Six fine products"><meta property="og:title" content="The catalog">
  <link rel="canonical" href="/catalog">
  <style>
    body { font: 15px/1.4 sans-serif; margin: 24px; }
    .grid { display: grid; grid-template-columns: repeat(3, 200px); gap: 16px; }
    .card { border: 1px solid #ddd; border-radius: 8px; padding: 10px; }
    .card h2 { font-size: 17px; margin: 6px 0; }
    /* A page's hostile styles must not reach the picker's overlay. */
    div, p, table, button { font-size: 30px !important; color: magenta !important; }
  </style></head><body>
  <h1>Catalog</h1>
  <div id="catalog" class="grid">
    ${PRODUCTS.map(([name, price, color], i) => `<article class="card product"><img src="${swatch(color)}" alt=""><h2 class="name">${name}</h2><span class="price">${price}</span> <a href="/p/${i + 1}">Details</a></article>`).join('\n    ')}
  </div>
  <table id="stock"><thead><tr><th>Item</th><th>In stock</th></tr></thead><tbody><tr><td>Blue Widget</td><td>4</td></tr><tr><td>Red Gadget</td><td>0</td></tr></tbody></table>
</body></html>`;

type Reply<T> = { ok: true; value: T } | { ok: false; error: { codeName: string; message: string } };
type PickerResult = { status: string; rule?: { itemSelector: string; fields: Record<string, string> }; matched?: number; preview?: Record<string, unknown>[] };
type Preview = { count: number; matched?: number; mode: string; records: Record<string, unknown>[]; warnings: string[] };

let ferry: FerryChromium;
let pages: PageServer;

test.beforeAll(async () => {
  // Picking and previews never reach the native host.
  ferry = await launchFerryChromium({ installHost: false, extraArgs: ACTION_DEBUGGING_ARGS });
  pages = await startPageServer({ '/catalog': CATALOG });
});
test.afterAll(async () => {
  await ferry?.close();
  await pages?.close();
});

async function send<T>(page: Page, type: string, data?: unknown): Promise<Reply<T>> {
  return (await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as Reply<T>;
}
function value<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`${reply.error.codeName}: ${reply.error.message}`);
  return reply.value;
}

/** The catalog in a tab Ferry was invoked on (toolbar click), and an options page that knows its tab id. */
async function grantedCatalog(): Promise<{ site: Page; options: Page; tabId: number }> {
  const site = await ferry.context.newPage();
  await site.setViewportSize({ width: 1100, height: 700 });
  await site.goto(`${pages.url}/catalog`);
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, site);
  await popup.close();
  const options = await ferry.openPage('options.html');
  const tabId = await options.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, `${pages.url}/catalog`);
  expect(tabId).toBeDefined();
  return { site, options, tabId: tabId! };
}

test('pick a product card: the rule covers every card, comes back to Ferry, and extraction.preview runs it', async () => {
  const { site, options, tabId } = await grantedCatalog();
  const { sessionId } = value(await send<{ sessionId: string }>(options, 'picker.start', { tabId }));
  expect(value(await send<PickerResult>(options, 'picker.result', { sessionId }))).toMatchObject({ status: 'picking' });
  await expect(site.locator('ferry-picker')).toHaveCount(1);

  await site.bringToFront();
  const title = site.locator('article h2', { hasText: 'Green Gizmo' });
  const box = (await title.boundingBox())!;
  await site.mouse.move(box.x + 5, box.y + 5);
  await site.mouse.move(box.x + 10, box.y + 8);
  await site.waitForTimeout(150);
  await site.screenshot({ path: shot('picker-hover.png') });
  await site.mouse.click(box.x + 10, box.y + 8);
  await site.waitForTimeout(150);
  await site.screenshot({ path: shot('picker-picked.png') });
  // The click was the picker's: the page did not follow or see it.
  expect(site.url()).toBe(`${pages.url}/catalog`);

  await site.keyboard.press('Enter');
  await expect.poll(async () => value(await send<PickerResult>(options, 'picker.result', { sessionId })).status).toBe('picked');
  const picked = value(await send<PickerResult>(options, 'picker.result', { sessionId }));
  expect(picked.rule).toEqual({ itemSelector: '#catalog > article.card.product', fields: { image: 'img@src', name: 'h2.name', price: 'span.price', link: 'a', url: 'a@href' } });
  expect(picked.matched).toBe(6);
  expect(picked.preview).toHaveLength(3);
  expect(picked.preview![0]).toMatchObject({ name: 'Blue Widget', price: '9.99', link: 'Details', url: `${pages.url}/p/1` });
  await expect(site.locator('ferry-picker')).toHaveCount(0, { timeout: 5_000 });

  const preview = value(await send<Preview>(options, 'extraction.preview', { tabId, extractor: picked.rule, limit: 2 }));
  expect(preview).toMatchObject({ mode: 'selector', count: 6, matched: 6, warnings: [] });
  expect(preview.records).toEqual(PRODUCTS.slice(0, 2).map(([name, price, color], i) => ({ image: swatch(color), name, price, link: 'Details', url: `${pages.url}/p/${i + 1}` })));

  // A pick is accepted from the picker in that tab only: a Ferry page may not deliver one, and the session is spent.
  const forged = await send(options, 'picker.picked', { sessionId, rule: picked.rule });
  expect(forged).toMatchObject({ ok: false, error: { message: '"picker.picked" is not available to this sender' } });
  await options.close();
  await site.close();
});

test('Esc cancels the picker and removes its overlay', async () => {
  const { site, options, tabId } = await grantedCatalog();
  const { sessionId } = value(await send<{ sessionId: string }>(options, 'picker.start', { tabId }));
  await site.bringToFront();
  await site.mouse.move(300, 200);
  await site.keyboard.press('Escape');
  await expect.poll(async () => value(await send<PickerResult>(options, 'picker.result', { sessionId })).status).toBe('cancelled');
  await expect(site.locator('ferry-picker')).toHaveCount(0);
  await options.close();
  await site.close();
});

test('extraction.preview in the real browser: XPath items and fields, table mode, metadata, and errors that name the field', async () => {
  const { site, options, tabId } = await grantedCatalog();
  const preview = (extractor: unknown) => send<Preview>(options, 'extraction.preview', { tabId, extractor, limit: 3 });
  const xpath = value(await preview({ itemSelector: { xpath: "//article[contains(@class, 'product')]" }, fields: { name: { xpath: './h2' }, href: { xpath: './a/@href' }, link: { xpath: './a', type: 'link' } } }));
  expect(xpath).toMatchObject({ count: 6, records: [{ name: 'Blue Widget', href: `${pages.url}/p/1`, link: `${pages.url}/p/1` }, { name: 'Red Gadget' }, { name: 'Green Gizmo' }] });
  const table = value(await preview({ table: { xpath: '//table[@id="stock"]' }, metadata: true }));
  expect(table).toMatchObject({ mode: 'table', count: 2, records: [{ item: 'Blue Widget', inStock: '4', page: { canonical: `${pages.url}/catalog`, meta: { description: 'Six fine products', 'og:title': 'The catalog' } } }, { item: 'Red Gadget', inStock: '0' }] });
  expect(value(await preview({ mode: 'metadata' })).records[0]).toMatchObject({ title: 'Catalog', language: 'en', url: `${pages.url}/catalog` });
  const badXPath = await preview({ itemSelector: '.card', fields: { name: { xpath: './h2[' } } });
  expect(badXPath).toMatchObject({ ok: false, error: { codeName: 'EXTRACTOR_INVALID' } });
  expect(!badXPath.ok && badXPath.error.message).toMatch(/^extractor\.fields\.name: "\.\/h2\[" is not an XPath expression the browser understands/);
  const noTable = await preview({ table: '#nope' });
  expect(noTable).toMatchObject({ ok: false, error: { codeName: 'EXTRACTION_EMPTY' } });
  await options.close();
  await site.close();
});

function shot(name: string): string {
  const dir = path.join(ARTIFACTS, 'e2e');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
