/**
 * The vault lock and OAuth connections as a user meets them, in the built extension in real
 * Chromium: the options page's Credentials section and the popup, driven through their controls.
 *
 * - A passphrase set in the options page, the auto-lock chosen, Lock now; a run that needs a
 *   credential waits; the popup shows "Ferry is locked" with the waiting run, refuses a wrong
 *   passphrase in plain words, and its unlock lets the run finish.
 * - An OAuth connection made from the options page with the seed's block pasted as text, through
 *   the local authorization server's login and consent pages (tests/support/servers/oauth-server.ts)
 *   in the window launchWebAuthFlow opens; its tokens listed as managed by the connection.
 * - The server revokes every token; "Refresh now" turns the connection into "needs reconnect" in the
 *   options page and in the popup, whose button opens the options page at #/credentials.
 *
 * Screenshots: artifacts/e2e/chromium-options-vault*.png, chromium-popup-locked*.png,
 * chromium-options-oauth*.png, chromium-popup-reconnect.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { EXTENSION_ID } from '../../src/protocol/identity';
import { ARTIFACTS } from '../support/paths';
import { startOAuthServer, type OAuthServer } from '../support/servers/oauth-server';
import { startDeliveryServer, type DeliveryServer } from './support/delivery-server';
import { expect, launchFerryChromium, test, type FerryChromium } from './support/chromium';

const shots = path.join(ARTIFACTS, 'e2e');
const REDIRECT = `https://${EXTENSION_ID}.chromiumapp.org/`;
const CLIENT_SECRET = 'cs_vault_ui_CANARY';
const PASS = 'three quiet harbour lamps';
const POPUP = { width: 360, height: 600 };

type Reply<T> = { ok: true; value: T } | { ok: false; error: { message: string; codeName: string } };

test.describe.configure({ mode: 'serial' });

let ferry: FerryChromium;
let server: OAuthServer;
let api: DeliveryServer;
let options: Page;

async function send<T>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = (await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as Reply<T>;
  if (!reply.ok) throw new Error(`${type}: ${reply.error.codeName}: ${reply.error.message}`);
  return reply.value;
}

/** The system's dark setting, emulated; waits out the colour transitions so the shot is not mid-fade. */
async function dark(page: Page): Promise<void> {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(400);
}

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ferry = await launchFerryChromium();
  server = await startOAuthServer({ clientId: 'ferry-ui', clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT], allowedOrigin: `chrome-extension://${EXTENSION_ID}` });
  api = await startDeliveryServer();
  options = await ferry.openPage('options.html#/credentials', { width: 1100, height: 900 });
});

test.afterAll(async () => {
  await ferry?.close();
  await Promise.all([server?.close(), api?.close()]);
});

test('a passphrase set in the options page, auto-lock chosen, then Lock now', async () => {
  await send(options, 'credentials.set', { name: 'demoToken', value: 'tok_vault_ui_0123456789' });
  const lock = options.getByTestId('vault-lock');
  await expect(options.getByTestId('vault-state')).toHaveAttribute('data-state', 'no-passphrase');

  await lock.getByTestId('vault-new').fill('short');
  await expect(lock.getByTestId('passphrase-strength')).toContainText('At least 8 characters');
  await lock.getByTestId('vault-confirm').fill('short');
  await lock.getByTestId('vault-set-submit').click();
  await expect(lock.getByTestId('vault-form-error')).toContainText('A passphrase needs at least 8 characters'); // the background's rule
  await lock.getByTestId('vault-new').fill(PASS);
  await lock.getByTestId('vault-confirm').fill(PASS);
  await expect(lock.getByTestId('passphrase-strength')).toHaveAttribute('data-level', '3');
  await options.screenshot({ path: path.join(shots, 'chromium-options-vault-set.png'), fullPage: true });
  await lock.getByTestId('vault-set-submit').click();
  await expect(options.getByTestId('vault-state')).toHaveAttribute('data-state', 'unlocked', { timeout: 15_000 });
  await expect(lock.getByTestId('vault-notice')).toContainText('Passphrase set.');

  await lock.getByTestId('vault-autolock').selectOption('15');
  await expect(lock.getByTestId('vault-notice')).toHaveText('Ferry locks itself after 15 minutes without use.');
  await expect(lock.getByTestId('vault-unlocked-note')).toContainText('after 15 minutes without use');
  expect(await send(options, 'vault.status')).toMatchObject({ state: 'unlocked', autoLockMinutes: 15 });
  await options.screenshot({ path: path.join(shots, 'chromium-options-vault.png'), fullPage: true });
  await dark(options);
  await options.screenshot({ path: path.join(shots, 'chromium-options-vault-dark.png'), fullPage: true });
  await options.emulateMedia({ colorScheme: 'light' });

  await lock.getByTestId('vault-lock-now').click();
  await expect(options.getByTestId('vault-state')).toHaveAttribute('data-state', 'locked');
  await expect(lock.getByTestId('vault-unlock-passphrase')).toBeVisible();
});

