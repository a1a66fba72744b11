import type { FerryDB } from './db';
import type { CachedBody, ResponseCacheRow } from './rows';

/**
 * The cache key of a request: method, URL and a SHA-256 of the body, so two POSTs to one URL with
 * different bodies never share an entry, and a large body does not make a large key.
 */
export async function responseCacheKey(method: string, url: string, body?: string | ArrayBuffer | ArrayBufferView): Promise<string> {
  return `${method.toUpperCase()} ${url} ${await sha256Hex(body ?? '')}`;
}

async function sha256Hex(body: string | ArrayBuffer | ArrayBufferView): Promise<string> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface CacheableResponse {
  key: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: CachedBody;
}

/** Response headers that belong to a session rather than to the data, and so are never stored. */
const UNCACHED_HEADERS = new Set(['set-cookie', 'set-cookie2', 'authorization', 'proxy-authorization', 'www-authenticate']);

/** The row as stored: session headers dropped, expiry set. */
export function cacheRow(response: CacheableResponse, ttlMs: number, storedAt: number): ResponseCacheRow {
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !UNCACHED_HEADERS.has(name.toLowerCase())));
  return { ...response, headers, storedAt, expiresAt: storedAt + ttlMs };
}

/** Last good responses, for reads, with a time to live; also what the breaker's `useCache` fallback serves. */
export class ResponseCache {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  /** Inside a caller's transaction (responseCache in its scope), the write commits with it. */
  async put(response: CacheableResponse, ttlMs: number): Promise<ResponseCacheRow> {
    const row = cacheRow(response, ttlMs, this.now());
    await this.db.responseCache.put(row);
    return row;
  }

  /** The entry while it is fresh; undefined once it has expired. */
  async get(key: string): Promise<ResponseCacheRow | undefined> {
    const row = await this.db.responseCache.get(key);
    return row && row.expiresAt > this.now() ? row : undefined;
  }

  /**
   * The entry even after its TTL (until pruned), marked fresh or stale: when the service is down,
   * yesterday's answer is better than none, and the caller decides.
   */
  async getStale(key: string): Promise<{ entry: ResponseCacheRow; fresh: boolean } | undefined> {
    const entry = await this.db.responseCache.get(key);
    return entry && { entry, fresh: entry.expiresAt > this.now() };
  }

  /** Deletes entries that expired more than `graceMs` ago; returns how many went. */
  prune(graceMs = 0): Promise<number> {
    return this.db.responseCache.where('expiresAt').below(this.now() - graceMs).delete();
  }
}
