/** No response: timeouts, refused connections and aborts become typed errors without secrets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFerryError } from '../../src/errors/ferry-error';
import { sendHttpRequest } from '../../src/integrations/http/request';
import { refusedPort } from '../support/servers/listen';
import { startRestServer, type RestServer } from '../support/servers/rest-server';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer();
});
afterAll(() => server.close());

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.unreachable('the attempt should have failed'),
    (e: unknown) => e,
  );
  if (!isFerryError(error)) throw error;
  return error;
}

describe('attempt failures', () => {
  it('times out when the server is slower than the timeout', async () => {
    const started = performance.now();
    const error = await failure(sendHttpRequest({ url: `${server.origin}/slow?ms=5000&api_key=s3cret`, timeout: 150 }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(`GET ${server.origin}/slow timed out after 150 ms`);
    expect(JSON.stringify(error)).not.toContain('s3cret');
  });

  it('times out when the headers arrive in time but the body does not', async () => {
    const error = await failure(sendHttpRequest({ url: `${server.origin}/slow-body?ms=5000`, timeout: 200 }));
    expect(error.code).toBe('TIMEOUT');
  });

  it('is a network error when the connection is refused, and names no query string or userinfo', async () => {
    const port = await refusedPort();
    const error = await failure(sendHttpRequest({ method: 'POST', url: `http://user:pw@127.0.0.1:${port}/v1/data?token=s3cret`, auth: { type: 'apiKey', in: 'query', name: 'key', value: 'k3y' }, body: {} }));
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe(`POST http://127.0.0.1:${port}/v1/data failed before a response arrived (network error) (ECONNREFUSED)`);
    expect(error.details).toEqual({ method: 'POST', url: `http://127.0.0.1:${port}/v1/data`, reason: 'ECONNREFUSED', durationMs: expect.any(Number) });
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toMatch(/s3cret|k3y|pw/);
  });

  it('is aborted when the caller aborts mid-request', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(sendHttpRequest({ url: `${server.origin}/slow?ms=5000`, timeout: 10_000 }, { signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
  });

  it('is aborted while reading the body, too', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(sendHttpRequest({ url: `${server.origin}/slow-body?ms=5000` }, { signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
  });

  it('sends nothing when the signal is already aborted', async () => {
    const before = server.requests.length;
    const error = await failure(sendHttpRequest({ url: `${server.origin}/json` }, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('ABORTED');
    expect(server.requests.length).toBe(before);
  });

  it('refuses a node it cannot send, before sending, without echoing the URL', async () => {
    const bad = await failure(sendHttpRequest({ url: 'not a url?key=s3cret' }));
    expect(bad.code).toBe('INVALID_REQUEST');
    expect(bad.message).not.toContain('s3cret');
    expect((await failure(sendHttpRequest({ method: 'GET', url: `${server.origin}/echo`, body: { a: 1 } }))).code).toBe('INVALID_REQUEST');
    expect((await failure(sendHttpRequest({ url: `${server.origin}/echo`, headers: { 'x-bad': 'a\nb' } }))).message).toBe('header "x-bad" has an invalid name or value');
    expect((await failure(sendHttpRequest({ url: `${server.origin}/echo`, timeout: 0 }))).code).toBe('INVALID_REQUEST');
  });
});
