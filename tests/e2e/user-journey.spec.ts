/**
 * A fresh install, the way a person uses Ferry, in real Chromium with the built extension and the
 * real host: in the options page alone they save and test an integration for their API, create a
 * pipeline from a starter whose destination they fill from that integration,
 * pick the records on a catalog page with the element picker and see the preview; then they send
 * the page from the popup, and again through the right-click menu's handler, confirm the preview
 * window, and find both runs in the options page's history. The API's own log is the judge: every
 * picked record arrives, once per send, each under its own Idempotency-Key.
 *
 * Automation cannot open a native context menu, so the test calls the function the menu's
 * `contextMenus.onClicked` listener calls (`ferry.contextSend.click`, exposed by the worker) with
 * the same click data the browser would pass. The toolbar click is real (CDP
 * `Extensions.triggerAction`), and it grants the tab exactly as a menu click would.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS } from '../support/paths';
import { expect, launchFerryChromium, test, type FerryChromium } from './support/chromium';
import { startDeliveryServer, type DeliveryServer } from './support/delivery-server';
import { startPageServer, type PageServer } from './support/page-server';
import { ACTION_DEBUGGING_ARGS, clickToolbarButton } from './support/toolbar-action';

const shots = path.join(ARTIFACTS, 'e2e');
const PRODUCTS = ['Blue Widget', 'Red Gadget', 'Green Gizmo', 'Amber Doohickey', 'Violet Sprocket', 'Slate Thingamajig'];
const CATALOG = `<!doctype html><html lang="en"><head><title>Catalog</title>
  <style>body { font: 15px/1.4 sans-serif; margin: 24px; } .grid { display: grid; grid-template-columns: repeat(3, 200px); gap: 16px; }
  .card { border: 1px solid #ddd; border-radius: 8px; padding: 10px; } .card h2 { font-size: 17px; margin: 6px 0; }</style></head><body>
  <h1>Catalog</h1><div id="catalog" class="grid">
  ${PRODUCTS.map((name, i) => `<article class="card product"><h2 class="name">${name}</h2><span class="price">${(i + 1) * 5}.00</span> <a href="/p/${i + 1}">Details</a></article>`).join('\n')}
  </div></body></html>`;

let ferry: FerryChromium;
let api: DeliveryServer;
let pages: PageServer;

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ferry = await launchFerryChromium({ extraArgs: ACTION_DEBUGGING_ARGS });
  api = await startDeliveryServer();
  pages = await startPageServer({ '/catalog': CATALOG });
});
test.afterAll(async () => {
  await ferry?.close();
  await Promise.all([api?.close(), pages?.close()]);
});

const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

test('set up an integration and a pipeline by picking elements in the options page, send from the popup, the right-click menu and the options page, see every run', async () => {
  test.setTimeout(120_000);
  // The user opens the catalog and clicks Ferry's button there, which lets Ferry read this tab.
  const site = await ferry.context.newPage();
  await site.setViewportSize({ width: 1100, height: 700 });
  await site.goto(`${pages.url}/catalog`);
  await (await clickToolbarButton(ferry.context, ferry.extensionId, site)).close();

  // Options → Integrations: the API, saved and tested.
  const options = await ferry.openPage('options.html#/integrations', { width: 1200, height: 1000 });
  await byId(options, 'integration-add').click();
  await byId(options, 'integration-name').fill('Catalog API');
  await byId(options, 'integration-baseUrl').fill(`${api.url}/v1`);
  await byId(options, 'integration-save').click();
  await expect(byId(options, 'integration-saved')).toContainText('Saved Catalog API.');
  await byId(options, 'integration-row').first().getByTestId('integration-test').click();
  await expect(byId(options, 'integration-test-result')).toBeVisible({ timeout: 15_000 });
  await options.screenshot({ path: path.join(shots, 'chromium-journey-integrations.png'), fullPage: true });

  // Options → Pipelines → "Page → REST API", then the form, its destination from the integration.
  await options.goto(options.url().replace(/#.*$/, '#/pipelines'));
  await byId(options, 'new-pipeline-rest').click();
  await byId(options, 'pf-name').fill('Catalog to API');
  await byId(options, 'pf-id').fill('catalog-to-api');
  await byId(options, 'pf-match').fill('http://127.0.0.1/*');
  await byId(options, 'pf-integration').selectOption({ label: 'Catalog API' });
  await expect(byId(options, 'pf-url')).toHaveValue(`${api.url}/v1/items`);
  // The starter maps a "title"; this page's records have a "name": one edit in the JSON.
  const text = byId(options, 'pipeline-text');
  await text.fill((await text.inputValue()).replaceAll('extracted.title', 'extracted.name'));
  await expect(byId(options, 'pipeline-issues')).toHaveCount(0);

  // Pick on the catalog tab: hover a product's title, click, Enter.
  const tabId = await options.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, `${pages.url}/catalog`);
  await byId(options, 'pick-tab').selectOption(String(tabId));
  await byId(options, 'pick-on-tab').click();
  await expect(site.locator('ferry-picker')).toHaveCount(1);
  await site.bringToFront();
  const title = site.locator('article h2', { hasText: 'Green Gizmo' });
  const box = (await title.boundingBox())!;
  await site.mouse.move(box.x + 5, box.y + 5);
  await site.mouse.move(box.x + 10, box.y + 8);
  await site.mouse.click(box.x + 10, box.y + 8);
  await site.keyboard.press('Enter');
  await options.bringToFront();
  await expect(byId(options, 'preview-count')).toHaveText('6', { timeout: 15_000 });
  await expect(byId(options, 'source-summary')).toHaveText('Rules saved with this pipeline');
  await expect(byId(options, 'record-preview')).toContainText('Blue Widget');
  await options.screenshot({ path: path.join(shots, 'chromium-journey-pipeline-editor.png'), fullPage: true });
  await byId(options, 'pipeline-save').click();
  await expect(byId(options, 'pipeline-catalog-to-api')).toBeVisible();
  await options.screenshot({ path: path.join(shots, 'chromium-journey-pipelines.png'), fullPage: true });

  // Send from the popup, opened on the catalog (the run reads the tab in front, as for a user).
  await site.bringToFront();
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, site);
  await expect.poll(() => popup.evaluate<boolean>(`return [...document.querySelectorAll('[data-testid="send-pipeline"] option')].some((o) => o.value === 'catalog-to-api');`)).toBe(true);
  await popup.evaluate(`const s = document.querySelector('[data-testid="send-pipeline"]'); s.value = 'catalog-to-api'; s.dispatchEvent(new Event('change', { bubbles: true }));`);
  await popup.evaluate(`document.querySelector('[data-testid="send-button"]').click();`);
  await expect.poll(() => popup.evaluate<string | null>(`return document.querySelector('[data-testid="run-status"]')?.dataset.status ?? null;`), { timeout: 30_000 }).toBe('succeeded');
  await popup.close();
  await expect.poll(() => api.applied.size).toBe(6);

  // The right-click menu's handler, with the click data the browser passes for the page.
  const previewWindow = ferry.context.waitForEvent('page', (p) => p.url().includes('/preview.html'));
  const clicked = await ferry.worker.evaluate(
    ([id, url]) => (globalThis as unknown as { ferry: { contextSend: { click(info: unknown, tab: unknown): Promise<unknown> } } }).ferry.contextSend.click({ menuItemId: 'ferry-send:catalog-to-api', pageUrl: url }, { id, url, title: 'Catalog' }),
    [tabId, `${pages.url}/catalog`] as const,
  );
  expect(clicked).toMatchObject({ previewId: expect.any(String) });
  const preview = await previewWindow;
  await expect(byId(preview, 'preview-counts')).toContainText('6 to send');
  await expect(byId(preview, 'preview-mapped')).toContainText('"title": "Blue Widget"');
  await preview.screenshot({ path: path.join(shots, 'chromium-journey-send-preview.png'), fullPage: true });
  await byId(preview, 'preview-send').click();
  await expect(byId(preview, 'preview-started')).toBeVisible();
  await expect.poll(() => api.applied.size, { timeout: 30_000 }).toBe(12);
  // Every product twice (two sends), each request under its own key: nothing applied twice.
  expect(api.requests).toHaveLength(12);
  const titles = [...api.applied.values()].map((body) => (body as { title: string }).title).sort();
  expect(titles).toEqual([...PRODUCTS, ...PRODUCTS].sort());

  // And from the options page alone: the saved pipeline's editor sends the tab and opens the run.
  await options.bringToFront();
  await options.goto(options.url().replace(/#.*$/, '#/pipelines/edit/catalog-to-api'));
  await byId(options, 'pick-tab').selectOption(String(tabId));
  await byId(options, 'send-from-tab').click();
  await expect.poll(() => options.url(), { timeout: 15_000 }).toMatch(/#\/runs\/[\w-]+$/);
  await expect.poll(() => api.applied.size, { timeout: 30_000 }).toBe(18);
  await expect(options.getByText('Succeeded').first()).toBeVisible({ timeout: 15_000 });
  await options.screenshot({ path: path.join(shots, 'chromium-journey-run-detail.png'), fullPage: true });

  // The history shows all three runs.
  await options.goto(options.url().replace(/#.*$/, '#/runs'));
  await expect.poll(async () => (await options.locator('text=Catalog to API').count()) + (await options.locator('text=catalog-to-api').count()), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
  await options.screenshot({ path: path.join(shots, 'chromium-journey-runs.png'), fullPage: true });
  await options.close();
  await preview.close().catch(() => undefined);
  await site.close();
});
