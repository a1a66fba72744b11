import { utf8ToBase64 } from '../shared/base64';
import type { HttpAuth } from './types';

/**
 * Puts resolved credentials on a request. Explicit `auth` wins over an Authorization header (or an
 * API-key header/parameter of the same name) written in the node, and a query API key replaces any
 * parameter of that name, so a next-page link that echoes the key never sends it twice.
 */
export function applyAuth(url: URL, headers: Headers, auth: HttpAuth | undefined): void {
  if (!auth) return;
  switch (auth.type) {
    case 'bearer':
      headers.set('authorization', `Bearer ${auth.token}`);
      return;
    case 'basic':
      // RFC 7617: user-id ":" password, UTF-8, base64.
      headers.set('authorization', `Basic ${utf8ToBase64(`${auth.username}:${auth.password}`)}`);
      return;
    case 'apiKey':
      if (auth.in === 'query') url.searchParams.set(auth.name, auth.value);
      else headers.set(auth.name, auth.value);
      return;
  }
}

/**
 * fetch refuses URLs with userinfo (`https://user:pass@host/`), but users paste them. Like curl,
 * treat them as basic auth: removed from the URL (so they never reach a message either) and
 * returned as credentials, which explicit `auth` still overrides.
 */
export function takeUserinfo(url: URL): HttpAuth | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const auth: HttpAuth = { type: 'basic', username: safeDecode(url.username), password: safeDecode(url.password) };
  url.username = '';
  url.password = '';
  return auth;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
