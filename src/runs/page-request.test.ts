import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import type { HttpRequestNode } from '../integrations';
import { pageKey, pageRequest } from './page-request';
import type { RenderedDelivery } from './render-delivery';

const request: HttpRequestNode = { method: 'GET', url: 'https://api.example.test/v1/items', query: { per: 3 }, headers: { authorization: 'Bearer tok_secret', 'idempotency-key': 'run-1:0' } };
const first: RenderedDelivery = {
  url: request.url,
  target: { method: 'GET', host: 'api.example.test', path: '/v1/items' },
  retryRequest: { method: 'GET', headers: request.headers as Record<string, string> },
  idempotencyKey: 'run-1:0',
  scrub: (text) => text.replaceAll('tok_secret', '[redacted]'),
  send: () => Promise.reject(new Error('not sent in unit tests')),
  request,
};

describe('pageRequest', () => {
  it('page 1 sends the job\'s key as rendered; page n its own `<key>:page-n`, under the header name the step wrote', () => {
    expect(pageRequest(first, request, 0, {})).toMatchObject({ idempotencyKey: 'run-1:0', request: { headers: { 'idempotency-key': 'run-1:0', authorization: 'Bearer tok_secret' } } });
    const third = pageRequest(first, { ...request, query: { per: 3, page: 3 } }, 2, {});
    expect(third).toMatchObject({ idempotencyKey: 'run-1:0:page-3', retryRequest: { method: 'GET', headers: { 'idempotency-key': 'run-1:0:page-3' } }, request: { query: { per: 3, page: 3 } } });
    expect(Object.keys(third.request!.headers!)).toEqual(['authorization', 'idempotency-key']);
    expect(pageKey('k', 0)).toBe('k');
    expect(pageKey('k', 1)).toBe('k:page-2');
  });

  it('audits and keys the breaker by the page\'s own URL (a next link may change the path), scrubbed', () => {
    const next = pageRequest(first, { ...request, url: 'https://api.example.test/v2/tok_secret/items?after=x', query: undefined }, 1, {});
    expect(next.url).toBe('https://api.example.test/v2/tok_secret/items?after=x');
    expect(next.target).toEqual({ method: 'GET', host: 'api.example.test', path: '/v2/[redacted]/items' });
  });

  it('adds the key when the rendered headers have none', () => {
    const bare = pageRequest({ ...first, request: { ...request, headers: {} } }, { ...request, headers: {} }, 1, {});
    expect(bare.request!.headers).toEqual({ 'Idempotency-Key': 'run-1:0:page-2' });
  });

  it('refuses a next link to another origin: the step\'s credentials go only where the user pointed it', () => {
    try {
      pageRequest(first, { ...request, url: 'https://elsewhere.example.test/v1/items?page=2' }, 1, {});
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error, 'PAGINATION_OFF_ORIGIN')).toBe(true);
      expect((error as Error).message).toMatch(/^Page 2 is at https:\/\/elsewhere\.example\.test, another origin than the first page's \(https:\/\/api\.example\.test\)/);
    }
  });
});
