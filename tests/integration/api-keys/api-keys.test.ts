import 'fake-indexeddb/auto';
/**
 * API keys against a real validation endpoint (node:http on 127.0.0.1) over fake-indexeddb: a key
 * is validated on save and refused when it fails (unless forced), validated on demand and by the
 * daily check, and a rotation replaces it only once the new key validates, the old one staying
 * active otherwise. Every validation is audited; no key is ever in a message, a row or an entry.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeys } from '../../../src/auth/api-keys';
import { isFerryError } from '../../../src/errors/ferry-error';
import { createRepositories, type Repositories } from '../../../src/storage/repositories';
import { testClock, testDb } from '../../../src/storage/test-db.test-support';

const SEED = readFileSync(path.join(__dirname, '../../fixtures/seed/api-key-config.txt'), 'utf8');
const GOOD = 'key_live_GOOD_0123456789abcdef';
const NEXT = 'key_live_NEXT_fedcba9876543210';
const WRONG = 'key_live_WRONG_/+=ü_secret';
const DAY = 86_400_000;

let server: Server;
let base: string;
let accepted: Set<string>;
const requests: { path: string; auth?: string; query: string }[] = [];

beforeEach(async () => {
  accepted = new Set([GOOD]);
  requests.length = 0;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization ?? req.headers['x-api-key'];
    requests.push({ path: url.pathname, ...(typeof auth === 'string' ? { auth } : {}), query: url.search });
    const key = typeof auth === 'string' ? auth.replace(/^Bearer /, '') : url.searchParams.get('api_key') ?? '';
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/v2/api/v1/validate' || url.pathname === '/api/v1/validate') {
      // A careless API: it echoes the key it refused, in the body.
      if (accepted.has(key)) return json(200, { status: 'valid', plan: 'pro' });
      return json(url.searchParams.has('soft') ? 200 : 401, { status: 'invalid', key });
    }
    if (url.pathname === '/wrong-shape') return json(200, { status: 'revoked', echo: key });
    return json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
});

async function setup() {
  const clock = testClock(Date.UTC(2026, 10, 28, 12));
  const repos = createRepositories(await testDb(), { now: clock.now });
  const changes: number[] = [];
  const keys = new ApiKeys(repos.db, repos.vault, repos.audit, { now: clock.now, onChange: () => changes.push(clock.now()) });
  return { clock, repos, keys, changes };
}

async function refusal(promise: Promise<unknown>, code: string): Promise<string> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isFerryError(error, code)) throw new Error(`expected ${code}, got ${String(error)}`);
  return error.message;
}

function noSecretIn(repos: Repositories, ...texts: string[]) {
  return Promise.all(repos.db.tables.filter((t) => t.name !== 'credentials').map((t) => t.toArray())).then((rows) => {
    const all = JSON.stringify(rows) + texts.join(' ');
    for (const secret of [GOOD, NEXT, WRONG, encodeURIComponent(WRONG)]) expect(all).not.toContain(secret);
  });
}

describe('API keys', () => {
  it('saves a key that validates: the value in the vault, the due dates from the seed block, the call audited', async () => {
    const { repos, keys, clock, changes } = await setup();
    const saved = await keys.save({ name: 'billing', value: GOOD, baseUrl: base, auth: 'Authorization: Bearer', apiKeyConfig: SEED });
    expect(saved).toMatchObject({
      name: 'billing', baseUrl: base, auth: { in: 'header', name: 'Authorization', prefix: 'Bearer' }, state: 'ok',
      rotatedAt: clock.now(), dueAt: clock.now() + 30 * DAY, remindAt: clock.now() + 23 * DAY,
      lastValidation: { at: clock.now(), ok: true, status: 200, detail: 'Valid: HTTP 200, the answer matches.' },
    });
    expect(await repos.vault.resolveCredential('billing')).toBe(GOOD);
    expect(requests).toEqual([{ path: '/api/v1/validate', auth: `Bearer ${GOOD}`, query: '' }]);
    expect(changes).toHaveLength(1);
    const [entry] = await repos.db.audit.toArray();
    expect(entry).toMatchObject({ runId: '', operation: 'apiKey.validate', credential: 'billing', method: 'GET', host: new URL(base).host, path: '/api/v1/validate', status: 200, outcome: 'valid', attempt: 1 });
    expect(await keys.list()).toEqual([saved]);
    await noSecretIn(repos, JSON.stringify(saved));
  });

  it('refuses a key that does not validate, with the reason and never the key (the server echoes it); force keeps it', async () => {
    const { repos, keys } = await setup();
    const message = await refusal(keys.save({ name: 'billing', value: WRONG, baseUrl: base, apiKeyConfig: SEED }), 'API_KEY_INVALID');
    expect(message).toMatch(/^The API key "billing" did not validate, so it was not saved: The validation endpoint answered HTTP 401 \(expected a 2xx status\): .*\[redacted\].* Check the key/);
    expect(await repos.db.credentials.count()).toBe(0);
    expect(await repos.db.apiKeys.count()).toBe(0);

    const forced = await keys.save({ name: 'billing', value: WRONG, baseUrl: base, apiKeyConfig: SEED, force: true });
    expect(forced.lastValidation).toMatchObject({ ok: false, status: 401 });
    expect(await repos.vault.resolveCredential('billing')).toBe(WRONG);
    expect((await repos.db.audit.toArray()).map((a) => a.outcome)).toEqual(['invalid', 'invalid']);
    await noSecretIn(repos, message, JSON.stringify(forced));
  });

  it('matches expectedResponse against the body: a 200 with another status is not valid', async () => {
    const { repos, keys } = await setup();
    const config = { validation: { testEndpoint: '/wrong-shape', expectedResponse: { status: 'valid' } } };
    const message = await refusal(keys.save({ name: 'k', value: GOOD, baseUrl: base, apiKeyConfig: config }), 'API_KEY_INVALID');
    expect(message).toContain('status is "revoked", expected "valid"');
    await noSecretIn(repos, message);
  });

  it('resolves the endpoint under the base URL\'s path, and sends the key in a header or the query as told', async () => {
    const { repos, keys } = await setup();
    await keys.save({ name: 'a', value: GOOD, baseUrl: `${base}/v2/`, auth: 'X-API-Key', apiKeyConfig: SEED });
    await keys.save({ name: 'b', value: GOOD, baseUrl: base, auth: 'query:api_key', apiKeyConfig: SEED });
    expect(requests).toEqual([
      { path: '/v2/api/v1/validate', auth: GOOD, query: '' },
      { path: '/api/v1/validate', query: `?api_key=${GOOD}` },
    ]);
    // The audit keeps the path only: the key in the query is not recorded.
    expect((await repos.db.audit.toArray()).map((a) => a.path)).toEqual(['/v2/api/v1/validate', '/api/v1/validate']);
    await noSecretIn(repos);
  });

  it('rotation: a new key that fails validation is refused and the old one stays active; one that passes replaces it', async () => {
    const { repos, keys, clock } = await setup();
    const saved = await keys.save({ name: 'billing', value: GOOD, baseUrl: base, apiKeyConfig: SEED });
    clock.advance(25 * DAY);
    expect((await keys.list())[0]!.state).toBe('dueSoon');

    const message = await refusal(keys.rotate('billing', NEXT), 'API_KEY_ROTATION_REFUSED');
    expect(message).toMatch(/^The new key for "billing" did not validate, so the current key stays active: The validation endpoint answered HTTP 401/);
    expect(await repos.vault.resolveCredential('billing')).toBe(GOOD);
    expect((await keys.list())[0]).toMatchObject({ rotatedAt: saved.rotatedAt, state: 'dueSoon' });

    accepted.add(NEXT); // the provider issued the new key
    const rotated = await keys.rotate('billing', NEXT);
    expect(rotated).toMatchObject({ rotatedAt: clock.now(), dueAt: clock.now() + 30 * DAY, state: 'ok', lastValidation: { ok: true } });
    expect(await repos.vault.resolveCredential('billing')).toBe(NEXT);
    expect(requests.map((r) => r.auth)).toEqual([`Bearer ${GOOD}`, `Bearer ${NEXT}`, `Bearer ${NEXT}`]);
    expect((await repos.db.audit.toArray()).map((a) => a.outcome)).toEqual(['valid', 'invalid', 'valid']);
    await noSecretIn(repos, message);
  });

  it('validates on demand and in the daily check (only keys a day stale), recording failures too', async () => {
    const { keys, clock } = await setup();
    await keys.save({ name: 'billing', value: GOOD, baseUrl: base, apiKeyConfig: SEED });
    accepted.clear(); // the provider revoked it
    clock.advance(DAY / 2);
    expect(await keys.validateStale(DAY)).toEqual([]);
    clock.advance(DAY / 2);
    const [checked] = await keys.validateStale(DAY);
    expect(checked!.lastValidation).toMatchObject({ at: clock.now(), ok: false, status: 401 });
    accepted.add(GOOD);
    expect((await keys.validate('billing')).lastValidation).toMatchObject({ ok: true });
  });

  it('reminders: due once per rotation period from due-minus-notifyBefore; rotating starts a new period', async () => {
    const { keys, clock } = await setup();
    const saved = await keys.save({ name: 'billing', value: GOOD, baseUrl: base, apiKeyConfig: SEED });
    expect(await keys.remindersDue()).toEqual([]);
    expect(await keys.nextReminderAt()).toBe(saved.remindAt);
    clock.set(saved.remindAt!);
    expect(await keys.remindersDue()).toEqual([{ name: 'billing', dueAt: saved.dueAt }]);
    await keys.markReminded('billing', saved.dueAt!);
    expect(await keys.remindersDue()).toEqual([]);
    expect(await keys.nextReminderAt()).toBeUndefined();
    const rotated = await keys.rotate('billing', GOOD);
    expect(await keys.nextReminderAt()).toBe(rotated.remindAt);
  });

  it('an unreachable endpoint is a failed validation that names the address, and deleting removes the key from the vault', async () => {
    const { repos, keys } = await setup();
    await keys.save({ name: 'billing', value: GOOD, baseUrl: base, apiKeyConfig: SEED });
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    const result = await keys.validate('billing');
    expect(result.lastValidation).toMatchObject({ ok: false, detail: expect.stringMatching(/^The validation request to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/validate failed/) });
    expect((await repos.db.audit.toArray()).at(-1)).toMatchObject({ outcome: 'network_error' });
    server.listen(0, '127.0.0.1'); // for afterEach
    expect(await keys.delete('billing')).toEqual({ deleted: true });
    expect(await repos.db.credentials.count()).toBe(0);
    expect(await keys.list()).toEqual([]);
    await refusal(keys.validate('billing'), 'API_KEY_NOT_FOUND');
  });

  it('refuses a base URL that would send the key in clear or with extra parts, and an unreadable auth', async () => {
    const { keys } = await setup();
    await refusal(keys.save({ name: 'k', value: GOOD, baseUrl: 'http://api.example.com', apiKeyConfig: SEED }), 'API_KEY_BASE_URL_INVALID');
    await refusal(keys.save({ name: 'k', value: GOOD, baseUrl: `${base}?token=1`, apiKeyConfig: SEED }), 'API_KEY_BASE_URL_INVALID');
    await refusal(keys.save({ name: 'k', value: GOOD, baseUrl: base, auth: 'Bad Header: x y', apiKeyConfig: SEED }), 'API_KEY_AUTH_INVALID');
    await refusal(keys.save({ name: 'k', baseUrl: base, apiKeyConfig: SEED }), 'CREDENTIAL_VALUE_EMPTY');
    await refusal(keys.save({ name: 'k', value: GOOD, baseUrl: base, apiKeyConfig: '{ "apiKeyConfig": { "rotation": { "interval": "soon" } } }' }), 'API_KEY_CONFIG_INVALID');
  });
});
