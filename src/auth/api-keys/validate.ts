/**
 * Calls an API key's validation endpoint from the background with the key, and says whether the
 * answer is the expected one. The key goes only into the request; every text this returns (the
 * detail, a network error's message) is scrubbed of it in all the forms a request gives it.
 */
import { CredentialValues, redactCredentials } from '../../pipeline';
import type { ApiKeyAuth } from '../../storage/rows';
import type { ApiKeyConfig } from './config';
import { subsetMismatch } from './match';

export interface ValidationRequest {
  name: string;
  value: string;
  baseUrl: string;
  auth: ApiKeyAuth;
  config: ApiKeyConfig;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export interface ValidationResult {
  ok: boolean;
  /** What happened, in words; never the key. */
  detail: string;
  status?: number;
  durationMs: number;
  /** For the audit entry: method, host and path (no query: a key sent in the query stays out). */
  target: { method: string; host: string; path: string };
  /** The request body, if any (none for GET); for the opt-in audit body. */
  body?: string;
}

const MAX_DETAIL = 300;

/** The endpoint under the key's API: `/api/v1/validate` resolves against the base URL's path too. */
export function validationUrl(baseUrl: string, testEndpoint: string): URL {
  if (/^https?:\/\//i.test(testEndpoint)) return new URL(testEndpoint);
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}${testEndpoint}`, base.origin);
}

export async function validateApiKey(request: ValidationRequest): Promise<ValidationResult> {
  const now = request.now ?? Date.now;
  const validation = request.config.validation;
  const secrets = CredentialValues.of([[request.name, request.value]]);
  const scrub = (text: string) => String(redactCredentials(text, secrets, [request.name])).slice(0, MAX_DETAIL);
  const method = validation?.method ?? 'GET';
  const url = validationUrl(request.baseUrl, validation?.testEndpoint ?? '/');
  const target = { method, host: url.host, path: url.pathname };
  const started = now();
  if (!validation) return { ok: true, detail: 'No validation endpoint configured: the key was not checked.', durationMs: 0, target };
  const headers = new Headers({ accept: 'application/json' });
  if (request.auth.in === 'header') headers.set(request.auth.name, request.auth.prefix ? `${request.auth.prefix} ${request.value}` : request.value);
  else url.searchParams.set(request.auth.name, request.value);
  const signal = AbortSignal.timeout(request.timeoutMs ?? 15_000);
  let response: Response;
  try {
    response = await (request.fetch ?? fetch)(url, { method, headers, signal, credentials: 'omit', redirect: 'error', cache: 'no-store' });
  } catch (error) {
    const reason = (error as Error)?.name === 'TimeoutError' ? 'timed out' : `failed (${scrub(String((error as Error)?.message ?? error))})`;
    return { ok: false, detail: `The validation request to ${url.origin}${url.pathname} ${reason}.`, durationMs: now() - started, target };
  }
  const text = await response.text().catch(() => '');
  const durationMs = now() - started;
  const statusOk = validation.expectedStatus !== undefined ? response.status === validation.expectedStatus : response.ok;
  if (!statusOk) {
    const expected = validation.expectedStatus !== undefined ? `HTTP ${validation.expectedStatus}` : 'a 2xx status';
    return { ok: false, status: response.status, durationMs, target, detail: `The validation endpoint answered HTTP ${response.status} (expected ${expected})${snippet(text, scrub)}.` };
  }
  if (validation.expectedResponse !== undefined) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, status: response.status, durationMs, target, detail: `The validation endpoint answered HTTP ${response.status} without a JSON body${snippet(text, scrub)}.` };
    }
    const miss = subsetMismatch(validation.expectedResponse, body);
    if (miss) {
      return {
        ok: false, status: response.status, durationMs, target,
        detail: scrub(`The validation endpoint's answer does not match: ${miss.path} is ${JSON.stringify(miss.actual) ?? 'missing'}, expected ${JSON.stringify(miss.expected)}.`),
      };
    }
  }
  return { ok: true, status: response.status, durationMs, target, detail: `Valid: HTTP ${response.status}${validation.expectedResponse !== undefined ? ', the answer matches' : ''}.` };
}

function snippet(text: string, scrub: (t: string) => string): string {
  // Scrubbed whole before it is cut or its spaces collapsed: a key echoed across the cut, or with
  // its spacing changed, would no longer match the secret and be kept.
  const trimmed = scrub(text).trim().replace(/\s+/g, ' ');
  return trimmed ? `: ${trimmed.slice(0, 120)}` : '';
}
