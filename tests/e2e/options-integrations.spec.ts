/**
 * Options → Integrations in real Chromium with the built extension and the real host: a REST
 * integration pointed at a local server is created (a secret typed in plain text is refused inline
 * first), tested with its bearer token from the vault, then tested with a refused one; a SQLite
 * database integration is created and tested through the native host; a folder granted in a
 * terminal is listed and tested; the pipeline editor fills its delivery step from the integration;
 * the popup shows each integration's health; a PostgreSQL integration as the superuser is tested and
 * warned about. Screenshots in artifacts/e2e/chromium-options-integrations*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, HOST_CLI } from '../support/paths';
import { expect, launchFerryChromium, test, type FerryChromium } from './support/chromium';

const shots = path.join(ARTIFACTS, 'e2e');
const TOKEN = 'e2e-token-8c41f0a9b2d7';
const VIEWPORT = { width: 1280, height: 900 };

let ferry: FerryChromium;
let options: Page;
let api: { url: string; seen: IncomingHttpHeaders[]; close(): Promise<void> };
let folder: string;

/** A local API that answers CORS for anyone (so no host permission is needed) and wants the bearer token. */
async function startApi(): Promise<typeof api> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'Authorization, X-Client, Content-Type');
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('access-control-allow-private-network', 'true');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    seen.push(req.headers);
    if (req.url !== '/v1/health') return void res.writeHead(404).end();
    const ok = req.headers.authorization === `Bearer ${TOKEN}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { status: 'ok' } : { error: 'unauthorized' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function send(type: string, data?: unknown): Promise<unknown> {
  const reply = (await options.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(`${type}: ${reply.error?.message}`);
  return reply.value;
}

async function shot(name: string, page: Page = options): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function darkShot(name: string, page: Page = options): Promise<void> {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(400);
  await shot(name, page);
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ferry = await launchFerryChromium();
  api = await startApi();
  folder = mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-exports-'));
  options = await ferry.openPage('options.html#/integrations', VIEWPORT);
  await send('credentials.set', { name: 'apiToken', value: TOKEN });
  await send('credentials.set', { name: 'oldToken', value: 'e2e-revoked-5511aa' });
});
test.afterAll(async () => {
  await ferry?.close();
  await api?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test('a REST integration: refused plain secret, saved with a reference, tested against the local API', async () => {
  await expect(options.getByTestId('integrations-empty')).toBeVisible();
  await shot('chromium-options-integrations-empty');
  await options.getByTestId('integration-add').click();
  await options.getByTestId('integration-name').fill('Local API');
  await expect(options.getByTestId('integration-id')).toHaveValue('local-api');
  await options.getByTestId('integration-baseUrl').fill(`${api.url}/v1`);
  await options.getByTestId('integration-healthPath').fill('/health');
  await options.getByTestId('integration-headers').fill('X-Client: ferry-e2e');
  await options.getByTestId('integration-authType').selectOption('bearer');
  await options.getByTestId('integration-token').fill(TOKEN);
  await options.getByTestId('integration-save').click();
  await expect(options.getByTestId('integration-token-error')).toContainText('a credential reference');
  await expect(options.getByTestId('integration-token')).toBeFocused();
  await shot('chromium-options-integrations-form-invalid');
  await options.getByTestId('integration-token').fill('{{credentials.apiToken}}');
  await expect(options.getByTestId('integration-token-error')).toHaveCount(0);
  await options.getByTestId('integration-save').click();
  await expect(options.getByTestId('integration-saved')).toContainText('Saved Local API.');
  await expect(options.getByTestId('integration-row')).toHaveCount(1);

  const row = options.getByTestId('integration-row').first();
  await row.getByTestId('integration-test').click();
  const result = row.getByTestId('integration-test-result');
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(result).toContainText(`Reachable: GET ${api.url.replace('http://', '')}/v1/health answered 200`);
  expect(api.seen.at(-1)).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-client': 'ferry-e2e' });
  await expect(row.getByTestId('integration-last-test')).toContainText('Test passed');
  await expect(row.getByTestId('integration-breaker')).toHaveAttribute('data-state', 'closed');
  expect(await options.content()).not.toContain(TOKEN);

  // A revoked token: reachable, credentials refused.
  await row.getByTestId('integration-edit').click();
  await expect(options.getByTestId('integration-id')).toHaveAttribute('readonly', '');
  await options.getByTestId('integration-token').fill('{{credentials.oldToken}}');
  await options.getByTestId('integration-save').click();
  await expect(options.getByTestId('integration-saved')).toContainText('Updated Local API.');
  await options.getByTestId('integration-row').first().getByTestId('integration-test').click();
  await expect(options.getByTestId('integration-test-result')).toHaveAttribute('data-ok', 'false');
  await expect(options.getByTestId('integration-test-result')).toContainText('Reachable, credentials refused');
  await expect(options.getByTestId('integration-last-test')).toHaveText(/Credentials refused/);
  expect(await options.content()).not.toContain('e2e-revoked');
  await shot('chromium-options-integrations-refused');
  // Back to the working token.
  await options.getByTestId('integration-edit').click();
  await options.getByTestId('integration-token').fill('{{credentials.apiToken}}');
  await options.getByTestId('integration-save').click();
  await options.getByTestId('integration-test').click();
  await expect(options.getByTestId('integration-test-result')).toHaveAttribute('data-ok', 'true');
});

test('a SQLite database integration, tested through the native host', async () => {
  await options.getByTestId('integration-add').click();
  await options.getByTestId('integration-kind-database').check({ force: true });
  await options.getByTestId('integration-name').fill('Local SQLite');
  await options.getByTestId('integration-dbDatabase').fill('e2e-integrations.sqlite');
  await options.getByTestId('integration-save').click();
  await expect(options.getByTestId('integration-row')).toHaveCount(2);
  const row = options.locator('[data-testid="integration-row"][data-id="local-sqlite"]');
  await expect(row.getByTestId('integration-kind')).toHaveText('Database');
  await row.getByTestId('integration-test').click();
  await expect(row.getByTestId('integration-test-result')).toHaveAttribute('data-ok', 'true', { timeout: 20_000 });
  await expect(row.getByTestId('integration-test-result')).toContainText('Connected: SELECT 1 on sqlite:e2e-integrations.sqlite');
});

test('a folder granted in a terminal is listed with the command, and tested', async () => {
  await expect(options.getByTestId('roots-empty')).toContainText('npx ferry-host roots add');
  execFileSync(process.execPath, [HOST_CLI, 'roots', 'add', folder, '--name', 'exports'], { env: { ...process.env, FERRY_HOME: ferry.ferryHome }, stdio: 'pipe' });
  await options.getByTestId('roots-refresh').click();
  await expect(options.getByTestId('root-row')).toHaveCount(1);
  await options.getByTestId('root-test').click();
  await expect(options.getByTestId('root-test-result')).toHaveText('Readable (empty)');
  await shot('chromium-options-integrations');
  await darkShot('chromium-options-integrations-dark');
});

test('the pipeline editor copies an integration into the delivery step', async () => {
  await options.goto(`chrome-extension://${ferry.extensionId}/options.html#/pipelines/new/rest`);
  await options.getByTestId('pf-integration').selectOption('local-api');
  await expect(options.getByTestId('pf-url')).toHaveValue(`${api.url}/v1/items`);
  const doc = JSON.parse(await options.getByTestId('pipeline-text').inputValue());
  expect(doc.steps.at(-1).http).toMatchObject({ headers: { 'X-Client': 'ferry-e2e' }, auth: { type: 'bearer', token: '{{credentials.apiToken}}' } });
  await options.getByTestId('pipeline-form').screenshot({ path: path.join(shots, 'chromium-options-integrations-pipeline.png') });
});

