/**
 * The extension and the real native host in real Chromium: ping from the service worker, a 5 MB echo
 * (one frame to the host, under the client's 8 MiB budget; `$/chunk` pieces back, over Chrome's 1 MiB
 * limit), the host killed mid-call, a worker stopped and woken, and the popup.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ErrorCode } from '../../src/protocol/errors';
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY } from '../../src/protocol/identity';
import { ARTIFACTS } from '../support/paths';
import { expect, stopServiceWorker, test } from './support/chromium';
import type { FerryGlobal } from './support/worker-globals';

const shots = path.join(ARTIFACTS, 'e2e');
mkdirSync(shots, { recursive: true });

test('the extension loads with its stable id and only the permissions it justifies', async ({ ferry }) => {
  expect(ferry.extensionId).toBe(EXTENSION_ID);
  const manifest = await ferry.worker.evaluate(() => chrome.runtime.getManifest());
  expect(manifest.key).toBe(EXTENSION_PUBLIC_KEY);
  // Each one's reason is in docs/ARCHITECTURE.md, "Identity and permissions".
  expect(manifest.permissions).toEqual(['nativeMessaging', 'alarms', 'activeTab', 'scripting', 'storage', 'identity', 'contextMenus', 'notifications']);
  // Pages are read only where the user invoked Ferry (activeTab): no host access at install, nothing injected by default.
  expect(manifest).not.toHaveProperty('host_permissions');
  expect(manifest.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
  expect(await ferry.worker.evaluate(() => chrome.permissions.getAll())).toMatchObject({ origins: [] });
  expect(manifest).not.toHaveProperty('content_scripts');
  expect(manifest).not.toHaveProperty('externally_connectable');
});

test('system.ping and system.info from the service worker reach the real host', async ({ ferry }) => {
  const result = await ferry.worker.evaluate(async () => {
    const { client } = (globalThis as unknown as FerryGlobal).ferry;
    const ping = await client.call('system.ping');
    const info = await client.call('system.info');
    return { ping, info, state: client.state };
  });
  expect(result.ping.pong).toBe(true);
  expect(result.state).toBe('connected');
  expect(result.info.name).toBe('ferry-host');
  expect(result.info.dataDir.startsWith(ferry.ferryHome)).toBe(true);
  expect(result.info.capabilities).toEqual(expect.arrayContaining(['system', 'chunking']));
});

test('a 5 MB payload is echoed intact in both directions', async ({ ferry }) => {
  const outcome = await ferry.worker.evaluate(async () => {
    const { client } = (globalThis as unknown as FerryGlobal).ferry;
    // Varied content: escapes, non-ASCII and astral characters exercise chunk boundaries.
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ i, name: `row "${i}" \\ é 😀`, tags: ['a', 'b'], ok: i % 2 === 0 }));
    const payload = { rows, text: 'x'.repeat(2_600_000) };
    const sent = JSON.stringify(payload);
    const { payload: back } = await client.call('system.echo', { payload }, { timeoutMs: 60_000 });
    const received = JSON.stringify(back);
    return { bytes: new TextEncoder().encode(sent).byteLength, same: sent === received };
  });
  expect(outcome.bytes).toBeGreaterThan(5_000_000);
  expect(outcome.same).toBe(true);
});

test('killing the host mid-call rejects the call with a typed error, and the next call reconnects', async ({ ferry }) => {
  const before = await ferry.worker.evaluate(async () => {
    const g = globalThis as unknown as FerryGlobal;
    const info = await g.ferry.client.call('system.info');
    // Start a long call and keep its outcome where the test can read it.
    g.sleepOutcome = g.ferry.client.callRaw('test.sleep', { ms: 20_000 }, { timeoutMs: 60_000 }).then(
      () => ({ ok: true }),
      (e: { code: number; message: string; data?: { reason?: string } }) => ({ ok: false, code: e.code, message: e.message, reason: e.data?.reason }),
    );
    // The call registers once the port is confirmed open; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { pid: info.pid, pending: g.ferry.client.pendingCount };
  });
  expect(before.pending).toBe(1);
  process.kill(before.pid, 'SIGKILL');
  const outcome = (await ferry.worker.evaluate(() => (globalThis as unknown as FerryGlobal).sleepOutcome)) as {
    ok: boolean;
    code: number;
    message: string;
    reason: string;
  };
  expect(outcome.ok).toBe(false);
  expect(outcome.code).toBe(ErrorCode.HostDisconnected);
  expect(outcome.reason).toMatch(/exited|communicating/i);
  const after = await ferry.worker.evaluate(async () => {
    const { client } = (globalThis as unknown as FerryGlobal).ferry;
    const ping = await client.call('system.ping');
    const info = await client.call('system.info');
    return { pong: ping.pong, pid: info.pid };
  });
  expect(after.pong).toBe(true);
  expect(after.pid).not.toBe(before.pid);
  // The badge flagged the lost host and cleared once the host answered again.
  expect(await ferry.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');
});

test('the popup shows a connected host with its version and round trip, and a working Reconnect', async ({ ferry }) => {
  const popup = await ferry.openPage('popup.html', { width: 360, height: 520 });
  const badge = popup.getByTestId('host-status');
  await expect(badge).toHaveAttribute('data-state', 'connected');
  await expect(popup.getByTestId('host-version')).toHaveText(/\d+\.\d+\.\d+/);
  await expect(popup.getByTestId('host-rtt')).toHaveText(/ms/);
  await popup.screenshot({ path: path.join(shots, 'chromium-popup.png') });
  const pidBefore = await ferry.worker.evaluate(async () => (await (globalThis as unknown as FerryGlobal).ferry.client.call('system.info')).pid);
  await popup.getByTestId('reconnect').click();
  await expect(badge).toHaveAttribute('data-state', 'connected');
  const pidAfter = await ferry.worker.evaluate(async () => (await (globalThis as unknown as FerryGlobal).ferry.client.call('system.info')).pid);
  expect(pidAfter).not.toBe(pidBefore);
  await popup.close();
});

test('the options page has its navigation and shows the host on the overview', async ({ ferry }) => {
  const options = await ferry.openPage('options.html', { width: 1100, height: 720 });
  await expect(options.getByTestId('host-status')).toHaveAttribute('data-state', 'connected');
  for (const section of ['overview', 'integrations', 'pipelines', 'runs', 'credentials', 'settings', 'about']) {
    await options.getByTestId(`nav-${section}`).click();
    await expect(options.getByTestId(`section-${section}`)).toBeVisible();
  }
  await options.getByTestId('nav-overview').click();
  await options.screenshot({ path: path.join(shots, 'chromium-options.png') });
  await options.close();
});

test('a stopped service worker wakes for the popup and reconnects to the host', async ({ ferry }) => {
  await stopServiceWorker(ferry.context, ferry.extensionId);
  const popup = await ferry.openPage('popup.html', { width: 360, height: 520 });
  await expect(popup.getByTestId('host-status')).toHaveAttribute('data-state', 'connected');
  await popup.close();
});

test('web pages cannot message the background', async ({ ferry }) => {
  // A real web page on loopback: with an `externally_connectable` entry matching it, Chromium would
  // give it chrome.runtime.sendMessage(EXTENSION_ID, ...); Ferry's manifest has none.
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>shop</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const page = await ferry.context.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const reachable = await page.evaluate(
      () => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage,
    );
    expect(reachable).toBe('undefined');
    await page.close();
  } finally {
    server.close();
  }
});
