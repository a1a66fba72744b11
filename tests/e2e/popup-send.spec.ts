/**
 * "Send this page" in the real popup, opened the way a user opens it (a toolbar click, through CDP
 * `Extensions.triggerAction`, which also grants Ferry the tab): on `npm start`'s demo page with its
 * demo pipeline and demo API, the popup follows the run to the end, and the API stores each valid
 * contact exactly once. Screenshots of every state land in artifacts/e2e/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startDemoApi, type DemoApi } from '../../scripts/lib/demo-api.mjs';
import { installDemo } from '../../scripts/lib/demo.mjs';
import { serveDemo } from '../../scripts/lib/demo-server.mjs';
import { ARTIFACTS, ROOT } from '../support/paths';
import { expect, launchFerryChromium, test, type FerryChromium } from './support/chromium';
import { startPageServer, type PageServer } from './support/page-server';
import { ACTION_DEBUGGING_ARGS, clickToolbarButton, type PopupHandle } from './support/toolbar-action';

const shots = path.join(ARTIFACTS, 'e2e');
let ferry: FerryChromium;
let api: DemoApi;
let demo: { url: string; close(): Promise<void> };
let other: PageServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ferry = await launchFerryChromium({ extraArgs: ACTION_DEBUGGING_ARGS });
  // Each POST is held back a little, so the popup can be seen mid-run.
  api = await startDemoApi({ delayMs: 700 });
  demo = await serveDemo(path.join(ROOT, 'scripts/demo'), { vars: { DEMO_API_URL: api.url } });
  other = await startPageServer({ '/notes': '<!doctype html><title>Meeting notes</title><h1>Meeting notes</h1><p>Nothing tabular here.</p>' });
});
test.afterAll(async () => {
  await ferry?.close();
  await Promise.all([api?.close(), demo?.close(), other?.close()]);
});

/** Ferry messages from one of its own pages, as `npm start` saves the demo. */
async function fromOptionsPage<T>(work: (send: (type: string, data?: unknown) => Promise<unknown>) => Promise<T>): Promise<T> {
  const page = await ferry.openPage('options.html');
  try {
    return await work(async (type, data) => {
      const reply = (await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as { ok: boolean; value?: unknown; error?: { message: string } };
      if (!reply.ok) throw new Error(`${type}: ${reply.error?.message}`);
      return reply.value;
    });
  } finally {
    await page.close();
  }
}

async function openTab(url: string): Promise<Page> {
  const page = await ferry.context.newPage();
  await page.goto(url);
  return page;
}

/** Waits until `expression` (evaluated in the popup) is truthy. */
async function waitInPopup(popup: PopupHandle, expression: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await popup.evaluate<boolean>(`return Boolean(${expression});`)) return;
    if (Date.now() > deadline) throw new Error(`the popup never showed: ${expression}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

const byId = (id: string) => `document.querySelector('[data-testid="${id}"]')`;
const textOf = (popup: PopupHandle, id: string) => popup.evaluate<string | null>(`return ${byId(id)}?.textContent ?? null;`);
const statusOf = (popup: PopupHandle) => popup.evaluate<string | null>(`return ${byId('run-status')}?.dataset.status ?? null;`);
const click = (popup: PopupHandle, id: string) => popup.evaluate(`${byId(id)}.click();`);

test('with no saved pipeline the popup says where one comes from', async () => {
  const page = await openTab(demo.url);
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, page);
  await waitInPopup(popup, `${byId('send-no-pipelines')} && ${byId('host-status')}?.dataset.state === 'connected'`);
  expect(await textOf(popup, 'send-no-pipelines')).toContain('npm start saves a demo pipeline');
  await popup.screenshot(path.join(shots, 'chromium-popup-send-no-pipelines.png'));
  await popup.close();
  await page.close();
});

test('Send on the demo page: the popup shows the run to the end, and the API stores each valid contact once', async () => {
  await fromOptionsPage((send) => installDemo(send, { demoDir: path.join(ROOT, 'scripts/demo'), apiUrl: api.url }));
  const page = await openTab(demo.url);
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, page);
  await waitInPopup(popup, `${byId('send-pipeline')}?.value === 'demo-page-to-api' && ${byId('host-status')}?.dataset.state === 'connected'`);
  expect(await popup.evaluate<string[]>(`return [...${byId('send-pipeline')}.options].map((o) => o.textContent);`)).toEqual(['Demo: page → local API']);
  await popup.screenshot(path.join(shots, 'chromium-popup-send-ready.png'));

  await click(popup, 'send-button');
  // Mid-run: some contacts sent, the rejected one already counted, the badge still running.
  await waitInPopup(popup, `${byId('run-status')}?.dataset.status === 'running' && Number(${byId('run-sent')}?.textContent) > 0`);
  await popup.screenshot(path.join(shots, 'chromium-popup-send-running.png'));
  const midway = Number(await popup.evaluate<string>(`return ${byId('run-progress')}.getAttribute('aria-valuenow');`));
  expect(midway).toBeGreaterThan(0);
  expect(midway).toBeLessThan(100);

  await waitInPopup(popup, `['succeeded', 'nothingSent', 'failed'].includes(${byId('run-status')}?.dataset.status)`, 30_000);
  expect(await statusOf(popup)).toBe('succeeded');
  expect(await textOf(popup, 'run-extracted')).toBe('10');
  expect(await textOf(popup, 'run-sent')).toBe('9');
  expect(await textOf(popup, 'run-rejected')).toBe('1');
  expect(await textOf(popup, 'run-failed')).toBe('0');
  expect(await textOf(popup, 'run-progress-text')).toBe('10 of 10 records processed');
  await waitInPopup(popup, `${byId('run-rejects')}?.textContent.includes('got')`);
  expect(await textOf(popup, 'run-rejects')).toContain('1 record was rejected and not sent');
  expect(await textOf(popup, 'run-rejects')).toContain('email must be an email address, got "jonas.weber(at)elbtrans.example"');
  expect(await popup.evaluate(`return ${byId('run-failure')} === null;`)).toBe(true);
  await popup.screenshot(path.join(shots, 'chromium-popup-send-succeeded.png'));
  await popup.close();

  // What the API stored: the nine valid contacts, each once, each under its own Idempotency-Key.
  const emails = api.contacts.map((c) => c.contact.email as string);
  expect(new Set(emails).size).toBe(9);
  expect(emails).not.toContain('jonas.weber(at)elbtrans.example');
  expect(new Set(api.contacts.map((c) => c.idempotencyKey)).size).toBe(9);
  expect(api.stats).toMatchObject({ created: 9, refused: 0 });
  expect(api.contacts[0]).toMatchObject({ metadata: { source: 'ferry-demo', page: demo.url } });
  await page.close();
});

test('a page without records: the popup says so in plain words, with the next step', async () => {
  const page = await openTab(`${other.url}/notes`);
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, page);
  await waitInPopup(popup, `${byId('send-pipeline')}?.value && ${byId('host-status')}?.dataset.state === 'connected'`);
  await click(popup, 'send-button');
  await waitInPopup(popup, byId('send-problem'));
  const problem = (await textOf(popup, 'send-problem')) ?? '';
  expect(problem).toContain('No records found on this page');
  expect(problem.length).toBeGreaterThan('No records found on this page'.length + 20); // the background's explanation and next step
  expect(await popup.evaluate(`return ${byId('send-run')} === null;`)).toBe(true);
  await popup.screenshot(path.join(shots, 'chromium-popup-send-error.png'));
  await popup.close();
  await page.close();
});

test('a run that fails says why: the run’s error and the first dead letter’s outcome', async () => {
  // The demo pipeline pointed at an endpoint the API does not have: every POST answers 404 (final).
  await fromOptionsPage(async (send) => {
    const row = (await send('pipelines.get', { id: 'demo-page-to-api' })) as { text: string };
    const text = row.text.replace('"id": "demo-page-to-api"', '"id": "demo-wrong-endpoint"').replace('/v1/contacts', '/v1/leads');
    await send('pipelines.save', { name: 'Demo: wrong endpoint', text });
  });
  const before = api.contacts.length;
  const page = await openTab(demo.url);
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, page);
  await waitInPopup(popup, `${byId('send-pipeline')}?.options.length === 2 && ${byId('host-status')}?.dataset.state === 'connected'`);
  // Choose the second pipeline as a user does: the select's value changes, then "change" fires.
  await popup.evaluate(`const s = ${byId('send-pipeline')}; s.value = 'demo-wrong-endpoint'; s.dispatchEvent(new Event('change', { bubbles: true }));`);
  await waitInPopup(popup, `${byId('send-pipeline')}.value === 'demo-wrong-endpoint'`);
  await click(popup, 'send-button');
  await waitInPopup(popup, `['succeeded', 'nothingSent', 'failed'].includes(${byId('run-status')}?.dataset.status) && ${byId('run-failure')}?.textContent.includes('404')`, 30_000);
  expect(await statusOf(popup)).toBe('failed');
  expect(await textOf(popup, 'run-failed')).toBe('9');
  const failure = (await textOf(popup, 'run-failure')) ?? '';
  expect(failure).toContain('9 records could not be delivered');
  expect(failure).toContain('Replay the dead letter once the cause is fixed');
  expect(failure).toMatch(/POST 127\.0\.0\.1:\d+\/v1\/leads answered 404/);
  await popup.screenshot(path.join(shots, 'chromium-popup-send-failed.png'));
  await popup.close();
  expect(api.contacts.length).toBe(before);
  await page.close();
});
