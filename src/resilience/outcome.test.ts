import { describe, expect, it } from 'vitest';
import { FerryError } from '../errors/ferry-error';
import { AttemptError } from './attempt-error';
import { classifyError, classifyResponse } from './outcome';
import { resolveRetryPolicy } from './policy';
import { SEED_RESPONSE_PROCESSING, SEED_RETRY_STRATEGY } from './seed-blocks.fixture';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const defaults = resolveRetryPolicy({});
const seedResponse = resolveRetryPolicy({ responseProcessing: SEED_RESPONSE_PROCESSING });
const seedStrategy = resolveRetryPolicy({ retryStrategy: SEED_RETRY_STRATEGY });
const both = resolveRetryPolicy({ responseProcessing: SEED_RESPONSE_PROCESSING, retryStrategy: SEED_RETRY_STRATEGY });

describe('classifyResponse', () => {
  it.each([
    // status, policy, kind, label, retryable
    [200, defaults, 'success', 'success', false],
    [204, defaults, 'success', 'success', false],
    [204, seedResponse, 'failure', 'unexpected_status', false], // successCodes [200, 201, 202] only
    [201, seedResponse, 'success', 'success', false],
    [304, defaults, 'failure', 'unexpected_status', false],
    [400, defaults, 'failure', 'validation_error', false],
    [401, defaults, 'failure', 'authentication_error', false],
    [403, defaults, 'failure', 'authorization_error', false],
    [404, defaults, 'failure', 'not_found', false],
    [418, defaults, 'failure', 'client_error', false],
    [408, defaults, 'failure', 'timeout', true],
    [429, defaults, 'failure', 'rate_limit_exceeded', true],
    [500, defaults, 'failure', 'server_error', true],
    [501, defaults, 'failure', 'server_error', true],
    [503, defaults, 'failure', 'server_error', true],
    // The seed's responseProcessing: its labels and its retryable statuses.
    [400, seedResponse, 'failure', 'validation_error', false],
    [429, seedResponse, 'failure', 'rate_limit_exceeded', true],
    [500, seedResponse, 'failure', 'server_error', true],
    [501, seedResponse, 'failure', 'server_error', false], // not in retryableErrors
    [408, seedResponse, 'failure', 'timeout', true], // TIMEOUT stays a default name
    // The seed's retryStrategy alone: RATE_LIMIT and TIMEOUT, no SERVER_ERROR.
    [429, seedStrategy, 'failure', 'rate_limit_exceeded', true],
    [408, seedStrategy, 'failure', 'timeout', true],
    [500, seedStrategy, 'failure', 'server_error', false],
    // Both: the union.
    [500, both, 'failure', 'server_error', true],
    [502, both, 'failure', 'server_error', true],
    [501, both, 'failure', 'server_error', false],
  ] as const)('%i → %s %s (retryable %s)', (status, policy, kind, label, retryable) => {
    expect(classifyResponse({ status, headers: {} }, policy, NOW)).toEqual({ kind, label, retryable, status });
  });

  it('uses the exact status label, then a class label, then the defaults', () => {
    const policy = resolveRetryPolicy({ responseProcessing: { errorHandling: { '503': 'maintenance', '5xx': 'upstream_down', '4XX': 'rejected' } } });
    expect(classifyResponse({ status: 503 }, policy).label).toBe('maintenance');
    expect(classifyResponse({ status: 502 }, policy).label).toBe('upstream_down');
    expect(classifyResponse({ status: 404 }, policy).label).toBe('rejected');
    expect(classifyResponse({ status: 503 }, policy).retryable).toBe(true);
    const withDefault = resolveRetryPolicy({ responseProcessing: { errorHandling: { '429': 'slow_down', default: 'delivery_failed' } } });
    expect([429, 500, 404].map((status) => classifyResponse({ status }, withDefault).label)).toEqual(['slow_down', 'delivery_failed', 'delivery_failed']);
  });

  it('SERVER_ERROR covers every 5xx', () => {
    const policy = resolveRetryPolicy({ retryStrategy: { retryableErrors: ['SERVER_ERROR'] } });
    expect([500, 501, 599, 429, 408].map((status) => classifyResponse({ status }, policy).retryable)).toEqual([true, true, true, false, false]);
  });

  it('reads Retry-After from a Headers object or a plain record, case-insensitively', () => {
    expect(classifyResponse({ status: 429, headers: new Headers({ 'Retry-After': '7' }) }, defaults, NOW).retryAfterMs).toBe(7000);
    expect(classifyResponse({ status: 503, headers: { 'retry-after': ['12'] } }, defaults, NOW).retryAfterMs).toBe(12000);
    expect(classifyResponse({ status: 503, headers: { 'Retry-After': 'soon' } }, defaults, NOW)).not.toHaveProperty('retryAfterMs');
  });

  it("measures an HTTP-date Retry-After against the response's Date header when present", () => {
    const headers = { date: 'Thu, 01 Jan 2026 11:00:00 GMT', 'retry-after': 'Thu, 01 Jan 2026 11:00:30 GMT' };
    // The local clock says 12:00, an hour ahead of the server; the server asked for 30 s.
    expect(classifyResponse({ status: 503, headers }, defaults, NOW).retryAfterMs).toBe(30000);
    expect(classifyResponse({ status: 503, headers: { 'retry-after': 'Thu, 01 Jan 2026 12:00:30 GMT' } }, defaults, NOW).retryAfterMs).toBe(30000);
  });
});

