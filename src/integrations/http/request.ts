import ky, { TimeoutError } from 'ky';
import { FerryError, isFerryError } from '../../errors/ferry-error';
import { attemptFailure, networkReason } from '../shared/attempt-errors';
import { attemptSignal } from '../shared/attempt-signal';
import { redact } from '../shared/redact';
import { validTimeout } from '../shared/timeout';
import { applyAuth, takeUserinfo } from './auth';
import { buildHeaders } from './headers';
import { encodeBody } from './body';
import { headersToRecord, readBody } from './response';
import type { AttemptOptions, HttpAttempt, HttpMethod, HttpRequestNode } from './types';
import { buildUrl } from './url';

export { redact };

export { DEFAULT_TIMEOUT_MS } from '../shared/timeout';
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

/**
 * Sends one request for an already-templated node and returns what happened. Exactly one attempt:
 * ky's retry is off and HTTP errors do not throw, because retries, breakers and outcome labels
 * belong to src/resilience, which wraps this function (retries inside ky would multiply theirs).
 * Throws FerryError NETWORK_ERROR / TIMEOUT / ABORTED when no response arrived, and INVALID_REQUEST
 * before sending anything when the node cannot be sent.
 */
export async function sendHttpRequest(node: HttpRequestNode, options: AttemptOptions = {}): Promise<HttpAttempt> {
  const method = normalizeMethod(node.method);
  const url = buildUrl(node.url, node.query);
  const headers = buildHeaders(node.headers);
  const userinfo = takeUserinfo(url);
  applyAuth(url, headers, node.auth ?? userinfo);
  const encoded = encodeBody(node.body, node.bodyType);
  if (encoded.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new FerryError('INVALID_REQUEST', `a ${method} request cannot have a body`, { field: 'body', method });
  }
  if (encoded.dropContentType) headers.delete('content-type');
  else if (encoded.contentType && !headers.has('content-type')) headers.set('content-type', encoded.contentType);
  const timeout = validTimeout(node.timeout);

  if (options.signal?.aborted) throw attemptFailure('ABORTED', method, url);
  const attempt = attemptSignal(options.signal);
  const started = performance.now();
  try {
    // Bound: ky calls it as a method of its options (`this._options.fetch(...)`), and a browser's
    // fetch called on another object throws "Illegal invocation" (Node's does not mind).
    const send = options.fetch ?? globalThis.fetch.bind(globalThis);
    const response = await ky(url, {
      method,
      headers,
      timeout,
      retry: 0,
      throwHttpErrors: false,
      redirect: node.followRedirects === false ? 'manual' : 'follow',
      signal: attempt.signal,
      // ky clones every request before sending it, to keep a copy for its own retries (off here).
      // Cloning a request with a body costs about a millisecond of the worker's time (its body is
      // teed), more than everything else Ferry does per request, so the body joins in the fetch ky
      // calls instead: what ky clones has none.
      fetch: encoded.body === undefined ? send : (request, init) => send(request, { ...init, body: encoded.body }),
    });
    // ky's timeout ends when the headers arrive; the rest of the budget bounds the body, so a
    // server that trickles its body cannot hold the attempt (and the worker) open.
    attempt.startDeadline(Math.max(0, timeout - (performance.now() - started)));
    const read = await readBody(response, node.responseType ?? 'auto', method);
    const opaque = response.type === 'opaqueredirect';
    return {
      status: response.status,
      ok: response.ok,
      headers: headersToRecord(response.headers),
      ...read,
      durationMs: performance.now() - started,
      url: redact(response.url || url),
      redirected: response.redirected,
      ...(opaque ? { opaqueRedirect: true as const } : {}),
    };
  } catch (error) {
    throw classify(error, attempt.reason(), method, url, timeout, performance.now() - started);
  } finally {
    attempt.dispose();
  }
}

function classify(error: unknown, reason: 'aborted' | 'timeout' | undefined, method: string, url: URL, timeoutMs: number, durationMs: number): FerryError {
  if (reason === 'aborted') return attemptFailure('ABORTED', method, url, { durationMs });
  if (reason === 'timeout' || error instanceof TimeoutError) return attemptFailure('TIMEOUT', method, url, { timeoutMs, durationMs });
  if (isFerryError(error)) return error;
  // The node was validated before sending, so what fails inside ky/fetch/the body read is the
  // connection: refused, reset, DNS, TLS, too many redirects.
  return attemptFailure('NETWORK_ERROR', method, url, { reason: networkReason(error), durationMs });
}

function normalizeMethod(method: string | undefined): HttpMethod {
  const upper = (method ?? 'GET').toUpperCase() as HttpMethod;
  if (!METHODS.includes(upper)) {
    throw new FerryError('INVALID_REQUEST', `method must be one of ${METHODS.join(', ')}`, { field: 'method' });
  }
  return upper;
}
