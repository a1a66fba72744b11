/**
 * Renders the delivery step for one job, at send time: templates over the batch, credentials
 * resolved through the vault's resolver (only here, and only into memory), and the job's
 * Idempotency-Key added. What comes out is ready to send, plus the safe facts the audit log and
 * the response cache may keep.
 *
 * Scope: `{{transformedData}}`, `{{preparedData}}` and `{{extractedArray}}` are the batch's mapped
 * records (one record object in record mode); `{{extracted.*}}` reads the first (or only) record;
 * `{{source.*}}` is where the records came from.
 */
import { redactCredentials, renderValue, resolveCredentials, toText, type CredentialValues } from '../pipeline';
import { sendGraphQLRequest, sendHttpRequest, type GraphQLAttempt, type HostAttempt, type HttpAttempt, type HttpAuth, type HttpRequestNode, type QueryValue } from '../integrations';
import type { RetryRequest } from '../resilience';
import { responseCacheKey } from '../storage/response-cache';
import { retryOnceOnUnauthorized } from './auth-retry';
import { isHostPlan, type DeliveryPlan, type HostPlan } from './delivery-plan';
import { renderHostDelivery } from './render-host';
import type { RunDeps, RunSource } from './types';

export interface AuditTarget {
  method: string;
  host: string;
  /** No query string: the audit log keeps paths only. */
  path: string;
  /** Absent: derived from the method (`db.*` database, `fs.*` file, else http). */
  operation?: 'graphql';
  /** The request body scrubbed of the job's credentials, for the opt-in "record payload bodies". */
  body?: () => string | undefined;
}

export interface RenderedDelivery {
  /** What the breaker is keyed by (the host is taken from it). */
  url: string;
  target: AuditTarget;
  retryRequest: RetryRequest;
  /** The key actually sent: the job's, or one the step's own headers set. */
  idempotencyKey: string;
  send(signal: AbortSignal): Promise<HttpAttempt | GraphQLAttempt | HostAttempt>;
  /** The HTTP step's request as rendered, the first page's when the step paginates (page-request.ts derives the others). */
  request?: HttpRequestNode;
  /** Set for GET requests whose breaker falls back to the cache. */
  cacheKey?: string;
  /**
   * Removes this request's credential values, in every form a request gives them (see
   * redactCredentials), from text about to be stored or shown: a server's error message may echo
   * a token back.
   */
  scrub(text: string): string;
}

const KEY_HEADER = 'Idempotency-Key';

export function deliveryScope(plan: Pick<DeliveryPlan, 'batchMode'>, records: readonly unknown[], source: RunSource): Record<string, unknown> {
  const data = plan.batchMode === 'record' ? records[0] : records;
  // processedData: the seed's file block writes "{{processedData}}"; the same records as the others.
  return { transformedData: data, preparedData: data, processedData: data, extractedArray: data, extracted: records[0] ?? {}, source };
}

export async function renderDelivery(plan: DeliveryPlan, job: { records: readonly unknown[]; idempotencyKey: string }, source: RunSource, deps: RunDeps): Promise<RenderedDelivery> {
  if (isHostPlan(plan)) return renderHostDelivery(plan, job, source, deps);
  const { refreshCredential, ...once } = deps;
  const renderedAt = (deps.now ?? Date.now)();
  const first = await renderRequest(plan, job, source, once);
  if (!refreshCredential || plan.templated.credentials.size === 0) return first;
  return retryOnceOnUnauthorized(first, { credentials: [...plan.templated.credentials], renderedAt, refresh: refreshCredential, rerender: () => renderRequest(plan, job, source, once) });
}

