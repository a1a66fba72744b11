/**
 * runs.startFromTab in real Chromium: the extractor is injected into a loopback page, and the records
 * it finds reach a loopback API exactly once.
 *
 * How the test gets access to the tab: Ferry requests no host permissions, only `activeTab`, which
 * the browser grants when the user invokes Ferry on a tab. The test invokes it the way a click on the
 * toolbar button does, through CDP `Extensions.triggerAction` (toolbar-action.ts), and then works in
 * the popup that opened, like the user. So the extension under test is the shipped build: no extra
 * host permission, no test-only variant. Without that click Ferry must be refused, and it is again
 * once the tab leaves the site (activeTab lasts until then).
 */
import type { Page } from '@playwright/test';
import { expect, launchFerryChromium, test, type FerryChromium } from './support/chromium';
import { startDeliveryServer, type DeliveryServer } from './support/delivery-server';
import { startPageServer, type PageServer } from './support/page-server';
import { ACTION_DEBUGGING_ARGS, clickToolbarButton, type PopupHandle } from './support/toolbar-action';

const PRODUCTS = `<!doctype html><title>Products</title>
  <h1>Products</h1>
  <table id="products">
    <thead><tr><th>Product name</th><th>Unit price</th><th>SKU</th></tr></thead>
    <tbody>
      <tr><td>Blue Widget</td><td>9.99</td><td>A-1</td></tr>
      <tr><td>Red Gadget</td><td>19.50</td><td>B-2</td></tr>
      <tr><td>   </td><td>0</td><td>C-3</td></tr>
      <tr><td>Green Gizmo</td><td>4.25</td><td>D-4</td></tr>
    </tbody>
  </table>`;

const CATALOG = `<!doctype html><title>Reading list</title>
  <ul class="books">
    <li class="book" data-isbn="978-0-00-000001-1"><a href="/books/dune">Dune</a> <span class="author">Frank Herbert</span><img src="covers/dune.jpg" alt=""></li>
    <li class="book" data-isbn="978-0-00-000002-8"><a href="/books/emma">Emma</a> <span class="author">Jane Austen</span><img src="covers/emma.jpg" alt=""></li>
  </ul>`;

type Reply<T> = { ok: true; value: T } | { ok: false; error: { codeName: string; message: string } };
type Run = { status: string; counts: { extracted: number; rejected: number; sent: number; failed: number } };
type Started = { runId: string; extracted: number; warnings: string[] };

let ferry: FerryChromium;
let pages: PageServer;
let api: DeliveryServer;

test.beforeAll(async () => {
  ferry = await launchFerryChromium({ extraArgs: ACTION_DEBUGGING_ARGS });
  pages = await startPageServer({ '/products': PRODUCTS, '/catalog/': CATALOG, '/elsewhere': '<title>Elsewhere</title><p>Moved on.</p>' });
});
test.afterAll(async () => {
  await ferry?.close();
  await pages?.close();
});
test.beforeEach(async () => {
  api = await startDeliveryServer();
});
test.afterEach(async () => {
  await api.close();
});

const pipeline = (id: string, mapping: Record<string, string>) => ({
  version: 1,
  id,
  name: id,
  source: { type: 'supplied' },
  steps: [
    { dataTransformation: { mapping, validation: { required: ['name'] } } },
    { http: { method: 'POST', url: `${api.url}/items`, headers: { 'Content-Type': 'application/json' }, body: { data: '{{transformedData}}', page: '{{source.url}}', title: '{{source.title}}' } } },
  ],
});

/** A message from an extension page, as the UI sends it. */
async function send<T>(page: Page, type: string, data?: unknown): Promise<Reply<T>> {
  return (await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as Reply<T>;
}

function sendFromPopup<T>(popup: PopupHandle, type: string, data: unknown): Promise<Reply<T>> {
  return popup.evaluate<Reply<T>>(`return chrome.runtime.sendMessage({ ferry: 1, type: ${JSON.stringify(type)}, data: ${JSON.stringify(data)} });`);
}

function value<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`${reply.error.codeName}: ${reply.error.message}`);
  return reply.value;
}

async function finishedRun(page: Page, runId: string): Promise<Run> {
  await expect.poll(async () => value(await send<Run>(page, 'runs.get', { runId })).status, { timeout: 30_000, intervals: [200] }).toMatch(/^(succeeded|nothingSent|failed)$/);
  return value(await send<Run>(page, 'runs.get', { runId }));
}

async function openSite(pathname: string): Promise<Page> {
  const page = await ferry.context.newPage();
  await page.goto(`${pages.url}${pathname}`);
  return page;
}

test('from the popup on a product table: automatic mode finds the rows, and each valid one is delivered once', async () => {
  const site = await openSite('/products');
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, site);
  // No tabId: the popup's run uses the active tab, the one the user clicked Ferry on.
  const started = value(await sendFromPopup<Started>(popup, 'runs.startFromTab', { pipeline: pipeline('tab-products', { name: '{{extracted.productName}}', price: '{{extracted.unitPrice}}', sku: '{{extracted.sku}}' }) }));
  await popup.close();
  expect(started).toMatchObject({ extracted: 4, warnings: [] });

  const status = await ferry.openPage('options.html');
  const run = await finishedRun(status, started.runId);
  expect(run.status).toBe('succeeded');
  expect(run.counts).toMatchObject({ extracted: 4, rejected: 1, sent: 3, failed: 0 });
  // Exactly once: one request per valid row, no re-sends, each applied under its own key.
  expect(api.requests).toHaveLength(3);
  expect(api.applied.size).toBe(3);
  // The run sends in several lanes at once, so requests may arrive in any order.
  const bySku = (a: unknown, b: unknown) => ((a as { data: { sku: string } }).data.sku < (b as { data: { sku: string } }).data.sku ? -1 : 1);
  expect(api.requests.map((r) => r.body).sort(bySku)).toEqual([
    { data: { name: 'Blue Widget', price: '9.99', sku: 'A-1' }, page: `${pages.url}/products`, title: 'Products' },
    { data: { name: 'Red Gadget', price: '19.50', sku: 'B-2' }, page: `${pages.url}/products`, title: 'Products' },
    { data: { name: 'Green Gizmo', price: '4.25', sku: 'D-4' }, page: `${pages.url}/products`, title: 'Products' },
  ]);
  const rejects = value(await send<{ record: unknown }[]>(status, 'runs.rejects', { runId: started.runId }));
  expect(rejects.map((r) => r.record)).toEqual([{ productName: '', unitPrice: '0', sku: 'C-3' }]);
  await status.close();
  await site.close();
});

