/**
 * The OAuth connection in Firefox ESR: `identity.launchWebAuthFlow` opens the local authorization
 * server's login page in a window of its own, puppeteer signs in and allows access, Firefox catches
 * the redirect to `identity.getRedirectURL()` itself; then a run sends the token, and a revoked
 * refresh token leaves the connection needing a reconnect.
 */
import { expect, test } from '@playwright/test';
import type { Page } from 'puppeteer-core';
import { startOAuthServer, type OAuthServer } from '../support/servers/oauth-server';
import { FIREFOX_ORIGIN, launchFerryFirefox, type FerryFirefox } from './support/firefox';

let ferry: FerryFirefox;
let server: OAuthServer;
let page: Page;
let redirect: string;

type Reply<T> = { ok: true; value: T } | { ok: false; error: { message: string; codeName: string } };
async function send<T>(type: string, data?: unknown): Promise<T> {
  const reply = (await page.evaluate((t, d) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), type, data)) as Reply<T>;
  if (!reply.ok) throw new Error(`${type}: ${reply.error.codeName}: ${reply.error.message}`);
  return reply.value;
}

test.beforeAll(async () => {
  ferry = await launchFerryFirefox({ installHost: false });
  page = await ferry.openPage('options.html');
  redirect = await page.evaluate(() => chrome.identity.getRedirectURL());
  server = await startOAuthServer({ clientId: 'ferry-ff', redirectUris: [redirect], allowedOrigin: FIREFOX_ORIGIN });
});
test.afterAll(async () => {
  await ferry?.close();
  await server?.close();
});

test('connect in Firefox through launchWebAuthFlow, run with the token, then a revoked refresh token', async () => {
  expect(redirect).toMatch(/^https:\/\/[0-9a-f]+\.extensions\.allizom\.org\/$/);
  await send('credentials.set', { name: 'clientId', value: 'ferry-ff' });
  const { api, ...endpoints } = server.endpoints;
  const authTarget = ferry.browser.waitForTarget((t) => t.url().startsWith(server.origin), { timeout: 15_000 });
  const connecting = send<{ status: string; redirectUri: string }>('oauth.connect', { name: 'svc', oauthConfig: { oauthConfig: { ...endpoints, clientId: '{{credentials.clientId}}', scopes: ['read'] } } });
  const login = (await (await authTarget).page())!;
  await login.waitForSelector('#username');
  await login.type('#username', 'ada');
  await login.type('#password', 'analytical-engine');
  await Promise.all([login.waitForSelector('#allow'), login.click('#sign-in')]);
  await login.click('#allow');
  expect(await connecting).toMatchObject({ status: 'connected', redirectUri: redirect });

  const pipeline = { version: 1, id: 'ff-items', name: 'Items', source: { type: 'supplied' }, steps: [{ http: { method: 'POST', url: api, auth: { type: 'bearer', token: '{{credentials.svc.accessToken}}' }, body: '{{transformedData}}' } }] };
  const run = async () => {
    const { runId } = await send<{ runId: string }>('runs.start', { pipeline, records: [{ n: 1 }] });
    await expect.poll(async () => (await send<{ status: string }>('runs.get', { runId })).status, { timeout: 30_000 }).toMatch(/^(succeeded|nothingSent|failed)$/);
    return send<{ status: string }>('runs.get', { runId });
  };
  expect(await run()).toMatchObject({ status: 'succeeded' });
  expect(server.state.apiRequests.map((r) => r.status)).toEqual([201]);

  server.revokeAll();
  expect(await run()).toMatchObject({ status: 'failed' });
  expect(await send('oauth.status', { name: 'svc' })).toMatchObject([{ status: 'needsReconnect' }]);
});