test('the popup shows each integration’s health under the host card, within 600 px', async () => {
  const popup = await ferry.openPage('popup.html', { width: 360, height: 600 });
  await expect(popup.getByTestId('host-status')).toHaveAttribute('data-state', 'connected');
  await expect(popup.getByTestId('popup-integration')).toHaveCount(2);
  await expect(popup.locator('[data-testid="popup-integration"][data-id="local-api"]')).toContainText('Test passed');
  await expect(popup.locator('[data-testid="popup-integration"][data-id="local-sqlite"]')).toContainText('Test passed');
  for (const id of ['send-page', 'recent-runs', 'popup-main', 'open-settings']) await expect(popup.getByTestId(id)).toHaveCount(1);
  expect(await popup.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(600);
  await popup.getByTestId('popup-main').evaluate((main) => (main.scrollTop = 1e6));
  await shot('chromium-options-integrations-popup', popup);
  await darkShot('chromium-options-integrations-popup-dark', popup);
  await popup.close();
});

test('a PostgreSQL integration that logs in as the superuser: connected, with what it may do, why its SQL steps will not run, and what to do instead', async () => {
  await options.goto(`chrome-extension://${ferry.extensionId}/options.html#/integrations`);
  await options.getByTestId('integration-add').click();
  await options.getByTestId('integration-kind-database').check({ force: true });
  await options.getByTestId('integration-name').fill('Warehouse as superuser');
  await options.getByTestId('integration-dbType').selectOption('postgresql');
  await options.getByTestId('integration-dbDatabase').fill('test');
  await options.getByTestId('integration-dbHost').fill('127.0.0.1');
  await options.getByTestId('integration-dbPort').fill('5432');
  await options.getByTestId('integration-dbUsername').fill('postgres');
  await options.getByTestId('integration-save').click();
  const row = options.locator('[data-testid="integration-row"]', { hasText: 'Warehouse as superuser' });
  await row.getByTestId('integration-test').click();
  const result = row.getByTestId('integration-test-result');
  await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 20_000 });
  await expect(result).toContainText('Connected as postgres on postgresql:127.0.0.1:5432/test');
  await expect(row.getByTestId('integration-test-warning')).toContainText('which is a superuser');
  await expect(row.getByTestId('integration-test-warning')).toContainText('runs none of this connection’s own SQL');
  await expect(row.getByTestId('integration-test-warning')).toContainText('"allowPrivilegedRole": true');
  await expect(row.getByTestId('integration-last-test')).toContainText('Passed, with a warning');
  await row.screenshot({ path: path.join(shots, 'chromium-options-integrations-postgres-superuser.png') });
  const id = await row.getAttribute('data-id');
  expect(await send('integrations.delete', { id })).toEqual({ deleted: true });
});
