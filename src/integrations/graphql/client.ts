import { ClientError, GraphQLClient } from 'graphql-request';
import { FerryError, isFerryError } from '../../errors/ferry-error';
import { applyAuth, takeUserinfo } from '../http/auth';
import { buildHeaders } from '../http/headers';
import { headersToRecord } from '../http/response';
import { parseHttpUrl } from '../http/url';
import { attemptFailure, networkReason } from '../shared/attempt-errors';
import { attemptSignal } from '../shared/attempt-signal';
import { redact } from '../shared/redact';
import { validTimeout } from '../shared/timeout';
import type { GraphQLAttempt, GraphQLErrorEntry, GraphQLRequestOptions } from './types';

/** Statuses whose Response must not have a body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Marks a failure of the network itself, so it is told apart from a response we could not parse. */
class NetworkFailure extends Error {
  constructor(readonly original: unknown) {
    super('network failure');
  }
}

/**
 * Sends one GraphQL request with graphql-request and returns what happened: errorPolicy 'all' keeps
 * `errors[]` and partial data together, and a non-2xx answer (graphql-request's ClientError) is
 * turned back into a result. No retries here, as for HTTP. The fetch handed to graphql-request reads
 * the whole body inside our own wrapper, so every network failure (even mid-body) is recognisable as
 * one, and the deadline covers the body too.
 */
export async function sendGraphQLRequest(options: GraphQLRequestOptions): Promise<GraphQLAttempt> {
  const url = parseHttpUrl(options.endpoint);
  const headers = buildHeaders(options.headers);
  applyAuth(url, headers, options.auth ?? takeUserinfo(url));
  const timeout = validTimeout(options.timeout);
  if (options.signal?.aborted) throw attemptFailure('ABORTED', 'POST', url);

  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let responseHeaders: Record<string, string> = {};
  const bufferedFetch: typeof fetch = async (input, init) => {
    let response: Response;
    let bytes: ArrayBuffer;
    try {
      response = await baseFetch(input, init);
      bytes = await response.arrayBuffer();
    } catch (error) {
      throw new NetworkFailure(error);
    }
    responseHeaders = headersToRecord(response.headers);
    return new Response(NULL_BODY.has(response.status) ? null : bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  const attempt = attemptSignal(options.signal);
  attempt.startDeadline(timeout);
  const started = performance.now();
  const finish = (status: number, body: { data?: unknown; errors?: unknown; extensions?: unknown }): GraphQLAttempt => ({
    status,
    ok: status >= 200 && status < 300,
    headers: responseHeaders,
    data: isRecord(body.data) ? body.data : null,
    errors: normalizeErrors(body.errors),
    ...(isRecord(body.extensions) ? { extensions: body.extensions } : {}),
    durationMs: performance.now() - started,
  });
  try {
    const client = new GraphQLClient(url.href, { fetch: bufferedFetch, errorPolicy: 'all', headers });
    const result = await client.rawRequest<unknown>({ query: options.query, variables: options.variables ?? {}, signal: attempt.signal });
    return finish(result.status, result);
  } catch (error) {
    const reason = attempt.reason();
    const durationMs = performance.now() - started;
    if (reason === 'aborted') throw attemptFailure('ABORTED', 'POST', url, { durationMs });
    if (reason === 'timeout') throw attemptFailure('TIMEOUT', 'POST', url, { timeoutMs: timeout, durationMs });
    if (error instanceof NetworkFailure) throw attemptFailure('NETWORK_ERROR', 'POST', url, { reason: networkReason(error.original), durationMs });
    // graphql-request's answer to any non-2xx, with the GraphQL body when there was one.
    if (error instanceof ClientError) return finish(error.response.status, error.response);
    if (isFerryError(error)) throw error;
    // A 2xx whose body is not a GraphQL response (an HTML page, a proxy's JSON): the server answered,
    // but nothing in it can be trusted as data or errors.
    throw new FerryError('GRAPHQL_INVALID_RESPONSE', `POST ${redact(url)} answered with a body that is not a GraphQL response`, { method: 'POST', url: redact(url), durationMs });
  } finally {
    attempt.dispose();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps message, path and extensions; tolerates servers that send a single error object. */
function normalizeErrors(errors: unknown): GraphQLErrorEntry[] {
  const list = Array.isArray(errors) ? errors : isRecord(errors) ? [errors] : [];
  return list.map((e: unknown) => {
    const entry = isRecord(e) ? e : {};
    const path = Array.isArray(entry.path) ? entry.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number') : undefined;
    return {
      message: typeof entry.message === 'string' ? entry.message : 'unknown GraphQL error',
      ...(path ? { path } : {}),
      ...(isRecord(entry.extensions) ? { extensions: entry.extensions } : {}),
    };
  });
}
