/** Every body type, query parameters and auth arrive at a real server as sent. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHttpRequest } from '../../src/integrations/http/request';
import { startRestServer, type RestServer } from '../support/servers/rest-server';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer();
});
afterAll(() => server.close());

interface Echo {
  method: string;
  query: Record<string, string[]>;
  headers: Record<string, string>;
  contentType: string;
  body: unknown;
}

async function echo(node: Omit<Parameters<typeof sendHttpRequest>[0], 'url'> & { url?: string }): Promise<Echo> {
  const attempt = await sendHttpRequest({ url: `${server.origin}/echo`, ...node });
  expect(attempt.status).toBe(200);
  return attempt.body as Echo;
}

describe('bodies', () => {
  it('sends the seed HTTP node as written: POST, its headers, and an object body as JSON', async () => {
    const got = await echo({
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t0k', 'X-Client-Version': '1.0.0' },
      body: { data: [{ a: 1 }], metadata: { source: 'browser-workflow', timestamp: '2024-01-01T00:00:00.000Z' } },
    });
    expect(got.method).toBe('POST');
    expect(got.contentType).toBe('application/json');
    expect(got.headers.authorization).toBe('Bearer t0k');
    expect(got.headers['x-client-version']).toBe('1.0.0');
    expect(got.body).toEqual({ data: [{ a: 1 }], metadata: { source: 'browser-workflow', timestamp: '2024-01-01T00:00:00.000Z' } });
  });

  it('defaults to JSON for objects and arrays, and sets the content type when none is given', async () => {
    const got = await echo({ method: 'PUT', body: [1, 'two', { three: 3 }] });
    expect(got.method).toBe('PUT');
    expect(got.contentType).toBe('application/json');
    expect(got.body).toEqual([1, 'two', { three: 3 }]);
  });

  it('sends form bodies urlencoded, arrays repeated, nested objects as JSON text', async () => {
    const got = await echo({ method: 'POST', bodyType: 'form', body: { name: 'Ada Lovelace', tags: ['a', 'b & c'], n: 3, ok: true, meta: { x: 1 }, skip: null } });
    expect(got.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(got.body).toEqual({ name: ['Ada Lovelace'], tags: ['a', 'b & c'], n: ['3'], ok: ['true'], meta: ['{"x":1}'] });
  });

  it('sends multipart bodies with file parts as real files, dropping a boundary-less Content-Type', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const got = await echo({
      method: 'PATCH',
      bodyType: 'multipart',
      headers: { 'Content-Type': 'multipart/form-data' },
      body: {
        title: 'report',
        file: { filename: 'data.bin', contentType: 'application/x-test', data: bytes.toString('base64') },
        notes: [{ filename: 'a.txt', contentType: 'text/plain', data: Buffer.from('héllo').toString('base64') }, 'inline'],
      },
    });
    expect(got.method).toBe('PATCH');
    expect(got.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(got.body).toEqual({
      title: ['report'],
      file: [{ filename: 'data.bin', type: 'application/x-test', size: 5, base64: bytes.toString('base64') }],
      notes: [{ filename: 'a.txt', type: 'text/plain', size: 6, base64: Buffer.from('héllo').toString('base64') }, 'inline'],
    });
  });

  it('sends text bodies as is, keeping a Content-Type the node set', async () => {
    const csv = 'id,name\n1,Ada\n2,Grace ✓\n';
    const plain = await echo({ method: 'POST', body: csv });
    expect(plain.contentType).toMatch(/^text\/plain/);
    expect(plain.body).toBe(csv);
    const typed = await echo({ method: 'POST', bodyType: 'text', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(typed.contentType).toBe('text/csv');
    expect(typed.body).toBe(csv);
  });

  it('sends DELETE, with and without a body', async () => {
    expect((await echo({ method: 'DELETE' })).method).toBe('DELETE');
    expect((await echo({ method: 'delete', body: { ids: [1, 2] } })).body).toEqual({ ids: [1, 2] });
  });
});

describe('query parameters and auth', () => {
  it('merges query parameters into the URL, keeping its own and repeating arrays', async () => {
    const got = await echo({ url: `${server.origin}/echo?fixed=1&q=x`, query: { q: 'y z', ids: [1, 2, 3], flag: false, none: null } });
    expect(got.query).toEqual({ fixed: ['1'], q: ['x', 'y z'], ids: ['1', '2', '3'], flag: ['false'] });
  });

  it('puts an API key in the query, replacing a parameter of the same name', async () => {
    const got = await echo({ url: `${server.origin}/echo?api_key=stale`, auth: { type: 'apiKey', in: 'query', name: 'api_key', value: 'k€y' } });
    expect(got.query.api_key).toEqual(['k€y']);
  });

  it('puts an API key in a header', async () => {
    const got = await echo({ auth: { type: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'secret-1' } });
    expect(got.headers['x-api-key']).toBe('secret-1');
  });

  it('sends bearer auth, overriding an Authorization header written in the node', async () => {
    const got = await echo({ headers: { Authorization: 'Bearer old' }, auth: { type: 'bearer', token: 'new-token' } });
    expect(got.headers.authorization).toBe('Bearer new-token');
  });

  it('turns userinfo in the URL into basic auth (fetch refuses such URLs)', async () => {
    const got = await echo({ url: `${server.origin.replace('//', '//ada:l%C3%B6ve@')}/echo` });
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('ada:löve', 'utf8').toString('base64')}`);
  });

  it('sends basic auth as base64 of UTF-8 user:password', async () => {
    const got = await echo({ auth: { type: 'basic', username: 'zoë', password: 'p:ss' } });
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('zoë:p:ss', 'utf8').toString('base64')}`);
  });
});
