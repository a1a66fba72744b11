/**
 * A pipeline built from the seed's blocks, as written (only example.com pointed at a loopback API),
 * runs in the real service worker. The worker is stopped mid-run several times; each time a message
 * wakes it and the run resumes. The API must end up with every record applied exactly once, and no
 * record sent under two different Idempotency-Keys.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from '../support/paths';
import { expect, stopServiceWorker, test } from './support/chromium';
import { startDeliveryServer } from './support/delivery-server';

const seed = (name: string, origin: string) =>
  readFileSync(path.join(ROOT, 'tests/fixtures/seed', `${name}.txt`), 'utf8').replaceAll('https://api.example.com', origin);

async function send<T>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = (await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as
    | { ok: true; value: T }
    | { ok: false; error: { message: string } };
  if (!reply.ok) throw new Error(`${type}: ${reply.error.message}`);
  return reply.value;
}

test('a run survives its service worker being stopped mid-run: every record applied exactly once', async ({ ferry }) => {
  const api = await startDeliveryServer({ delayMs: 120 });
  try {
    // The seed's blocks, pasted as written; the pipeline is configuration text, comments and all.
    const pipelineText = `{
      "version": 1, "id": "seed-api", "name": "Seed API pipeline",
      "source": { "type": "supplied" },
      "steps": [
        ${seed('data-transformation', api.url)},
        {
          "http": ${seed('http-request', api.url)},
          ${seed('response-processing', api.url).replace(/^\s*\/\/.*\n\s*\{/, '').replace(/\}\s*$/, '')},
          ${seed('retry-strategy', api.url).replace(/^\s*\/\/.*\n\s*\{/, '').replace(/\}\s*$/, '')}
        }
      ]
    }`;
    const records = Array.from({ length: 24 }, (_, i) => ({ field1: `record-${i}`, field2: `person${i}@example.test` }));
    records.push({ field1: '', field2: 'not-an-email' }); // rejected by the seed's validation, never sent

    const page = await ferry.openPage('popup.html');
    await send(page, 'credentials.set', { name: 'apiToken', value: 'tok-e2e-0123456789' });
    const { runId } = await send<{ runId: string }>(page, 'runs.start', { pipeline: pipelineText, records, source: { url: 'https://shop.test/list' } });

    // Stop the worker a few times while batches are in flight; a message wakes it each time.
    for (let stop = 0; stop < 4; stop += 1) {
      await expect.poll(() => api.requests.length, { timeout: 15_000 }).toBeGreaterThan(stop * 5 + 2);
      await stopServiceWorker(ferry.context, ferry.extensionId);
      await send(page, 'runs.get', { runId });
    }

    type Run = { status: string; counts: { extracted: number; rejected: number; sent: number; failed: number } };
    await expect
      .poll(async () => (await send<Run>(page, 'runs.get', { runId })).status, { timeout: 60_000, intervals: [250] })
      .toMatch(/^(succeeded|nothingSent|failed)/);
    const run = await send<Run>(page, 'runs.get', { runId });
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ rejected: 1, sent: 24, failed: 0 });

    // Exactly once: 24 keys applied, one per record, and no record under two keys.
    const appliedRecords = [...api.applied.values()].map((b) => (b as { data: { apiField1: string } }).data.apiField1);
    expect(appliedRecords.sort()).toEqual(records.slice(0, 24).map((r) => r.field1).sort());
    const keysPerRecord = new Map<string, Set<string>>();
    for (const { key, body } of api.requests) {
      expect(key).toBeTruthy();
      const id = (body as { data: { apiField1: string } }).data.apiField1;
      keysPerRecord.set(id, (keysPerRecord.get(id) ?? new Set()).add(key!));
    }
    for (const [id, keys] of keysPerRecord) expect(keys.size, `record ${id} was sent under ${keys.size} keys`).toBe(1);
    // The credential was used in the header, and never shows up in what the pages can read.
    const audit = await send<unknown[]>(page, 'runs.audit', { runId });
    expect(audit.length).toBeGreaterThanOrEqual(24);
    expect(JSON.stringify(audit)).not.toContain('tok-e2e-0123456789');
    test.info().annotations.push({ type: 'deliveries', description: `${api.requests.length} requests for 24 records (${api.requests.length - 24} re-sent after stops)` });
    await page.close();
  } finally {
    await api.close();
  }
});
