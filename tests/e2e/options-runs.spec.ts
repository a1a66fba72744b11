/**
 * The options page's Runs and Credentials sections and the popup's recent runs, in real Chromium
 * with the built extension and the real host: runs started from the popup on `npm start`'s demo
 * page show up in the history; a run's detail shows its rejects, batches and audit trail; a run
 * whose endpoint refused every record lists dead letters, which are replayed from the page once the
 * endpoint works; a saved credential shows only its last 4 characters. Screenshots in artifacts/e2e/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startDemoApi, type DemoApi } from '../../scripts/lib/demo-api.mjs';
import { DEMO_PIPELINE, installDemo } from '../../scripts/lib/demo.mjs';
import { serveDemo } from '../../scripts/lib/demo-server.mjs';
import { ARTIFACTS, HOST_CLI, ROOT } from '../support/paths';
import { expect, launchFerryChromium, test, type FerryChromium } from './support/chromium';
import { ACTION_DEBUGGING_ARGS, clickToolbarButton, type PopupHandle } from './support/toolbar-action';

const shots = path.join(ARTIFACTS, 'e2e');
const GATED_ID = 'demo-gated-endpoint';
const VIEWPORT = { width: 1280, height: 900 };

/** An endpoint that answers 404 (a final outcome: straight to the dead-letter list) until it is opened. */
interface Gate {
  url: string;
  open: boolean;
  created: string[];
  refused: number;
  close(): Promise<void>;
}

