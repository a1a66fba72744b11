import { FerryError } from '../../errors/ferry-error';
import type { QueryValue } from './types';

/**
 * Parses the node's URL and merges `query` into its own query string (appended, so parameters the
 * URL already carries stay; arrays repeat the name; null and undefined are left out). ky's own
 * `searchParams` option would replace the URL's query string instead, so it is not used.
 */
export function buildUrl(url: string, query?: Record<string, QueryValue | QueryValue[]>): URL {
  const parsed = parseHttpUrl(url);
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== null && item !== undefined) parsed.searchParams.append(name, String(item));
    }
  }
  return parsed;
}

/** The message never repeats the URL: a malformed one may still hold a key. */
export function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FerryError('INVALID_REQUEST', 'url is not a valid absolute URL (expected http:// or https://)', { field: 'url' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FerryError('INVALID_REQUEST', `url must use http or https, not ${parsed.protocol.slice(0, -1)}`, { field: 'url' });
  }
  return parsed;
}