test('a saved pipeline with a selector config, started for a chosen tab from another Ferry page', async () => {
  const site = await openSite('/catalog/');
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, site);
  await popup.close(); // the grant outlives the popup; it ends when the tab leaves the site
  const document = pipeline('tab-books', { name: '{{extracted.title}}', url: '{{extracted.url}}', cover: '{{extracted.cover}}', author: '{{extracted.author}}', isbn: '{{extracted.isbn}}' });
  await ferry.worker.evaluate(async (doc) => {
    const { runs } = (globalThis as unknown as { ferry: { runs: { pipelines(): Promise<{ save(row: unknown): Promise<unknown> }> } } }).ferry;
    await (await runs.pipelines()).save({ id: 'tab-books', name: 'Books', document: doc });
  }, document);

  const options = await ferry.openPage('options.html');
  // Ferry sees the URL of a tab only while it has access to it: that is how the page finds the tab.
  const tabId = await options.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, `${pages.url}/catalog/`);
  expect(tabId).toBeDefined();
  const extractor = { itemSelector: 'li.book', fields: { title: 'a', url: 'a@href', author: '.author', cover: 'img@src', isbn: '@data-isbn' } };
  const started = value(await send<Started>(options, 'runs.startFromTab', { tabId, pipelineId: 'tab-books', extractor }));
  expect(started).toMatchObject({ extracted: 2, warnings: [] });
  const run = await finishedRun(options, started.runId);
  expect(run).toMatchObject({ status: 'succeeded', counts: { extracted: 2, rejected: 0, sent: 2, failed: 0 } });
  expect(api.requests).toHaveLength(2);
  expect(api.applied.size).toBe(2);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  expect(api.requests.map((r) => (r.body as { data: { name: string } }).data).sort(byName)).toEqual([
    { name: 'Dune', url: `${pages.url}/books/dune`, cover: `${pages.url}/catalog/covers/dune.jpg`, author: 'Frank Herbert', isbn: '978-0-00-000001-1' },
    { name: 'Emma', url: `${pages.url}/books/emma`, cover: `${pages.url}/catalog/covers/emma.jpg`, author: 'Jane Austen', isbn: '978-0-00-000002-8' },
  ]);

  // A selector that matches nothing, and a config with a mistake, start nothing and say why.
  const empty = await send<Started>(options, 'runs.startFromTab', { tabId, pipelineId: 'tab-books', extractor: { itemSelector: 'li.film', fields: { title: 'a' } } });
  expect(empty).toMatchObject({ ok: false, error: { codeName: 'EXTRACTION_EMPTY' } });
  const invalid = await send<Started>(options, 'runs.startFromTab', { tabId, pipelineId: 'tab-books', extractor: { itemSelector: 'li.book', fields: { title: 'a@' } } });
  expect(invalid).toMatchObject({ ok: false, error: { codeName: 'EXTRACTOR_INVALID' } });
  expect(!invalid.ok && invalid.error.message).toContain('extractor.fields.title: expected an attribute name after "@"');
  expect(api.requests).toHaveLength(2);
  await options.close();
  await site.close();
});

test('without the user invoking Ferry on the tab, or after the tab left the site, Ferry may not read it', async () => {
  const status = await ferry.openPage('options.html');
  const tabIds = async () => new Set(await status.evaluate(async () => (await chrome.tabs.query({})).map((t) => t.id!)));
  const known = await tabIds();
  const site = await openSite('/products');
  const [tabId] = [...(await tabIds())].filter((id) => !known.has(id));
  const doc = pipeline('tab-denied', { name: '{{extracted.productName}}' });

  const denied = await send<Started>(status, 'runs.startFromTab', { tabId, pipeline: doc });
  expect(denied).toMatchObject({ ok: false, error: { codeName: 'EXTRACTION_TAB_ACCESS_DENIED' } });
  expect(!denied.ok && denied.error.message).toMatch(/click Ferry's toolbar button to open its popup on it/);

  // Granted by the click, then gone once the tab leaves the site (same-origin navigation keeps it).
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, site);
  await popup.close();
  await site.goto(`${pages.url.replace('127.0.0.1', 'localhost')}/elsewhere`);
  const afterNavigation = await send<Started>(status, 'runs.startFromTab', { tabId, pipeline: doc });
  expect(afterNavigation).toMatchObject({ ok: false, error: { codeName: 'EXTRACTION_TAB_ACCESS_DENIED' } });

  // Ferry's own page is never a source.
  const ownTab = await status.evaluate(async () => (await chrome.tabs.getCurrent())?.id);
  const ownPage = await send<Started>(status, 'runs.startFromTab', { tabId: ownTab, pipeline: doc });
  expect(ownPage).toMatchObject({ ok: false, error: { codeName: 'EXTRACTION_TAB_NOT_SCRIPTABLE' } });
  expect(api.requests).toHaveLength(0);
  await status.close();
  await site.close();
});
