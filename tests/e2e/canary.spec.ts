/**
 * The canary: a unique random secret is stored in the vault and used the ways a user uses a secret
 * (an HTTP step's bearer token, a PostgreSQL step's password, an API key validated on save and on
 * demand, a rotation that fails), in runs that succeed and runs that fail (5xx and 401 answers that
 * ECHO the token back, so scrubbing is tested, not assumed). Then every place Ferry keeps or shows
 * anything is scanned for it: every IndexedDB store of the extension, chrome.storage.local and
 * .session, every file under the host's FERRY_HOME (its logs included, at debug level), the rendered
 * options page sections and popup (text and HTML), and the audit log's JSON Lines exports. The
 * native-messaging exchange is not scanned: it must carry the database password to the host.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { adminClient, createTestRole, type TestRole } from '../support/pg-role';
import { expect, test } from './support/chromium';

const CANARY = `cnry${randomBytes(18).toString('hex')}`;
const CANARY_PG = `${CANARY}pg`;
const CANARY_NEXT = `${CANARY}next`;
/** Not a secret: planted where pages may show it, to prove the scans would find a value that is there. */
const CONTROL = `ctrl${randomBytes(12).toString('hex')}`;

/** The canary in every form a request or a storage layer might give it. */
function canaryForms(): string[] {
  const forms = new Set<string>();
  for (const value of [CANARY, CANARY_PG, CANARY_NEXT]) {
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(Buffer.from(value).toString('base64'));
    forms.add(Buffer.from(value).toString('base64url'));
    forms.add(Buffer.from(`Bearer ${value}`).toString('base64'));
  }
  // The shortest distinguishing form: the canary's random part alone catches any wrapping.
  forms.add(CANARY.slice(4));
  forms.add(Buffer.from(CANARY.slice(4)).toString('base64').slice(0, 24));
  return [...forms];
}

function hits(where: string, text: string): string[] {
  return canaryForms().filter((form) => text.includes(form)).map((form) => `${where}: ${form === CANARY.slice(4) ? 'canary' : form}`);
}

async function send<T>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = (await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data] as const)) as
    | { ok: true; value: T }
    | { ok: false; error: { message: string; codeName?: string } };
  if (!reply.ok) throw Object.assign(new Error(`${type}: ${reply.error.message}`), { reply: reply.error });
  return reply.value;
}