async function renderRequest(plan: Exclude<DeliveryPlan, HostPlan>, job: { records: readonly unknown[]; idempotencyKey: string }, source: RunSource, deps: RunDeps): Promise<RenderedDelivery> {
  const credentials = plan.templated.credentials.size > 0 ? await resolveCredentials(plan.templated.credentials, deps.resolveCredential) : undefined;
  const now = (deps.now ?? Date.now)();
  // The run's own values (stored at start), so every batch and every replay renders alike;
  // deps.env overrides them (tests).
  const env = deps.env ? { ...plan.env, ...deps.env } : plan.env;
  const options = { now, env, ...(credentials ? { credentials } : {}) };
  const value = renderValue(plan.templated, deliveryScope(plan, job.records, source), options).value as Record<string, unknown>;
  const scrub = (text: string) => (credentials ? String(redactCredentials(text, credentials, credentials.names())) : text);
  const headers = textRecord(value.headers);
  const idempotencyKey = withIdempotencyKey(headers, job.idempotencyKey);
  const auth = toHttpAuth(value.auth);
  const fetchOption = deps.fetch ? { fetch: deps.fetch } : {};

  if (plan.kind === 'graphql') {
    const endpoint = toText(value.endpoint);
    const variables = isRecord(value.variables) ? value.variables : {};
    const { query, timeout } = plan.step.graphqlConfig;
    return {
      url: endpoint,
      target: { ...auditTarget('POST', endpoint, scrub), operation: 'graphql', body: () => scrub(JSON.stringify({ query, variables })) },
      retryRequest: { method: 'POST', headers, ...(plan.operation.isMutation ? {} : { idempotent: true }) },
      idempotencyKey,
      scrub,
      send: (signal) => sendGraphQLRequest({ endpoint, query, variables, headers, timeout, signal, ...(auth ? { auth } : {}), ...fetchOption }),
    };
  }

  const http = plan.step.http;
  const node: HttpRequestNode = {
    method: http.method, url: toText(value.url), headers, timeout: http.timeout, followRedirects: http.followRedirects,
    ...(value.query !== undefined ? { query: queryRecord(value.query) } : {}),
    ...(value.body !== undefined ? { body: value.body } : {}),
    ...(http.bodyType ? { bodyType: http.bodyType } : {}),
    ...(http.responseType ? { responseType: http.responseType } : {}),
    ...(auth ? { auth } : {}),
  };
  const rendered: RenderedDelivery = {
    url: node.url,
    target: { ...auditTarget(http.method, node.url, scrub), ...(node.body !== undefined ? { body: () => scrub(typeof node.body === 'string' ? node.body : JSON.stringify(node.body)) } : {}) },
    retryRequest: { method: http.method, headers },
    idempotencyKey,
    scrub,
    send: (signal) => sendHttpRequest(node, { signal, ...fetchOption }),
    request: node,
  };
  // A paginated read caches no page: its checkpoint, not a cached response, is what survives a failure.
  if (http.method === 'GET' && plan.fallback === 'useCache' && !http.pagination) {
    const keyUrl = cacheUrl(node, scrub, credentials);
    if (keyUrl) rendered.cacheKey = await responseCacheKey('GET', keyUrl);
  }
  return rendered;
}

/** Keeps a key the step's own headers set (e.g. from the record's order id); otherwise adds the job's. */
function withIdempotencyKey(headers: Record<string, string>, jobKey: string): string {
  const own = Object.keys(headers).find((name) => name.toLowerCase() === KEY_HEADER.toLowerCase());
  if (own !== undefined && headers[own]!.trim() !== '') return headers[own]!;
  if (own !== undefined) delete headers[own];
  headers[KEY_HEADER] = jobKey;
  return jobKey;
}

export function auditTarget(method: string, url: string, scrub: (text: string) => string): AuditTarget {
  try {
    const u = new URL(url);
    return { method, host: scrub(u.host), path: scrub(u.pathname) };
  } catch {
    return { method, host: '[invalid url]', path: '' };
  }
}

/** The full GET URL with its query, any credential in it replaced, as the cache key's text. */
function cacheUrl(node: HttpRequestNode, scrub: (text: string) => string, credentials: CredentialValues | undefined): string | undefined {
  try {
    const u = new URL(node.url);
    for (const [name, value] of Object.entries(node.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) if (item !== null && item !== undefined) u.searchParams.append(name, String(item));
    }
    return credentials ? scrub(u.href) : u.href;
  } catch {
    return undefined;
  }
}

function textRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toText(v)]));
}

function queryRecord(value: unknown): Record<string, QueryValue | QueryValue[]> {
  if (!isRecord(value)) return {};
  const scalar = (v: unknown): QueryValue => (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : toText(v));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v.map(scalar) : scalar(v)]));
}

/** The step's `auth` after rendering: its credential references are values now. */
function toHttpAuth(value: unknown): HttpAuth | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'bearer':
      return { type: 'bearer', token: toText(value.token) };
    case 'basic':
      return { type: 'basic', username: toText(value.username), password: toText(value.password) };
    case 'apiKey':
      return { type: 'apiKey', in: value.in === 'query' ? 'query' : 'header', name: toText(value.name), value: toText(value.value) };
    default:
      return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
