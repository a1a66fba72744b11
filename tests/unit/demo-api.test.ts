/** The demo API `npm start` runs: validation, Idempotency-Key, CORS for Ferry only, and its listing. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoApi, type DemoApi } from '../../scripts/lib/demo-api.mjs';
import { EXTENSION_ID } from '../../src/protocol/identity';

const FERRY = `chrome-extension://${EXTENSION_ID}`;
let api: DemoApi;

beforeEach(async () => {
  api = await startDemoApi();
});
afterEach(async () => {
  await api.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/v1/contacts`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

const ada = { data: { name: 'Ada Lindqvist', email: 'ada@nordlys.example', company: 'Nordlys' }, metadata: { source: 'test' } };

describe('demo API', () => {
  it('creates a contact with 201, an id and a Location, and lists it', async () => {
    const res = await post(ada, { 'idempotency-key': 'run-1:0' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; status: string; createdAt: string };
    expect(body).toMatchObject({ id: 'ct_0001', status: 'created', contact: ada.data });
    expect(Number.isNaN(Date.parse(body.createdAt))).toBe(false);
    expect(res.headers.get('location')).toBe('/v1/contacts/ct_0001');
    const list = (await (await fetch(`${api.url}/v1/contacts`)).json()) as { count: number; contacts: { id: string; idempotencyKey: string; contact: unknown }[] };
    expect(list.count).toBe(1);
    expect(list.contacts[0]).toMatchObject({ id: 'ct_0001', idempotencyKey: 'run-1:0', contact: ada.data, metadata: { source: 'test' } });
    const html = await (await fetch(`${api.url}/`)).text();
    expect(html).toContain('Ada Lindqvist');
    expect(html).toContain('1 contact from 1 request');
  });

  it('answers a repeated Idempotency-Key with the stored response and inserts nothing', async () => {
    const first = await (await post(ada, { 'idempotency-key': 'k-1' })).json();
    const again = await post(ada, { 'idempotency-key': 'k-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(first);
    expect(api.contacts).toHaveLength(1);
    expect(api.stats).toMatchObject({ requests: 2, created: 1, replayed: 1 });
    // The same key with another body is a client bug, not a retry.
    const other = await post({ data: { ...ada.data, name: 'Someone else' } }, { 'idempotency-key': 'k-1' });
    expect(other.status).toBe(422);
    expect(api.contacts).toHaveLength(1);
  });

  it('refuses what is not a contact, saying why, and remembers nothing for the key', async () => {
    expect((await post('{not json', { 'idempotency-key': 'k-2' })).status).toBe(400);
    const invalid = await post({ data: { name: ' ', email: 'jonas(at)example' } }, { 'idempotency-key': 'k-2' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'validation_failed', message: 'data.name: a name is required; data.email: an email address is required' } });
    expect((await post(ada, { 'idempotency-key': 'k-2' })).status).toBe(201); // corrected, same key
    expect(api.contacts).toHaveLength(1);
    expect((await fetch(`${api.url}/v1/other`)).status).toBe(404);
  });

  it("allows Ferry's extension origin through CORS, and no other", async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/v1/contacts`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' } });
    const ferry = await preflight(FERRY);
    expect(ferry.status).toBe(204);
    expect(ferry.headers.get('access-control-allow-origin')).toBe(FERRY);
    expect(ferry.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
    const site = await preflight('https://evil.example');
    expect(site.headers.get('access-control-allow-origin')).toBeNull();
  });
});
