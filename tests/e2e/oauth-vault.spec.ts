/**
 * The vault lock and an OAuth 2.0 connection in the built extension, in real Chromium, against the
 * local authorization server (tests/support/servers/oauth-server.ts) on 127.0.0.1:
 *
 * - `oauth.connect` runs chrome.identity.launchWebAuthFlow: the server's login page opens in a new
 *   window, Playwright signs in and allows access, the browser catches the redirect to
 *   https://<id>.chromiumapp.org/ itself, and the background exchanges the code (PKCE checked by the
 *   server). Pages learn the connection's status, never a token.
 * - A run sends the access token; an explicit refresh and a 401 both renew it.
 * - With a passphrase set and the vault locked, a run waits ("unlock Ferry") and finishes after the
 *   unlock; a stopped service worker does not lock the vault again (storage.session).
 * - A revoked refresh token: the next run's batch is dead-lettered saying to reconnect, and the
 *   connection shows needsReconnect. Disconnecting revokes at the server.
 */
import type { Page } from '@playwright/test';
import { EXTENSION_ID } from '../../src/protocol/identity';
import { startOAuthServer, type OAuthServer } from '../support/servers/oauth-server';
import { expect, launchFerryChromium, stopServiceWorker, test, type FerryChromium } from './support/chromium';

const REDIRECT = `https://${EXTENSION_ID}.chromiumapp.org/`;
const CLIENT_SECRET = 'cs_e2e_CANARY_secret';
const PASS = 'e2e passphrase for Ferry';

type Reply<T> = { ok: true; value: T } | { ok: false; error: { message: string; codeName: string } };

async function send<T>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = (await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as Reply<T>;
  if (!reply.ok) throw new Error(`${type}: ${reply.error.codeName}: ${reply.error.message}`);
  return reply.value;
}

interface Run {
  status: string;
  counts: { sent: number; failed: number };
}

test.describe.configure({ mode: 'serial' });

let ferry: FerryChromium;
let server: OAuthServer;
let page: Page;

test.beforeAll(async () => {
  ferry = await launchFerryChromium({ installHost: false });
  server = await startOAuthServer({ clientId: 'ferry-e2e', clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT], allowedOrigin: `chrome-extension://${EXTENSION_ID}` });
  page = await ferry.openPage('options.html');
});

test.afterAll(async () => {
  await ferry?.close();
  await server?.close();
});

const pipeline = () => ({
  version: 1, id: 'oauth-items', name: 'Items with OAuth', source: { type: 'supplied' },
  steps: [{ http: { method: 'POST', url: server.endpoints.api, auth: { type: 'bearer', token: '{{credentials.svc.accessToken}}' }, body: '{{transformedData}}' } }],
});

async function runToEnd(records: unknown[]): Promise<{ runId: string; run: Run }> {
  const { runId } = await send<{ runId: string }>(page, 'runs.start', { pipeline: pipeline(), records });
  await expect.poll(async () => (await send<Run>(page, 'runs.get', { runId })).status, { timeout: 30_000, intervals: [200] }).toMatch(/^(succeeded|nothingSent|failed)$/);
  return { runId, run: await send<Run>(page, 'runs.get', { runId }) };
}

test('connect through launchWebAuthFlow: the login and consent pages in a browser window, tokens kept in the background', async () => {
  await send(page, 'credentials.set', { name: 'clientId', value: 'ferry-e2e' });
  await send(page, 'credentials.set', { name: 'clientSecret', value: CLIENT_SECRET });
  const { api: _api, ...endpoints } = server.endpoints;
  // The seed's block as written, pointed at the local server (its redirectUri is replaced by the browser's).
  const oauthConfig = `// OAuth authentication flow
{ "oauthConfig": { "authUrl": "${endpoints.authUrl}", "tokenUrl": "${endpoints.tokenUrl}", "revocationUrl": "${endpoints.revocationUrl}",
  "clientId": "{{credentials.clientId}}", "clientSecret": "{{credentials.clientSecret}}", "scopes": ["read", "write"], "redirectUri": "https://localhost:3000/callback" } }`;

  const authWindow = ferry.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(server.origin), timeout: 15_000 });
  const connecting = send<{ status: string; notices: string[]; scopes: string[]; redirectUri: string }>(page, 'oauth.connect', { name: 'svc', oauthConfig });
  const login = await authWindow;
  await login.waitForLoadState();
  expect(new URL(login.url()).searchParams.get('code_challenge_method')).toBe('S256');
  await login.fill('#username', 'ada');
  await login.fill('#password', 'analytical-engine');
  await login.click('#sign-in');
  await expect(login.locator('#scopes')).toHaveText('read write');
  await login.click('#allow');

  const connected = await connecting;
  expect(connected).toMatchObject({ status: 'connected', scopes: ['read', 'write'], redirectUri: REDIRECT });
  expect(connected.notices.join(' ')).toContain(REDIRECT);
  expect(server.state.tokenRequests).toEqual([{ grantType: 'authorization_code', status: 200 }]);

  const status = await send<unknown[]>(page, 'oauth.status');
  expect(status).toMatchObject([{ name: 'svc', status: 'connected', hasRefreshToken: true }]);
  const credentials = await send<{ name: string; last4: string }[]>(page, 'credentials.list');
  expect(credentials.filter((c) => c.name.startsWith('svc.'))).toEqual([
    expect.objectContaining({ name: 'svc.accessToken', last4: '' }),
    expect.objectContaining({ name: 'svc.refreshToken', last4: '' }),
  ]);
  expect(JSON.stringify([connected, status, credentials])).not.toMatch(/at_|rt_|CANARY/);
});