test('a run waits for the unlock; the popup shows "Ferry is locked" and its unlock lets the run finish', async () => {
  const pipeline = {
    version: 1, id: 'vault-ui', name: 'Vault UI', source: { type: 'supplied' },
    steps: [{ http: { method: 'POST', url: `${api.url}/items`, auth: { type: 'bearer', token: '{{credentials.demoToken}}' }, body: '{{transformedData}}' } }],
  };
  const { runId } = await send<{ runId: string }>(options, 'runs.start', { pipeline, records: [{ n: 1 }] });
  await expect.poll(async () => (await send<{ waiting: boolean }>(options, 'vault.status')).waiting, { timeout: 15_000 }).toBe(true);
  // The options page shows the waiting run within its 3 s poll.
  await expect(options.getByTestId('vault-waiting')).toBeVisible({ timeout: 10_000 });
  await options.screenshot({ path: path.join(shots, 'chromium-options-vault-locked.png'), fullPage: true });

  const popup = await ferry.openPage('popup.html', POPUP);
  const card = popup.getByTestId('popup-locked');
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute('data-waiting', 'true');
  await expect(card).toContainText('A run is waiting for a saved credential.');
  // The existing cards stay, below it, within the popup's 600 px.
  await expect(popup.getByTestId('send-page')).toBeAttached();
  expect(await popup.evaluate(() => document.body.scrollHeight)).toBeLessThanOrEqual(600);
  await popup.screenshot({ path: path.join(shots, 'chromium-popup-locked.png') });

  await card.getByTestId('vault-unlock-passphrase').fill('not the passphrase');
  await card.getByTestId('vault-unlock-submit').click();
  await expect(card.getByTestId('vault-unlock-error')).toContainText('That passphrase is not right');
  await popup.screenshot({ path: path.join(shots, 'chromium-popup-locked-wrong.png') });
  await dark(popup);
  await popup.screenshot({ path: path.join(shots, 'chromium-popup-locked-dark.png') });
  await popup.emulateMedia({ colorScheme: 'light' });
  expect(api.requests).toHaveLength(0);

  await card.getByTestId('vault-unlock-passphrase').fill(PASS);
  await card.getByTestId('vault-unlock-submit').click();
  await expect(popup.getByTestId('popup-unlocked')).toHaveText('Ferry is unlocked. Waiting runs continue.');
  await expect(popup.getByTestId('popup-locked')).toHaveCount(0);
  await expect.poll(async () => (await send<{ status: string }>(options, 'runs.get', { runId })).status, { timeout: 20_000, intervals: [200] }).toBe('succeeded');
  expect(api.requests).toHaveLength(1);
  await expect(options.getByTestId('vault-state')).toHaveAttribute('data-state', 'unlocked', { timeout: 10_000 });
  await popup.close();
});

