/**
 * An API key's rotation reminder in real Chromium: a key whose reminder is due gets a notification
 * ("Rotate the API key ...") and the amber KEY badge from the reminder alarm; rotating it to a key
 * that validates clears the badge. The validation endpoint is a loopback server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from './support/chromium';

async function send<T>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = (await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as
    | { ok: true; value: T }
    | { ok: false; error: { message: string } };
  if (!reply.ok) throw new Error(`${type}: ${reply.error.message}`);
  return reply.value;
}

test('a key due for rotation: notification and KEY badge from the reminder alarm; a validated rotation clears them', async ({ ferry }) => {
  const accepted = new Set(['key-one-0123456789', 'key-two-0123456789']);
  const server: Server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const ok = accepted.has(String(req.headers['x-api-key']));
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'valid' : 'invalid' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const page = await ferry.openPage('options.html#/overview');
    // Rotation every minute, reminded from the first second: due at once for the test.
    const apiKeyConfig = { apiKeyConfig: { storage: 'encrypted', rotation: { enabled: true, interval: '60s', notifyBefore: '59s' }, validation: { testEndpoint: '/api/v1/validate', expectedResponse: { status: 'valid' } } } };
    const saved = await send<{ remindAt: number; dueAt: number }>(page, 'apiKeys.save', { name: 'shortLived', value: 'key-one-0123456789', baseUrl, auth: 'X-API-Key', apiKeyConfig });
    const worker = await ferry.currentWorker();
    expect(await worker.evaluate(() => chrome.alarms.get('ferry.maintenance.daily').then((a) => a?.periodInMinutes))).toBe(1440);
    // Unpacked extensions may fire alarms sooner than 30 s: fire the armed reminder now.
    await page.waitForTimeout(Math.max(0, saved.remindAt - Date.now() + 50));
    await worker.evaluate(() => chrome.alarms.create('ferry.apiKeys.remind', { when: Date.now() + 10 }));
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({})), { timeout: 20_000 }).toBe('KEY');
    expect(await worker.evaluate(() => chrome.action.getTitle({}))).toContain('"shortLived"');
    expect(Object.keys(await worker.evaluate(() => chrome.notifications.getAll()))).toContain('ferry.apiKey.shortLived');

    // A rotation to a key the API refuses leaves the badge; one it accepts clears it.
    await expect(send(page, 'apiKeys.rotate', { name: 'shortLived', newValue: 'key-three' })).rejects.toThrow(/current key stays active/);
    expect(await worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('KEY');
    await send(page, 'apiKeys.rotate', { name: 'shortLived', newValue: 'key-two-0123456789' });
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({})), { timeout: 10_000 }).toBe('');
    const [key] = await send<{ name: string; state: string; lastValidation: { ok: boolean } }[]>(page, 'apiKeys.list');
    // A one-minute period is reminded again a second after rotating: 'ok' or already 'dueSoon'.
    expect(key).toMatchObject({ name: 'shortLived', state: expect.stringMatching(/^(ok|dueSoon)$/), lastValidation: { ok: true } });
    // The browser is shared with the next specs: a one-minute key would raise KEY again a second from
    // now, so delete it and wait until the badge is clear before handing the browser on.
    await send(page, 'apiKeys.delete', { name: 'shortLived' });
    await worker.evaluate(() => chrome.notifications.clear('ferry.apiKey.shortLived'));
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({})), { timeout: 10_000 }).toBe('');
    await page.close();
  } finally {
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  }
});