test('a run sends the access token; an explicit refresh and a 401 both renew it', async () => {
  expect((await runToEnd([{ n: 1 }])).run).toMatchObject({ status: 'succeeded', counts: { sent: 1 } });
  expect(server.state.apiRequests.map((r) => r.status)).toEqual([201]);

  const refreshed = await send<{ status: string; refreshedAt?: number }>(page, 'oauth.refresh', { name: 'svc' });
  expect(refreshed).toMatchObject({ status: 'connected', refreshedAt: expect.any(Number) });
  expect(server.state.tokenRequests.at(-1)).toEqual({ grantType: 'refresh_token', status: 200 });

  server.expireAccessTokens();
  const { runId, run } = await runToEnd([{ n: 2 }]);
  expect(run).toMatchObject({ status: 'succeeded', counts: { sent: 1 } });
  expect(server.state.apiRequests.map((r) => r.status)).toEqual([201, 401, 201]);
  expect(server.state.tokenRequests.map((t) => t.grantType)).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
  const audit = await send<unknown[]>(page, 'runs.audit', { runId });
  expect(JSON.stringify(audit)).not.toMatch(/at_|rt_/);
});

test('a locked vault makes a run wait for "unlock Ferry"; it finishes after the unlock and survives a worker stop', async () => {
  await send(page, 'vault.setPassphrase', { passphrase: PASS });
  await stopServiceWorker(ferry.context, ferry.extensionId);
  expect(await send(page, 'vault.status')).toMatchObject({ state: 'unlocked' }); // storage.session kept the key

  await send(page, 'vault.lock');
  const wrong = await page.evaluate(() => chrome.runtime.sendMessage({ ferry: 1, type: 'vault.unlock', data: { passphrase: 'not the passphrase' } }));
  expect(wrong).toMatchObject({ ok: false, error: { codeName: 'VAULT_PASSPHRASE_WRONG' } });
  const before = server.state.apiRequests.length;
  const { runId } = await send<{ runId: string }>(page, 'runs.start', { pipeline: pipeline(), records: [{ n: 3 }] });
  await expect.poll(async () => (await send<{ waiting: boolean }>(page, 'vault.status')).waiting, { timeout: 15_000 }).toBe(true);
  expect(await send<Run>(page, 'runs.get', { runId })).toMatchObject({ status: 'running', counts: { sent: 0, failed: 0 } });
  expect(server.state.apiRequests).toHaveLength(before);

  const unlockedAt = Date.now();
  expect(await send(page, 'vault.unlock', { passphrase: PASS })).toMatchObject({ state: 'unlocked', waiting: false });
  await expect.poll(async () => (await send<Run>(page, 'runs.get', { runId })).status, { timeout: 20_000, intervals: [100] }).toBe('succeeded');
  // Resumed by the unlock, not by the postponed batch's retry a minute later.
  expect(Date.now() - unlockedAt).toBeLessThan(20_000);
  expect(server.state.apiRequests).toHaveLength(before + 1);
});

test('a revoked refresh token: the batch is dead-lettered saying to reconnect, and the connection shows needsReconnect', async () => {
  server.revokeAll();
  const { runId, run } = await runToEnd([{ n: 4 }]);
  expect(run).toMatchObject({ status: 'failed', counts: { failed: 1 } });
  expect(server.state.tokenRequests.at(-1)).toEqual({ grantType: 'refresh_token', status: 400, error: 'invalid_grant' });
  const [letter] = await send<{ lastOutcome: { label: string; message: string } }[]>(page, 'runs.deadLetters', { runId });
  expect(letter!.lastOutcome.label).toBe('oauth_reconnect_needed');
  expect(letter!.lastOutcome.message).toContain("reconnect svc in Ferry's options");
  expect(await send(page, 'oauth.status', { name: 'svc' })).toMatchObject([{ status: 'needsReconnect' }]);

  const revocations = server.state.revocations.length;
  expect(await send(page, 'oauth.disconnect', { name: 'svc' })).toEqual({ disconnected: true, revoked: 'revoked' });
  expect(server.state.revocations.length - revocations).toBe(2);
  expect(await send(page, 'oauth.status')).toEqual([]);
});
