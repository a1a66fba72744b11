/**
 * The HTTP request node after templating: plain values only. It is the seed's node (method, url,
 * headers, body, timeout, followRedirects) plus query, bodyType, responseType and resolved auth.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
export type QueryValue = string | number | boolean | null | undefined;
export type BodyType = 'json' | 'form' | 'multipart' | 'text';
export type ResponseType = 'auto' | 'json' | 'text' | 'binary';

/** Credentials already resolved from the vault by the caller (the background, at send time). */
export type HttpAuth =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'apiKey'; in: 'header' | 'query'; name: string; value: string };

/** A multipart file part: `data` is base64, so the node stays plain JSON that can be persisted. */
export interface FilePart {
  filename: string;
  contentType?: string;
  data: string;
}

export interface HttpRequestNode {
  /** Default GET; case-insensitive. */
  method?: HttpMethod | Lowercase<HttpMethod>;
  url: string;
  /** Merged into the URL's own query string; an array value repeats the parameter. */
  query?: Record<string, QueryValue | QueryValue[]>;
  headers?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Default: json for objects, arrays, numbers and booleans; text for strings. */
  bodyType?: BodyType;
  /** Default auto: by the response's content-type. */
  responseType?: ResponseType;
  auth?: HttpAuth;
  /** Milliseconds for the whole attempt, body included. Default 30 000. */
  timeout?: number;
  /** Default true. false: a 3xx is returned as the result, with its Location header. */
  followRedirects?: boolean;
}

/** What one attempt produced. A 4xx or 5xx is a result like any other, never an exception. */
export interface HttpAttempt {
  status: number;
  ok: boolean;
  /** Lower-case names; repeated headers joined with ", " as fetch does. */
  headers: Record<string, string>;
  /** Parsed by responseType: JSON value, text, base64 string (binary), or null for an empty body. */
  body: unknown;
  /** Set when the body claimed or was asked to be JSON but did not parse; `body` then holds the text. */
  parseError?: string;
  durationMs: number;
  /** The final URL (after redirects), redacted: no query string, no userinfo. */
  url: string;
  /** True when at least one redirect was followed. */
  redirected: boolean;
  /**
   * Browsers hide a redirect from `redirect: 'manual'` fetches (an "opaqueredirect": status 0, no
   * headers, so no Location). When that happens the attempt has status 0 and this flag; Node's fetch
   * returns the real 3xx instead.
   */
  opaqueRedirect?: true;
}

export interface AttemptOptions {
  signal?: AbortSignal;
  /** Defaults to the global fetch; tests and wrappers may pass their own. */
  fetch?: typeof fetch;
}