async function startGate(): Promise<Gate> {
  const gate = { open: false, created: [] as string[], refused: 0 };
  const server: Server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('access-control-allow-methods', 'POST');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (!gate.open) {
        gate.refused += 1;
        return json(404, { error: 'not_found', message: 'This endpoint is not live yet.' });
      }
      gate.created.push(String(req.headers['idempotency-key']));
      json(201, { id: `gt_${gate.created.length}`, status: 'created', createdAt: new Date().toISOString() });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(gate, { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

let ferry: FerryChromium;
let api: DemoApi;
let gate: Gate;
let demo: { url: string; close(): Promise<void> };
let options: Page;

/** The system's dark setting, emulated; waits out the colour transitions so the shot is not mid-fade. */
async function dark(): Promise<void> {
  await options.emulateMedia({ colorScheme: 'dark' });
  await options.waitForTimeout(400);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ferry = await launchFerryChromium({ extraArgs: ACTION_DEBUGGING_ARGS });
  api = await startDemoApi({ delayMs: 150 });
  gate = await startGate();
  demo = await serveDemo(path.join(ROOT, 'scripts/demo'), { vars: { DEMO_API_URL: api.url } });
  options = await ferry.openPage('options.html#/overview', VIEWPORT);
  const send = async (type: string, data?: unknown) => {
    const reply = (await options.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as { ok: boolean; value?: unknown; error?: { message: string } };
    if (!reply.ok) throw new Error(`${type}: ${reply.error?.message}`);
    return reply.value;
  };
  await installDemo(send, { demoDir: path.join(ROOT, 'scripts/demo'), apiUrl: api.url });
  // The demo pipeline, pointed at the gate through its own variable.
  const row = (await send('pipelines.get', { id: DEMO_PIPELINE.id })) as { text: string };
  const text = row.text.replace(`"id": "${DEMO_PIPELINE.id}"`, `"id": "${GATED_ID}"`).replace('{{env.DEMO_API}}/v1/contacts', '{{env.GATED_API}}/v1/contacts');
  await send('env.set', { name: 'GATED_API', value: gate.url });
  await send('pipelines.save', { name: 'Demo: gated endpoint', text });
});
test.afterAll(async () => {
  await ferry?.close();
  await Promise.all([api?.close(), gate?.close(), demo?.close()]);
});

const byId = (id: string) => `document.querySelector('[data-testid="${id}"]')`;

async function waitInPopup(popup: PopupHandle, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await popup.evaluate<boolean>(`return Boolean(${expression});`)) return;
    if (Date.now() > deadline) throw new Error(`the popup never showed: ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends the demo page through a pipeline from the popup, as a user does, and waits for the run's end. */
async function sendFromPopup(popup: PopupHandle, pipelineId: string): Promise<void> {
  await waitInPopup(popup, `${byId('send-pipeline')}?.options.length === 2`);
  await popup.evaluate(`const s = ${byId('send-pipeline')}; s.value = '${pipelineId}'; s.dispatchEvent(new Event('change', { bubbles: true }));`);
  await waitInPopup(popup, `${byId('send-pipeline')}.value === '${pipelineId}'`);
  await popup.evaluate(`${byId('send-button')}.click();`);
  await waitInPopup(popup, `${byId('send-run')} && ['succeeded', 'nothingSent', 'failed'].includes(${byId('run-status')}?.dataset.status)`);
}

test('the popup starts runs and lists them under "Recent runs", within its 600 px', async () => {
  const page = await ferry.context.newPage();
  await page.goto(demo.url);
  const popup = await clickToolbarButton(ferry.context, ferry.extensionId, page);
  await waitInPopup(popup, `${byId('recent-runs-empty')} && ${byId('host-status')}?.dataset.state === 'connected'`);
  await sendFromPopup(popup, DEMO_PIPELINE.id);
  expect(await popup.evaluate(`return ${byId('run-status')}.dataset.status;`)).toBe('succeeded');
  await sendFromPopup(popup, GATED_ID);
  expect(await popup.evaluate(`return ${byId('run-status')}.dataset.status;`)).toBe('failed');
  await waitInPopup(popup, `document.querySelectorAll('[data-testid="recent-run"]').length === 2 && !document.querySelector('[data-testid="recent-run"][data-status="running"], [data-testid="recent-run"][data-status="queued"]')`);
  const statuses = await popup.evaluate<string[]>(`return [...document.querySelectorAll('[data-testid="recent-run"]')].map((li) => li.dataset.status);`);
  expect(statuses).toEqual(['failed', 'succeeded']);
  const text = await popup.evaluate<string>(`return ${byId('recent-runs-list')}.textContent;`);
  expect(text).toContain('Demo: gated endpoint');
  expect(text).toContain('Demo: page → local API');
  // Chrome caps a popup at 600 px: the page itself never grows past it, its middle scrolls.
  const size = await popup.evaluate<{ height: number; mainScrolls: boolean }>(
    `const main = ${byId('popup-main')}; return { height: document.documentElement.scrollHeight, mainScrolls: main.scrollHeight > main.clientHeight };`,
  );
  expect(size.height).toBeLessThanOrEqual(600);
  expect(size.mainScrolls).toBe(true); // the finished run's panel and the list do not fit: the middle scrolls
  await popup.evaluate(`${byId('popup-main')}.scrollTop = 1e6;`);
  await popup.screenshot(path.join(shots, 'chromium-popup-recent-runs-scrolled.png'));
  await popup.close();

  // Opened again, as a user comes back later: the runs are listed under "Send this page".
  const again = await clickToolbarButton(ferry.context, ferry.extensionId, page);
  await waitInPopup(again, `document.querySelectorAll('[data-testid="recent-run"]').length === 2 && ${byId('host-status')}?.dataset.state === 'connected'`);
  expect(await again.evaluate<string>(`return ${byId('recent-run')}.innerText;`)).toMatch(/9\s*failed/);
  await again.screenshot(path.join(shots, 'chromium-popup-recent-runs.png'));
  await again.close();
  await page.close();
});

test('Runs: the history lists both runs; a run’s detail shows rejects, batches and the audit trail', async () => {
  await options.goto(`chrome-extension://${ferry.extensionId}/options.html#/runs`);
  await expect(options.getByTestId('runs-row')).toHaveCount(2);
  await expect(options.getByTestId('runs-row').first()).toHaveAttribute('data-status', 'failed');
  await options.screenshot({ path: path.join(shots, 'chromium-options-runs.png'), fullPage: true });
  await dark();
  await options.screenshot({ path: path.join(shots, 'chromium-options-runs-dark.png'), fullPage: true });
  await options.emulateMedia({ colorScheme: 'light' });

  // Filter, then open the demo run from the history by keyboard-reachable link.
  await options.getByTestId('runs-filter-status').selectOption('succeeded');
  await expect(options.getByTestId('runs-row')).toHaveCount(1);
  await options.getByTestId('runs-row-link').first().click();
  await expect(options.getByTestId('run-detail')).toHaveAttribute('data-status', 'succeeded');
  expect(options.url()).toMatch(/#\/runs\/[0-9a-f-]{36}$/);
  await expect(options.getByTestId('run-pipeline')).toHaveText('Demo: page → local API');
  await expect(options.getByTestId('run-count-sent')).toHaveText('9');
  await expect(options.getByTestId('run-count-rejected')).toHaveText('1');
  await expect(options.getByTestId('reject-reason')).toHaveText(['email must be an email address, got "jonas.weber(at)elbtrans.example"']);
  await expect(options.getByTestId('job-row')).toHaveCount(9);
  await expect(options.locator('[data-testid="job-row"][data-status="done"]')).toHaveCount(9);
  await expect(options.getByTestId('run-jobs')).toHaveText('9 batches: 9 done.');
  await expect(options.getByTestId('audit-row')).toHaveCount(9);
  await expect(options.getByTestId('audit-row').first()).toContainText('POST');
  await expect(options.getByTestId('audit-row').first()).toContainText('/v1/contacts');
  await expect(options.getByTestId('dead-empty')).toBeVisible();
  await options.screenshot({ path: path.join(shots, 'chromium-options-runs-detail.png'), fullPage: true });
  await options.getByTestId('run-back').click();
  await expect(options.getByTestId('runs-history')).toBeVisible();
});

test('Runs: a refused run lists its dead letters; once the endpoint works they are replayed from the page', async () => {
  await options.goto(`chrome-extension://${ferry.extensionId}/options.html#/runs`);
  await options.getByTestId('runs-filter-pipeline').selectOption(GATED_ID);
  await options.getByTestId('runs-row-link').first().click();
  await expect(options.getByTestId('run-detail')).toHaveAttribute('data-status', 'failed');
  await expect(options.getByTestId('dead-item')).toHaveCount(9);
  await expect(options.getByTestId('run-error')).toContainText('9 records could not be delivered');
  await expect(options.getByTestId('run-error')).toContainText(/POST 127\.0\.0\.1:\d+\/v1\/contacts answered 404/);
  await expect(options.getByTestId('run-error')).toContainText('Next step:');
  await expect(options.getByTestId('dead-message').first()).toContainText('answered 404');
  await expect(options.locator('[data-testid="job-row"][data-status="deadLettered"]')).toHaveCount(9);
  await expect(options.getByTestId('audit-row')).toHaveCount(9);
  await options.screenshot({ path: path.join(shots, 'chromium-options-runs-failed.png'), fullPage: true });
  expect(gate.refused).toBe(9);

  gate.open = true;
  await options.getByTestId('dead-replay').first().click();
  await expect(options.getByTestId('dead-notice')).toContainText('Replayed 1 dead letter');
  await expect(options.getByTestId('dead-item')).toHaveCount(8);
  await expect.poll(() => gate.created.length).toBe(1);

  // Discard asks first; Cancel leaves the letter where it is.
  await options.getByTestId('dead-discard').first().click();
  await options.getByTestId('dead-discard-cancel').click();
  await expect(options.getByTestId('dead-item')).toHaveCount(8);

  await options.getByTestId('dead-replay-all').click();
  await expect(options.getByTestId('dead-notice')).toContainText('Replayed 8 dead letters');
  await expect(options.getByTestId('run-detail')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  await expect(options.getByTestId('dead-empty')).toBeVisible();
  await expect(options.getByTestId('run-recovered')).toContainText('9 records failed at first and went through when replayed');
  expect(gate.created.length).toBe(9);
  expect(new Set(gate.created).size).toBe(9); // each with its own original key
  // The lists follow the run: 9 replayed batches delivered, 18 requests in the audit trail.
  await expect(options.getByTestId('run-jobs')).toHaveText('18 batches: 9 done, 9 dead-lettered.');
  await expect(options.locator('[data-testid="job-row"][data-status="done"]')).toHaveCount(9);
  await expect(options.getByTestId('audit-row')).toHaveCount(18);
  await options.screenshot({ path: path.join(shots, 'chromium-options-runs-replayed.png'), fullPage: true });
});

test('Credentials: a saved secret is never shown again, only its last 4 characters', async () => {
  const secret = 'sk-test-4f9a8b7c6d5e3QRS';
  await options.goto(`chrome-extension://${ferry.extensionId}/options.html#/credentials`);
  await expect(options.getByTestId('credentials-empty')).toBeVisible();
  await expect(options.getByTestId('env-row')).toHaveCount(2); // DEMO_API, GATED_API
  await options.getByTestId('credential-save').click();
  await expect(options.getByTestId('credential-name-error')).toContainText('Enter a name');
  await options.getByTestId('credential-name').fill('demo token');
  await expect(options.getByTestId('credential-name-error')).toContainText('is not a valid credential name');
  await options.getByTestId('credential-name').fill('demoToken');
  await expect(options.getByTestId('credential-value')).toHaveAttribute('type', 'password');
  await options.getByTestId('credential-value').fill(secret);
  await options.getByTestId('credential-save').click();
  await expect(options.getByTestId('credentials-notice')).toContainText('Saved demoToken (ends in 3QRS)');
  await expect(options.getByTestId('credential-last4')).toHaveText('••••••••3QRS');
  await expect(options.getByTestId('credential-value')).toHaveValue('');
  expect(await options.content()).not.toContain(secret.slice(0, -4));
  // Reloaded from storage: still only the last 4.
  await options.reload();
  await expect(options.getByTestId('credential-last4')).toHaveText('••••••••3QRS');
  expect(await options.content()).not.toContain(secret.slice(0, -4));
  await options.screenshot({ path: path.join(shots, 'chromium-options-credentials.png'), fullPage: true });
  await dark();
  await options.screenshot({ path: path.join(shots, 'chromium-options-credentials-dark.png'), fullPage: true });
  await options.emulateMedia({ colorScheme: 'light' });
});

test('Settings lists the folders granted to the host; About shows both versions', async () => {
  await options.goto(`chrome-extension://${ferry.extensionId}/options.html#/settings`);
  await expect(options.getByTestId('roots-empty')).toContainText('npx ferry-host roots add');
  // Granted in a terminal, as the page says; Refresh asks the host again (fs.roots through host.call).
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ferry-exports-'));
  try {
    execFileSync(process.execPath, [HOST_CLI, 'roots', 'add', folder, '--name', 'exports'], { env: { ...process.env, FERRY_HOME: ferry.ferryHome }, stdio: 'pipe' });
    await options.getByTestId('roots-refresh').click();
    await expect(options.getByTestId('root-row')).toHaveCount(1);
    await expect(options.getByTestId('root-row')).toContainText('exports');
    await expect(options.getByTestId('root-row')).toContainText('read and write');
    await expect(options.getByTestId('roots-limits')).toContainText('MiB');
    await options.screenshot({ path: path.join(shots, 'chromium-options-settings.png'), fullPage: true });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  await options.goto(`chrome-extension://${ferry.extensionId}/options.html#/about`);
  await expect(options.getByTestId('about-extension-version')).toHaveText(/^\d+\.\d+\.\d+$/);
  await expect(options.getByTestId('about-host-version')).toHaveText(/^\d+\.\d+\.\d+/);
});
