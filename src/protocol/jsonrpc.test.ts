import { describe, expect, it } from 'vitest';
import { ErrorCode } from './errors';
import { classify, failure, isErrorResponse, notification, parseError, request, success } from './jsonrpc';

describe('classify', () => {
  it('recognizes requests, with string and number ids, with and without params', () => {
    for (const message of [
      { jsonrpc: '2.0', id: 1, method: 'subtract', params: [42, 23] },
      { jsonrpc: '2.0', id: 'abc', method: 'subtract', params: { minuend: 42 } },
      { jsonrpc: '2.0', id: 0, method: 'system.ping' },
      { jsonrpc: '2.0', id: -1.5, method: 'x' },
    ]) {
      expect(classify(message)).toEqual({ kind: 'request', message });
    }
  });

  it('recognizes notifications by the absence of id', () => {
    const message = { jsonrpc: '2.0', method: 'update', params: [1, 2, 3, 4, 5] };
    expect(classify(message)).toEqual({ kind: 'notification', message });
    expect(classify({ jsonrpc: '2.0', method: 'foobar' }).kind).toBe('notification');
  });

  it('recognizes success and error responses, including an error with id null', () => {
    expect(classify({ jsonrpc: '2.0', id: 1, result: 19 }).kind).toBe('response');
    expect(classify({ jsonrpc: '2.0', id: 1, result: null }).kind).toBe('response');
    expect(classify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }).kind).toBe('response');
    expect(classify({ jsonrpc: '2.0', id: 'x', error: { code: -32601, message: 'Method not found', data: 1 } }).kind).toBe('response');
  });

  it.each([
    ['a number', 1, null, 'must be an object'],
    ['null', null, null, 'must be an object'],
    ['an array', [], null, 'must be an object'],
    ['a string', 'x', null, 'must be an object'],
    ['missing jsonrpc', { id: 1, method: 'x' }, 1, '"jsonrpc"'],
    ['jsonrpc 1.0', { jsonrpc: '1.0', id: 2, method: 'x' }, 2, '"jsonrpc"'],
    ['a numeric method', { jsonrpc: '2.0', method: 1, params: 'bar' }, null, '"method"'],
    ['string params', { jsonrpc: '2.0', id: 3, method: 'x', params: 'bar' }, 3, '"params"'],
    ['null params', { jsonrpc: '2.0', id: 3, method: 'x', params: null }, 3, '"params"'],
    ['numeric params', { jsonrpc: '2.0', method: 'x', params: 5 }, null, '"params"'],
    ['a null id', { jsonrpc: '2.0', id: null, method: 'x' }, null, '"id"'],
    ['an object id', { jsonrpc: '2.0', id: {}, method: 'x' }, null, '"id"'],
    ['a boolean id', { jsonrpc: '2.0', id: true, method: 'x' }, null, '"id"'],
    ['a non-finite id', { jsonrpc: '2.0', id: Infinity, method: 'x' }, null, '"id"'],
    ['result and error together', { jsonrpc: '2.0', id: 4, result: 1, error: { code: 1, message: 'm' } }, 4, 'not a request'],
    ['neither method, result nor error', { jsonrpc: '2.0', id: 5 }, 5, 'not a request'],
    ['the spec\'s {"foo": "boo"}', { foo: 'boo' }, null, '"jsonrpc"'],
    ['an error without code', { jsonrpc: '2.0', id: 6, error: { message: 'm' } }, 6, '"error"'],
    ['an error with a fractional code', { jsonrpc: '2.0', id: 6, error: { code: 1.5, message: 'm' } }, 6, '"error"'],
    ['a success response with id null', { jsonrpc: '2.0', id: null, result: 1 }, null, 'not a request'],
  ])('rejects %s', (_name, value, id, reason) => {
    const classified = classify(value);
    expect(classified.kind).toBe('invalid');
    if (classified.kind !== 'invalid') return;
    expect(classified.id).toBe(id);
    expect(classified.reason).toContain(reason);
  });
});

describe('message builders', () => {
  it('omit params when not given', () => {
    expect(request(1, 'm')).toEqual({ jsonrpc: '2.0', id: 1, method: 'm' });
    expect('params' in request(1, 'm')).toBe(false);
    expect(notification('n', [1])).toEqual({ jsonrpc: '2.0', method: 'n', params: [1] });
    expect('params' in notification('n')).toBe(false);
  });

  it('answer undefined results with null (undefined is not JSON)', () => {
    const response = success(1, undefined);
    expect(response).toEqual({ jsonrpc: '2.0', id: 1, result: null });
    expect(JSON.parse(JSON.stringify(response))).toHaveProperty('result', null);
    expect(isErrorResponse(response)).toBe(false);
  });

  it('build error responses', () => {
    const response = failure(null, { code: ErrorCode.InvalidRequest, message: 'Invalid Request' });
    expect(isErrorResponse(response)).toBe(true);
    expect(parseError('bad')).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: bad' } });
    // Every builder's output classifies as what it is.
    expect(classify(JSON.parse(JSON.stringify(response))).kind).toBe('response');
    expect(classify(request('a', 'b', {})).kind).toBe('request');
    expect(classify(notification('n')).kind).toBe('notification');
  });
});
