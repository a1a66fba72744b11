/**
 * The request for one page of a paginated read, ready for sendBatch: the job's rendered first
 * request with the URL and query the HTTP integration's paginate() derived for the page (next link,
 * cursor or page number), its own Idempotency-Key, and its own breaker key and audit target.
 *
 * - Idempotency-Key: page 1 sends the job's key exactly as a delivery would; page n sends
 *   `<key>:page-n`. Each page is a different request, so a server that honours the key (a POST search
 *   API) must not answer page 2 with page 1's remembered response; and page numbers are counted in
 *   the checkpoint, so a retried or resumed page sends the same key as the first time.
 * - A next link to another origin is refused (PAGINATION_OFF_ORIGIN): the page is sent with the
 *   step's headers and auth, credentials included, and they go only where the user pointed the step,
 *   never wherever a response points.
 */
import { FerryError } from '../errors/ferry-error';
import { sendHttpRequest, type HttpRequestNode } from '../integrations';
import { auditTarget, type RenderedDelivery } from './render-delivery';
import type { RunDeps } from './types';

const KEY_HEADER = 'idempotency-key';

/** `index` counts pages from 0, resumes included (the checkpoint's `pages`). */
export function pageRequest(first: RenderedDelivery, node: HttpRequestNode, index: number, deps: Pick<RunDeps, 'fetch'>): RenderedDelivery {
  if (index > 0 && originOf(node.url) !== originOf(first.url)) {
    throw new FerryError(
      'PAGINATION_OFF_ORIGIN',
      `Page ${index + 1} is at ${originOf(node.url) ?? 'an invalid URL'}, another origin than the first page's (${originOf(first.url) ?? 'invalid'}); Ferry does not send the step's headers and credentials wherever a response points. The pages read so far are stored.`,
      { page: index + 1 },
    );
  }
  const idempotencyKey = pageKey(first.idempotencyKey, index);
  const headers = withKey(node.headers ?? {}, idempotencyKey);
  const method = (node.method ?? 'GET').toUpperCase();
  const page: HttpRequestNode = { ...node, headers };
  return {
    url: node.url,
    target: auditTarget(method, node.url, first.scrub),
    retryRequest: { method, headers },
    idempotencyKey,
    scrub: first.scrub,
    send: (signal) => sendHttpRequest(page, { signal, ...(deps.fetch ? { fetch: deps.fetch } : {}) }),
    request: page,
  };
}

export function pageKey(jobKey: string, index: number): string {
  return index === 0 ? jobKey : `${jobKey}:page-${index + 1}`;
}

/** The rendered headers with the key header (under whatever name case the step wrote it) set to `key`. */
function withKey(headers: NonNullable<HttpRequestNode['headers']>, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  let named = false;
  for (const [name, value] of Object.entries(headers)) {
    const isKey = name.toLowerCase() === KEY_HEADER;
    out[name] = isKey ? key : String(value);
    named ||= isKey;
  }
  if (!named) out['Idempotency-Key'] = key;
  return out;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
