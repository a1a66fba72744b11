/**
 * An ingest API for run tests, mounted on the REST server (`rest.route('/v1/data', api.handler)`).
 * It behaves like a real API that honours Idempotency-Key: the first request with a key applies its
 * records and remembers the response; a repeat gets that same response back (marked
 * `idempotent-replayed: true`) and applies nothing. Failures are not remembered, so a key that
 * failed can succeed later, as with Stripe-style implementations.
 *
 * Records are read from the body's `data` (a record object, or a list in batch mode). Tests script
 * failures with `failNext` (consumed in order) or `storm` (every request until cleared).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { sendJson } from './respond';
import type { RouteHandler } from './rest-server';

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface IngestRequest {
  key: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The outcome the server gave: applied, replayed (a known key) or failed (scripted). */
  result: 'applied' | 'replayed' | 'failed';
}

export interface IngestApi {
  handler: RouteHandler;
  requests: IngestRequest[];
  /** Every record applied, in order; a record sent twice under one key appears once. */
  applied: unknown[];
  failNext(...responses: ScriptedResponse[]): void;
  /** Every request answers this until `storm(undefined)`. */
  storm(response: ScriptedResponse | undefined): void;
}

/** `createdAt` carries an offset on purpose: result processing's parseDate normalizes it to UTC. */
export const CREATED_AT = '2024-05-01T10:00:00+02:00';

export function createIngestApi(): IngestApi {
  const requests: IngestRequest[] = [];
  const applied: unknown[] = [];
  const remembered = new Map<string, { status: number; body: unknown }>();
  const script: ScriptedResponse[] = [];
  let stormResponse: ScriptedResponse | undefined;

  const handler: RouteHandler = (req, res, { body: raw }) => {
    const key = headerValue(req.headers['idempotency-key']);
    const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as unknown) : null;
    const failure = stormResponse ?? script.shift();
    if (failure) {
      requests.push({ key, headers: req.headers, body, result: 'failed' });
      return sendJson(res, failure.status, failure.body ?? { error: `scripted ${failure.status}` }, failure.headers);
    }
    const known = key === undefined ? undefined : remembered.get(key);
    if (known) {
      requests.push({ key, headers: req.headers, body, result: 'replayed' });
      return sendJson(res, known.status, known.body, { 'idempotent-replayed': 'true' });
    }
    const data = (body as { data?: unknown } | null)?.data;
    const records = Array.isArray(data) ? data : data === undefined ? [] : [data];
    applied.push(...records);
    const response = { status: 201, body: { id: `rec-${applied.length}`, status: 'created', createdAt: CREATED_AT, count: records.length } };
    if (key !== undefined) remembered.set(key, response);
    requests.push({ key, headers: req.headers, body, result: 'applied' });
    sendJson(res, response.status, response.body);
  };

  return {
    handler,
    requests,
    applied,
    failNext: (...responses) => void script.push(...responses),
    storm: (response) => {
      stormResponse = response;
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
