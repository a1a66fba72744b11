/** Responses of every kind, and HTTP errors returned as results rather than thrown. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHttpRequest } from '../../src/integrations/http/request';
import { startRestServer, type RestServer } from '../support/servers/rest-server';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer();
});
afterAll(() => server.close());

describe('response bodies', () => {
  it('parses JSON by content type', async () => {
    const attempt = await sendHttpRequest({ url: `${server.origin}/json` });
    expect(attempt).toMatchObject({ status: 200, ok: true, body: { hello: 'world', n: 1 }, redirected: false, url: `${server.origin}/json` });
    expect(attempt.headers['content-type']).toBe('application/json');
    expect(attempt.durationMs).toBeGreaterThan(0);
  });

  it('reads text by content type, and any body as text on request', async () => {
    expect((await sendHttpRequest({ url: `${server.origin}/text` })).body).toBe('plain text ✓');
    expect((await sendHttpRequest({ url: `${server.origin}/json`, responseType: 'text' })).body).toBe('{"hello":"world","n":1}');
  });

  it('returns binary bodies as base64, byte for byte', async () => {
    const attempt = await sendHttpRequest({ url: `${server.origin}/binary` });
    expect(Buffer.from(attempt.body as string, 'base64')).toEqual(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
  });

  it('keeps the text of a body that claims JSON but is not, and says so', async () => {
    const attempt = await sendHttpRequest({ url: `${server.origin}/bad-json` });
    expect(attempt).toMatchObject({ status: 502, ok: false, body: '<html>Bad gateway</html>', parseError: 'the body is not valid JSON' });
  });

  it('answers HEAD with headers and a null body, and 204 with a null body', async () => {
    const head = await sendHttpRequest({ method: 'HEAD', url: `${server.origin}/binary` });
    expect(head).toMatchObject({ status: 200, body: null });
    expect(head.headers['content-length']).toBe('256');
    expect(server.requests.at(-1)?.method).toBe('HEAD');
    expect((await sendHttpRequest({ url: `${server.origin}/empty` })).body).toBeNull();
  });
});

describe('HTTP errors are results', () => {
  it('returns 429 with its Retry-After header instead of throwing, in one attempt', async () => {
    const before = server.requests.length;
    const attempt = await sendHttpRequest({ method: 'POST', url: `${server.origin}/status/429?retryAfter=7`, body: { a: 1 } });
    expect(attempt).toMatchObject({ status: 429, ok: false, body: { status: 429 } });
    expect(attempt.headers['retry-after']).toBe('7');
    expect(server.requests.length - before).toBe(1);
  });

  it('returns 500 for a GET in exactly one attempt (ky retries GETs unless told not to)', async () => {
    const before = server.requests.length;
    const attempt = await sendHttpRequest({ url: `${server.origin}/status/503?retryAfter=1` });
    expect(attempt).toMatchObject({ status: 503, ok: false });
    expect(attempt.headers['retry-after']).toBe('1');
    expect(server.requests.length - before).toBe(1);
  });

  it('redacts the attempt URL: no query string, no userinfo', async () => {
    const attempt = await sendHttpRequest({ url: `${server.origin.replace('//', '//user:pw@')}/json?api_key=s3cret`, query: { token: 'x' } });
    expect(attempt.url).toBe(`${server.origin}/json`);
  });
});

describe('redirects', () => {
  it('follows redirects by default and says so', async () => {
    const attempt = await sendHttpRequest({ url: `${server.origin}/redirect?to=/json` });
    expect(attempt).toMatchObject({ status: 200, redirected: true, body: { hello: 'world', n: 1 }, url: `${server.origin}/json` });
  });

  it('returns the 3xx with its Location when followRedirects is false', async () => {
    const before = server.requests.length;
    const attempt = await sendHttpRequest({ url: `${server.origin}/redirect?to=/json&status=301`, followRedirects: false });
    expect(attempt).toMatchObject({ status: 301, ok: false, redirected: false });
    expect(attempt.headers.location).toBe('/json');
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/redirect']);
  });
});
