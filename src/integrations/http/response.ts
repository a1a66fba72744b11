import { bytesToBase64 } from '../shared/base64';
import type { ResponseType } from './types';

export interface ReadBody {
  body: unknown;
  parseError?: string;
}

export function headersToRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** What `auto` makes of a content-type: JSON (incl. `+json`), text-like, or bytes. */
export function typeFromContentType(contentType: string | null): Exclude<ResponseType, 'auto'> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '') return 'text';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type.startsWith('text/') || type.endsWith('+xml') || /^application\/(xml|javascript|x-www-form-urlencoded|graphql)$/.test(type)) return 'text';
  return 'binary';
}

/**
 * Reads the body once, in the requested form. An empty body is null whatever the type (HEAD, 204,
 * 304, or a server that sent nothing). JSON that does not parse keeps its text and says so, rather
 * than throwing: an HTML error page behind a JSON content-type is still a result worth recording.
 */
export async function readBody(response: Response, responseType: ResponseType, method: string): Promise<ReadBody> {
  if (method === 'HEAD' || response.body === null) return { body: null };
  const type = responseType === 'auto' ? typeFromContentType(response.headers.get('content-type')) : responseType;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length === 0) return { body: null };
  if (type === 'binary') return { body: bytesToBase64(bytes) };
  const text = new TextDecoder().decode(bytes);
  if (type === 'text') return { body: text };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    // A fixed message: the engine's own quotes a slice of the body.
    return { body: text, parseError: 'the body is not valid JSON' };
  }
}