test('an OAuth connection made from the options page through the sign-in window; its tokens listed as managed', async () => {
  await send(options, 'credentials.set', { name: 'clientId', value: 'ferry-ui' });
  await send(options, 'credentials.set', { name: 'clientSecret', value: CLIENT_SECRET });
  await options.reload();
  const card = options.getByTestId('oauth-connections');
  await expect(card.getByTestId('oauth-empty')).toBeVisible();

  const { authUrl, tokenUrl, revocationUrl } = server.endpoints;
  await card.getByTestId('oauth-name').fill('svc');
  // A mistake first: the page names it with its JSON path before any window opens.
  await card.getByTestId('oauth-config').fill(`{ "oauthConfig": { "authUrl": "${authUrl}", "tokenUrl": "ftp://example.com/token", "clientId": "{{credentials.clientId}}" } }`);
  await card.getByTestId('oauth-connect-submit').click();
  await expect(card.getByTestId('oauth-config-error')).toContainText('oauthConfig.tokenUrl');
  await options.screenshot({ path: path.join(shots, 'chromium-options-oauth-invalid.png'), fullPage: true });

  const block = `// OAuth authentication flow
{
  "oauthConfig": {
    "authUrl": "${authUrl}",
    "tokenUrl": "${tokenUrl}",
    "revocationUrl": "${revocationUrl}",
    "clientId": "{{credentials.clientId}}",
    "clientSecret": "{{credentials.clientSecret}}",
    "scopes": ["read", "write"],
    "redirectUri": "https://localhost:3000/callback"
  }
}`;
  await card.getByTestId('oauth-config').fill(block);
  await expect(card.getByTestId('oauth-config-error')).toHaveCount(0);
  const authWindow = ferry.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(server.origin), timeout: 15_000 });
  await card.getByTestId('oauth-connect-submit').click();
  const login = await authWindow;
  await expect(card.getByTestId('oauth-connecting')).toBeVisible();
  await expect(card.getByTestId('oauth-connect-submit')).toHaveText(/Waiting for sign-in/);
  await options.screenshot({ path: path.join(shots, 'chromium-options-oauth-connecting.png'), fullPage: true });
  await login.waitForLoadState();
  await login.fill('#username', 'ada');
  await login.fill('#password', 'analytical-engine');
  await login.click('#sign-in');
  await expect(login.locator('#scopes')).toHaveText('read write');
  await login.click('#allow');

  const row = card.getByTestId('oauth-connection');
  await expect(row).toHaveAttribute('data-status', 'connected', { timeout: 15_000 });
  await expect(row.getByTestId('oauth-connection-status')).toHaveText('Connected');
  await expect(row).toContainText('read');
  await expect(row).toContainText('Access token valid until');
  await expect(card.getByTestId('oauth-notice')).toContainText('Connected svc (read, write).');
  await expect(card.getByTestId('oauth-notice')).toContainText(REDIRECT); // the redirect URI to register
  const managed = options.locator('[data-testid="credential-row"][data-managed-by="svc"]');
  await expect(managed).toHaveCount(2);
  await expect(managed.first().getByTestId('credential-last4')).toHaveText('managed by OAuth connection svc');
  await expect(managed.first().getByTestId('credential-replace')).toBeDisabled();
  expect(await options.content()).not.toMatch(/at_|rt_|CANARY/);
  await options.screenshot({ path: path.join(shots, 'chromium-options-oauth.png'), fullPage: true });
  await dark(options);
  await options.screenshot({ path: path.join(shots, 'chromium-options-oauth-dark.png'), fullPage: true });
  await options.emulateMedia({ colorScheme: 'light' });
});

test('a revoked refresh token: Refresh now shows "needs reconnect" in the options page and the popup', async () => {
  server.revokeAll();
  const card = options.getByTestId('oauth-connections');
  await card.getByTestId('oauth-refresh').click();
  await expect(card.getByTestId('oauth-error')).toContainText('This connection needs a new sign-in');
  const row = card.getByTestId('oauth-connection');
  await expect(row).toHaveAttribute('data-status', 'needsReconnect');
  await expect(row.getByTestId('oauth-connection-status')).toHaveText('Needs reconnect');
  await expect(row.getByTestId('oauth-needs-reconnect')).toContainText('Reconnect svc');
  await expect(row.getByTestId('oauth-refresh')).toHaveCount(0);
  expect(server.state.tokenRequests.at(-1)).toEqual({ grantType: 'refresh_token', status: 400, error: 'invalid_grant' });
  await options.screenshot({ path: path.join(shots, 'chromium-options-oauth-reconnect.png'), fullPage: true });

  const popup = await ferry.openPage('popup.html', POPUP);
  const warning = popup.getByTestId('popup-reconnect');
  await expect(warning).toHaveAttribute('data-name', 'svc');
  await expect(warning).toContainText('Reconnect svc');
  await expect(popup.getByTestId('popup-locked')).toHaveCount(0);
  await popup.screenshot({ path: path.join(shots, 'chromium-popup-reconnect.png') });
  const opened = ferry.context.waitForEvent('page', { predicate: (p) => p.url().includes('options.html#/credentials'), timeout: 10_000 });
  await warning.getByTestId('popup-reconnect-open').click();
  const settings = await opened;
  await expect(settings.getByTestId('oauth-connection')).toHaveAttribute('data-status', 'needsReconnect');
  await settings.close();
});
