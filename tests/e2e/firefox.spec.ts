/**
 * The same round trip, 5 MB echo and popup in Firefox ESR with the Firefox build. Calls go from an
 * extension page through the background (runtime messaging) to the native host, as the UI's do.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ARTIFACTS } from '../support/paths';
import { launchFerryFirefox, type FerryFirefox } from './support/firefox';

let ferry: FerryFirefox;
test.beforeAll(async () => {
  ferry = await launchFerryFirefox();
});
test.afterAll(async () => {
  await ferry?.close();
});

type Outcome = { ok: true; value: { ok: true; result: unknown } | { ok: false; error: { code: number; message: string } } } | { ok: false; error: { code: number; message: string } };

test('system.ping reaches the real host from the Firefox event page', async () => {
  const page = await ferry.openPage('popup.html');
  const reply = (await page.evaluate(() =>
    chrome.runtime.sendMessage({ ferry: 1, type: 'host.call', data: { method: 'system.info' } }),
  )) as Outcome;
  expect(reply.ok).toBe(true);
  if (!reply.ok || !reply.value.ok) throw new Error(JSON.stringify(reply));
  const info = reply.value.result as { name: string; dataDir: string };
  expect(info.name).toBe('ferry-host');
  expect(info.dataDir.startsWith(ferry.ferryHome)).toBe(true);
  await page.close();
});

test('a 5 MB payload is echoed intact in both directions in Firefox', async () => {
  const page = await ferry.openPage('popup.html');
  const outcome = await page.evaluate(async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ i, name: `row "${i}" \\ é 😀`, ok: i % 2 === 0 }));
    const payload = { rows, text: 'y'.repeat(2_900_000) };
    const sent = JSON.stringify(payload);
    const reply = (await chrome.runtime.sendMessage({
      ferry: 1,
      type: 'host.call',
      data: { method: 'system.echo', params: { payload }, timeoutMs: 60_000 },
    })) as { ok: boolean; value?: { ok: boolean; result?: { payload: unknown }; error?: unknown } };
    const back = reply.value?.result?.payload;
    return { bytes: new TextEncoder().encode(sent).byteLength, same: JSON.stringify(back) === sent, reply: reply.ok && reply.value?.ok ? null : JSON.stringify(reply) };
  });
  expect(outcome.reply).toBeNull();
  expect(outcome.bytes).toBeGreaterThan(5_000_000);
  expect(outcome.same).toBe(true);
  await page.close();
});

test('the Firefox popup shows the connected host', async () => {
  const page = await ferry.openPage('popup.html', { width: 360, height: 520 });
  await page.waitForSelector('[data-testid="host-status"][data-state="connected"]', { timeout: 15_000 });
  const version = await page.$eval('[data-testid="host-version"]', (el) => el.textContent ?? '');
  expect(version).toMatch(/\d+\.\d+\.\d+/);
  mkdirSync(path.join(ARTIFACTS, 'e2e'), { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'e2e', 'firefox-popup.png') });
  await page.close();
});
