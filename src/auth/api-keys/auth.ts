/**
 * How an API key is sent when Ferry validates it: a header (`Authorization: Bearer <key>`,
 * `X-API-Key: <key>`) or a query parameter (`?api_key=<key>`). Accepted in a few spellings:
 * `{ in: 'header', name, prefix? }`, `{ header: 'X-API-Key' }`, `{ header: 'Authorization', scheme: 'Bearer' }`,
 * `{ query: 'api_key' }`, or a string `"Authorization: Bearer"` / `"X-API-Key"` / `"query:api_key"`.
 */
import { FerryError } from '../../errors/ferry-error';
import type { ApiKeyAuth } from '../../storage/rows';

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

export function parseApiKeyAuth(input: unknown): ApiKeyAuth {
  const auth = normalise(input);
  if (!auth || !TOKEN.test(auth.name) || (auth.in === 'header' && auth.prefix !== undefined && !/^[A-Za-z0-9._-]{1,32}$/.test(auth.prefix))) {
    throw new FerryError(
      'API_KEY_AUTH_INVALID',
      'Say how the API sends the key: a header such as "Authorization: Bearer" or "X-API-Key", or a query parameter such as "query:api_key".',
    );
  }
  return auth;
}

function normalise(input: unknown): ApiKeyAuth | undefined {
  if (input === undefined || input === null) return { in: 'header', name: 'Authorization', prefix: 'Bearer' };
  if (typeof input === 'string') {
    const text = input.trim();
    if (/^query:/i.test(text)) return { in: 'query', name: text.slice(6).trim() };
    const [name, prefix] = text.split(':', 2).map((s) => s.trim());
    return prefix ? { in: 'header', name: name!, prefix } : { in: 'header', name: name! };
  }
  if (typeof input !== 'object') return undefined;
  const o = input as Record<string, unknown>;
  if (o.in === 'query' && typeof o.name === 'string') return { in: 'query', name: o.name };
  if (typeof o.query === 'string') return { in: 'query', name: o.query };
  const name = o.in === 'header' ? o.name : o.header;
  const prefix = o.prefix ?? o.scheme;
  if (typeof name !== 'string') return undefined;
  if (prefix !== undefined && typeof prefix !== 'string') return undefined;
  return prefix ? { in: 'header', name, prefix } : { in: 'header', name };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http to this machine only: a key never crosses a network in clear. */
export function parseBaseUrl(input: unknown): string {
  try {
    const url = new URL(String(input));
    if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
      if (url.username || url.password || url.search || url.hash) throw new Error('extra parts');
      return url.href.replace(/\/+$/, '');
    }
  } catch {
    // falls through to the message below
  }
  throw new FerryError('API_KEY_BASE_URL_INVALID', 'The API\'s base URL must be an https URL without user, query or fragment (http only for 127.0.0.1 or localhost), e.g. https://api.example.com.');
}
