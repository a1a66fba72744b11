/**
 * Every example of the JSON-RPC 2.0 specification, section 7, sent to the real host process as the
 * specification writes it (the invalid-JSON examples as frames whose body is the broken text), with
 * the specification's responses. Messages are compared by their leading text: the host appends a
 * detail ("Method not found: foobar") to the specification's wording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostProcess } from './host-process';

let host: HostProcess;
beforeAll(() => {
  host = new HostProcess();
});
afterAll(async () => {
  const { code } = await host.stop();
  host.assertCleanStdout();
  expect(code).toBe(0);
  await host.dispose();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Compares a response with the specification's, requiring the message to start with the spec's text. */
function expectResponse(actual: Json, expected: Json): void {
  if (expected.error) {
    const { message, ...rest } = actual.error ?? {};
    expect(typeof message).toBe('string');
    expect(message.startsWith(expected.error.message)).toBe(true);
    expect({ ...actual, error: { ...rest, data: undefined } }).toEqual({ ...expected, error: { code: expected.error.code, data: undefined } });
  } else {
    expect(actual).toEqual(expected);
  }
}

function expectBatch(actual: Json, expected: Json[]): void {
  expect(Array.isArray(actual)).toBe(true);
  expect(actual).toHaveLength(expected.length);
  // Responses in a batch may come in any order; match them by id, then the id-null ones in turn.
  const remaining = [...actual];
  for (const want of expected) {
    const index = remaining.findIndex((got: Json) => got.id === want.id && ('error' in got) === ('error' in want));
    expect(index, `no response matching ${JSON.stringify(want)} in ${JSON.stringify(actual)}`).toBeGreaterThanOrEqual(0);
    expectResponse(remaining.splice(index, 1)[0], want);
  }
}

/**
 * Sends one frame, then a marker request, and returns every reply other than the marker's once
 * `expected` replies have arrived and a short quiet period has passed (so an extra reply, or a reply
 * to a notification, would be caught).
 */
let markerCount = 0;
async function exchange(body: string, expected: number): Promise<Json[]> {
  const start = host.messages.length;
  host.sendText(body);
  const marker = `marker-${++markerCount}`;
  host.send({ jsonrpc: '2.0', method: 'system.ping', id: marker });
  await host.responseTo(marker);
  const replies = (): Json[] => host.messages.slice(start).filter((m: Json) => m.id !== marker);
  await host.waitFor(() => replies().length >= expected, `${expected} replies to ${body}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return replies();
}

describe('JSON-RPC 2.0 specification, section 7, against the real host', () => {
  it('rpc call with positional parameters', async () => {
    expectResponse(await one('{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}'), { jsonrpc: '2.0', result: 19, id: 1 });
    expectResponse(await one('{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}'), { jsonrpc: '2.0', result: -19, id: 2 });
  });

  it('rpc call with named parameters', async () => {
    expectResponse(await one('{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}'), { jsonrpc: '2.0', result: 19, id: 3 });
    expectResponse(await one('{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}'), { jsonrpc: '2.0', result: 19, id: 4 });
  });

  it('a Notification (no reply, for a known and an unknown method)', async () => {
    expect(await exchange('{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}', 0)).toEqual([]);
    expect(await exchange('{"jsonrpc": "2.0", "method": "foobar"}', 0)).toEqual([]);
  });

  it('rpc call of non-existent method', async () => {
    expectResponse(await one('{"jsonrpc": "2.0", "method": "foobar", "id": "1"}'), {
      jsonrpc: '2.0',
      error: { code: -32601, message: 'Method not found' },
      id: '1',
    });
  });

  it('rpc call with invalid JSON', async () => {
    expectResponse(await one('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]'), {
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
      id: null,
    });
  });

  it('rpc call with invalid Request object', async () => {
    expectResponse(await one('{"jsonrpc": "2.0", "method": 1, "params": "bar"}'), {
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Invalid Request' },
      id: null,
    });
  });

  it('rpc call Batch, invalid JSON', async () => {
    const body = `[
      {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
      {"jsonrpc": "2.0", "method"
    ]`;
    expectResponse(await one(body), { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
  });

  it('rpc call with an empty Array', async () => {
    expectResponse(await one('[]'), { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null });
  });

  it('rpc call with an invalid Batch (but not empty)', async () => {
    expectBatch(await one('[1]'), [{ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null }]);
  });

  it('rpc call with invalid Batch', async () => {
    const invalid = { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null };
    expectBatch(await one('[1,2,3]'), [invalid, invalid, invalid]);
  });

  it('rpc call Batch', async () => {
    const body = `[
      {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
      {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
      {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
      {"foo": "boo"},
      {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
      {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ]`;
    expectBatch(await one(body), [
      { jsonrpc: '2.0', result: 7, id: '1' },
      { jsonrpc: '2.0', result: 19, id: '2' },
      { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null },
      { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: '5' },
      { jsonrpc: '2.0', result: ['hello', 5], id: '9' },
    ]);
  });

  it('rpc call Batch (all notifications): nothing is returned', async () => {
    const body = `[
      {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
      {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
    ]`;
    expect(await exchange(body, 0)).toEqual([]);
  });
});

/** Sends one frame and returns its single reply (failing if it got none or several). */
async function one(body: string): Promise<Json> {
  const replies = await exchange(body, 1);
  expect(replies, `replies to ${body}`).toHaveLength(1);
  return replies[0];
}