/** A loopback API: /ok accepts the canary token, /fail500 and /fail401 refuse it and echo it back. */
async function startCanaryApi(): Promise<{ url: string; seen: { path: string; authorized: boolean }[]; close(): Promise<void> }> {
  const seen: { path: string; authorized: boolean }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('access-control-allow-methods', 'GET, POST');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    req.resume();
    req.on('end', () => {
      const auth = String(req.headers.authorization ?? '');
      const url = new URL(req.url ?? '/', 'http://x');
      const authorized = auth === `Bearer ${CANARY}`;
      seen.push({ path: url.pathname, authorized });
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/api/v1/validate') return json(authorized ? 200 : 401, authorized ? { status: 'valid' } : { status: 'invalid', youSent: auth });
      if (url.pathname === '/ok/items' && authorized) return json(201, { id: `srv-${seen.length}` });
      if (url.pathname === '/fail500/items') return json(500, { error: `upstream broke while checking ${auth}` });
      return json(401, { error: 'unauthorized', token: auth, hint: `the key ${auth.slice(7)} is not known` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

const httpPipeline = (id: string, url: string) => ({
  version: 1, id, name: `Canary ${id}`, source: { type: 'supplied' },
  steps: [{
    http: { method: 'POST', url, headers: { Authorization: 'Bearer {{credentials.canary}}' }, body: '{{transformedData}}' },
    retryStrategy: { maxAttempts: 2, backoffType: 'fixed', baseDelay: 10 },
  }],
});

const TABLE = `canary_items_${Date.now()}`;
const pgPipeline = (id: string, table: string, role: TestRole, onConflict: 'error' | 'update' = 'update') => ({
  version: 1, id, name: `Canary ${id}`, source: { type: 'supplied' },
  steps: [{
    database: {
      operation: 'insert', table, data: { id: '{{extracted.id}}', title: '{{extracted.title}}' }, onConflict, conflictTarget: 'id',
      connectionConfig: { type: 'postgresql', host: '127.0.0.1', port: 5432, database: 'test', username: role.role, password: '{{credentials.canaryPg}}', ssl: false },
    },
    retryStrategy: { maxAttempts: 2, backoffType: 'fixed', baseDelay: 10 },
  }],
});

type Run = { status: string; counts: { sent: number; failed: number } };

async function runToEnd(page: Page, pipeline: unknown, records: unknown[]): Promise<{ runId: string; run: Run }> {
  const { runId } = await send<{ runId: string }>(page, 'runs.start', { pipeline, records, source: { url: 'https://shop.test/list' } });
  await expect.poll(async () => (await send<Run>(page, 'runs.get', { runId })).status, { timeout: 60_000, intervals: [250] }).toMatch(/^(succeeded|nothingSent|failed)$/);
  return { runId, run: await send<Run>(page, 'runs.get', { runId }) };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

test('a canary secret used in succeeding and failing runs, a database step and an API key is found nowhere Ferry keeps or shows anything', async ({ ferry }) => {
  test.setTimeout(180_000);
  const api = await startCanaryApi();
  // A least-privilege role whose password is the canary; the table sits in the role's own schema.
  const admin = await adminClient();
  const role = await createTestRole(admin, 'ferry_canary', [], { password: CANARY_PG });
  await admin.query(`CREATE TABLE ${role.schema}.${TABLE} (id TEXT PRIMARY KEY, title TEXT)`);
  const leaks: string[] = [];
  try {
    const page = await ferry.openPage('options.html#/overview');
    await send(page, 'credentials.set', { name: 'canary', value: CANARY });
    await send(page, 'credentials.set', { name: 'canaryPg', value: CANARY_PG });
    await send(page, 'env.set', { name: 'CANARY_CONTROL', value: CONTROL });
    // Payload bodies are recorded (opt-in) for this test, so the audit's body path is scanned too.
    await send(page, 'audit.setSettings', { recordBodies: true });

    // The API key: validated on save with the canary, again on demand; a rotation to a key the API
    // refuses (it echoes the key back) is refused, and the canary stays the active key.
    const config = readFileSync(path.join(process.cwd(), 'tests/fixtures/seed/api-key-config.txt'), 'utf8');
    const saved = await send<{ lastValidation: { ok: boolean }; dueAt: number }>(page, 'apiKeys.save', { name: 'canaryKey', value: CANARY, baseUrl: api.url, auth: 'Authorization: Bearer', apiKeyConfig: config });
    expect(saved.lastValidation.ok).toBe(true);
    expect((await send<{ lastValidation: { ok: boolean } }>(page, 'apiKeys.validate', { name: 'canaryKey' })).lastValidation.ok).toBe(true);
    const rotation = await send(page, 'apiKeys.rotate', { name: 'canaryKey', newValue: CANARY_NEXT }).catch((error: Error) => error);
    expect(rotation).toBeInstanceOf(Error);
    expect((rotation as Error).message).toContain('current key stays active');
    leaks.push(...hits('apiKeys.rotate error', (rotation as Error).message));
    const refused = await send(page, 'apiKeys.save', { name: 'canaryBad', value: CANARY_NEXT, baseUrl: api.url, auth: 'Authorization: Bearer', apiKeyConfig: config }).catch((error: Error) => error);
    expect((refused as Error).message).toMatch(/did not validate/);
    leaks.push(...hits('apiKeys.save error', (refused as Error).message));
    expect((await send<{ lastValidation: { ok: boolean } }>(page, 'apiKeys.validate', { name: 'canaryKey' })).lastValidation.ok).toBe(true);

    // Runs: one that succeeds, one the API fails with 500 and one with 401 (both echo the token), a
    // database insert with the canary as its password, and the same rows again refused as duplicates.
    const records = [{ id: 'a', title: 'first' }, { id: 'b', title: 'second' }];
    const ok = await runToEnd(page, httpPipeline('canary-ok', `${api.url}/ok/items`), records);
    expect(ok.run).toMatchObject({ status: 'succeeded', counts: { sent: 2 } });
    const five = await runToEnd(page, httpPipeline('canary-500', `${api.url}/fail500/items`), records);
    expect(five.run.status).toBe('failed');
    const four = await runToEnd(page, httpPipeline('canary-401', `${api.url}/fail401/items`), records);
    expect(four.run.status).toBe('failed');
    const db = await runToEnd(page, pgPipeline('canary-pg', TABLE, role), records);
    expect(db.run).toMatchObject({ status: 'succeeded', counts: { sent: 2 } });
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${role.schema}.${TABLE}`)).rows[0]).toEqual({ n: 2 });
    const dbFail = await runToEnd(page, pgPipeline('canary-pg-duplicates', TABLE, role, 'error'), records);
    expect(dbFail.run.status).toBe('failed');
    const runIds = [ok, five, four, db, dbFail].map((r) => r.runId);
    expect(api.seen.filter((s) => s.path === '/fail500/items').length).toBeGreaterThanOrEqual(2);

    // The audit log records every call: each run's requests, and the key's validations.
    type Audit = { operation?: string; credential?: string; method: string; host: string; status?: number; outcome: string; body?: string };
    const okAudit = await send<Audit[]>(page, 'runs.audit', { runId: ok.runId });
    expect(okAudit.map((a) => [a.operation, a.method, a.status])).toEqual([['http', 'POST', 201], ['http', 'POST', 201]]);
    expect(okAudit.map((a) => a.body).join(' ')).toMatch(/first[^]*second|second[^]*first/);
    expect((await send<Audit[]>(page, 'runs.audit', { runId: five.runId })).every((a) => a.status === 500)).toBe(true);
    // Every request the API saw has its entry, retries included.
    for (const [run, itemsPath] of [[ok, '/ok/items'], [five, '/fail500/items'], [four, '/fail401/items']] as const) {
      const entries = await send<Audit[]>(page, 'runs.audit', { runId: run.runId });
      expect(entries.length, itemsPath).toBe(api.seen.filter((s) => s.path === itemsPath).length);
    }
    const dbAudit = await send<Audit[]>(page, 'runs.audit', { runId: db.runId });
    expect(dbAudit).toMatchObject([{ operation: 'database', method: 'db.insert', host: 'postgresql:127.0.0.1:5432/test', outcome: 'success' }]);
    expect((await send<Audit[]>(page, 'runs.audit', { runId: dbFail.runId })).length).toBeGreaterThanOrEqual(1);

    // Exports: everything, and each run's.
    const exports = [await send<{ jsonl: string; count: number }>(page, 'audit.export', {})];
    for (const runId of runIds) exports.push(await send<{ jsonl: string; count: number }>(page, 'audit.export', { runId }));
    const all = exports[0]!.jsonl.trim().split('\n').map((line) => JSON.parse(line) as Audit);
    // This test's keys only: the browser (a worker-scoped fixture) may hold other specs' keys too.
    const ours = (a: Audit) => a.operation === 'apiKey.validate' && (a.credential === 'canaryKey' || a.credential === 'canaryBad');
    expect(all.filter(ours).map((a) => a.outcome)).toEqual(['valid', 'valid', 'invalid', 'invalid', 'valid']);
    exports.forEach((e, i) => leaks.push(...hits(`audit export ${i}`, e.jsonl)));

    // Every IndexedDB store of the extension, read in the worker with the raw API; binary values
    // (the vault's ciphertexts) as latin1 text, so the plaintext's bytes would show.
    const worker = await ferry.currentWorker();
    const dump = await worker.evaluate(async () => {
      const encode = (value: unknown): unknown => {
        if (value instanceof ArrayBuffer) return { bytes: Array.from(new Uint8Array(value), (b) => String.fromCharCode(b)).join('') };
        if (ArrayBuffer.isView(value)) return { bytes: Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength), (b) => String.fromCharCode(b)).join('') };
        if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) return { cryptoKey: value.algorithm, extractable: value.extractable };
        if (Array.isArray(value)) return value.map(encode);
        if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
        return value;
      };
      const out: Record<string, unknown[]> = {};
      for (const info of await indexedDB.databases()) {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(info.name!);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        for (const store of Array.from(db.objectStoreNames)) {
          out[`${info.name}/${store}`] = await new Promise<unknown[]>((resolve, reject) => {
            const request = db.transaction(store).objectStore(store).getAll();
            request.onsuccess = () => resolve((request.result as unknown[]).map(encode));
            request.onerror = () => reject(request.error);
          });
        }
        db.close();
      }
      return {
        idb: out,
        local: await chrome.storage.local.get(null),
        session: encode(await chrome.storage.session.get(null)),
      };
    });
    const stores = Object.keys(dump.idb);
    expect(stores).toEqual(expect.arrayContaining(['ferry/credentials', 'ferry/audit', 'ferry/deadLetters', 'ferry/jobs', 'ferry/runs', 'ferry/apiKeys']));
    // This test's three (the shared browser may hold other specs' credentials too), as ciphertext.
    expect((dump.idb['ferry/credentials'] as { name: string }[]).map((c) => c.name)).toEqual(expect.arrayContaining(['canary', 'canaryPg', 'canaryKey']));
    expect(dump.idb['ferry/deadLetters']!.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(dump.idb['ferry/envVars'])).toContain(CONTROL);
    for (const [store, rows] of Object.entries(dump.idb)) leaks.push(...hits(`IndexedDB ${store}`, JSON.stringify(rows)));
    leaks.push(...hits('storage.local', JSON.stringify(dump.local)), ...hits('storage.session', JSON.stringify(dump.session)));

    // Every file under the host's home: logs (debug level), its SQLite database, the sandbox.
    const files = filesUnder(ferry.ferryHome).filter((file) => statSync(file).size > 0);
    expect(files.some((file) => /\.log/.test(path.basename(file)))).toBe(true);
    for (const file of files) leaks.push(...hits(`file ${path.relative(ferry.ferryHome, file)}`, readFileSync(file).toString('latin1')));

    // What the pages render: the options sections, every run's detail, and the popup.
    const views = ['#/overview', '#/integrations', '#/pipelines', '#/runs', '#/credentials', '#/settings', '#/about', ...runIds.map((id) => `#/runs/${id}`)];
    for (const view of views) {
      await page.goto(`chrome-extension://${ferry.extensionId}/options.html${view}`);
      await page.waitForFunction(() => (document.querySelector('#root')?.textContent ?? '').length > 0);
      if (view.startsWith('#/runs/')) await expect(page.getByTestId('run-detail')).toBeVisible();
      await page.waitForTimeout(500);
      if (view === '#/credentials') {
        await expect(page.getByText(CONTROL)).toBeVisible();
        expect(await page.evaluate(() => document.body.innerText)).toContain(CONTROL);
      }
      leaks.push(...hits(`options ${view} text`, await page.evaluate(() => document.body.innerText)), ...hits(`options ${view} html`, await page.content()));
    }
    const runDetail = await (async () => {
      await page.goto(`chrome-extension://${ferry.extensionId}/options.html#/runs/${four.runId}`);
      await expect(page.getByTestId('dead-item').first()).toBeVisible();
      return page.evaluate(() => document.body.innerText);
    })();
    expect(runDetail).toMatch(/401/);
    const popup = await ferry.openPage('popup.html');
    await popup.waitForFunction(() => (document.querySelector('#root')?.textContent ?? '').length > 0);
    await popup.waitForTimeout(800);
    leaks.push(...hits('popup text', await popup.evaluate(() => document.body.innerText)), ...hits('popup html', await popup.content()));
    await popup.close();
    await page.close();

    test.info().annotations.push({ type: 'scanned', description: `${stores.length} IndexedDB stores, ${files.length} host files, ${views.length} option views, ${exports.length} exports` });
    expect(leaks).toEqual([]);
  } finally {
    await role.drop().catch(() => undefined);
    await admin.end();
    await api.close();
  }
});