describe('classifyError', () => {
  it.each([
    [defaults, 'NETWORK_ERROR', 'network_error', true],
    [defaults, 'TIMEOUT', 'timeout', true],
    [defaults, 'ABORTED', 'aborted', false],
    [seedStrategy, 'NETWORK_ERROR', 'network_error', true],
    [resolveRetryPolicy({ retryStrategy: { retryableErrors: ['RATE_LIMIT'] } }), 'NETWORK_ERROR', 'network_error', false],
    [resolveRetryPolicy({ retryStrategy: { retryableErrors: ['RATE_LIMIT'] } }), 'TIMEOUT', 'timeout', false],
    [seedResponse, 'TIMEOUT', 'timeout', true],
  ] as const)('%#: %s → %s (retryable %s)', (policy, code, label, retryable) => {
    expect(classifyError(new AttemptError(code), policy)).toEqual({ kind: 'failure', label, retryable, code });
  });

  it("classifies src/integrations' plain FerryErrors by their code", () => {
    const timeout = new FerryError('TIMEOUT', 'GET https://api.example.com/x timed out after 30000 ms', { method: 'GET', timeoutMs: 30000 });
    expect(classifyError(timeout, defaults)).toEqual({ kind: 'failure', label: 'timeout', retryable: true, code: 'TIMEOUT' });
    expect(classifyError(new FerryError('NETWORK_ERROR', 'x'), defaults)?.label).toBe('network_error');
    expect(classifyError(new FerryError('INVALID_REQUEST', 'x'), defaults)).toBeUndefined();
  });

  it('recognizes fetch and ky errors, without keeping them (their messages hold full URLs)', () => {
    expect(classifyError(new TypeError('fetch failed'), defaults)?.code).toBe('NETWORK_ERROR');
    expect(classifyError(new TypeError('Failed to fetch'), defaults)?.code).toBe('NETWORK_ERROR');
    expect(classifyError(new TypeError('NetworkError when attempting to fetch resource.'), defaults)?.code).toBe('NETWORK_ERROR');
    expect(classifyError(new DOMException('signal timed out', 'TimeoutError'), defaults)?.code).toBe('TIMEOUT');
    expect(classifyError(new DOMException('aborted', 'AbortError'), defaults)?.code).toBe('ABORTED');
  });

  it("calls any failure a cancellation once the caller's signal has aborted", () => {
    const controller = new AbortController();
    controller.abort();
    expect(classifyError(new AttemptError('NETWORK_ERROR'), defaults, controller.signal)).toMatchObject({ code: 'ABORTED', retryable: false });
  });

  it('leaves bugs unclassified', () => {
    expect(classifyError(new TypeError('undefined is not a function'), defaults)).toBeUndefined();
    expect(classifyError(new FerryError('TEMPLATE_MISSING_PATH', 'x'), defaults)).toBeUndefined();
    expect(classifyError('boom', defaults)).toBeUndefined();
  });

  it('makes an open circuit a final outcome carrying when to try again', () => {
    const error = new FerryError('CIRCUIT_OPEN', 'open', { host: 'api.example.com', retryAt: NOW + 5000, fallback: 'queue' });
    expect(classifyError(error, defaults, undefined, NOW)).toEqual({ kind: 'failure', label: 'circuit_open', retryable: false, code: 'CIRCUIT_OPEN', retryAfterMs: 5000 });
  });
});
