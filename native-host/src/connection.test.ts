import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCode, FrameReader, RpcError } from '../../src/protocol';
import { Connection } from './connection';
import { createLogger } from './logger';
import { MethodRegistry } from './method-registry';
import type { FrameSink } from './stdout-guard';
import { FrameWriter } from './writer';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A connection over an in-memory stdout; `replies()` parses what was written. */
function setup(register: (registry: MethodRegistry) => void, refusal: string | null = null) {
  const reader = new FrameReader({ maxFrameBytes: 2 ** 30, littleEndian: true });
  const messages: Json[] = [];
  const sink: FrameSink = {
    write(chunk, callback) {
      for (const e of reader.push(chunk)) if (e.type === 'frame') messages.push(JSON.parse(new TextDecoder().decode(e.body)));
      queueMicrotask(() => callback());
      return true;
    },
    once: () => undefined,
    on: () => undefined,
  };
  const logLines: string[] = [];
  const logger = createLogger('debug', [(l) => logLines.push(l)]);
  const registry = new MethodRegistry();
  register(registry);
  const connection = new Connection({ registry, writer: new FrameWriter(sink, { littleEndian: true, logger }), logger, maxAssembledBytes: 1 << 20, refusal });
  const replies = async (): Promise<Json[]> => {
    await connection.whenIdle();
    return messages.splice(0);
  };
  const ask = (message: unknown): Promise<Json[]> => {
    connection.handleText(JSON.stringify(message));
    return replies();
  };
  return { connection, ask, replies, logLines };
}

describe('Connection', () => {
  it('answers an unexpected handler error with -32603, without the stack, and logs the stack', async () => {
    const { ask, logLines } = setup((r) =>
      r.register('x.fail', {
        handler: () => {
          throw new Error('disk on fire');
        },
      }),
    );
    const [reply] = await ask({ jsonrpc: '2.0', id: 1, method: 'x.fail' });
    expect(reply).toEqual({ jsonrpc: '2.0', id: 1, error: { code: ErrorCode.InternalError, message: 'Internal error in x.fail: disk on fire' } });
    const logged = logLines.join('');
    expect(logged).toContain('handler failed method=x.fail id=1');
    expect(logged).toMatch(/Error: disk on fire\n\s+at /);
  });

  it('passes an RpcError\'s code, message and data through', async () => {
    const { ask } = setup((r) =>
      r.register('x.refuse', {
        handler: async () => {
          throw new RpcError(-32010, 'No such table', { table: 't' });
        },
      }),
    );
    expect(await ask({ jsonrpc: '2.0', id: 'a', method: 'x.refuse' })).toEqual([
      { jsonrpc: '2.0', id: 'a', error: { code: -32010, message: 'No such table', data: { table: 't' } } },
    ]);
  });

  it('answers InvalidResult when a handler breaks its result schema', async () => {
    const { ask } = setup((r) => r.register('x.bad', { result: z.object({ pong: z.literal(true) }), handler: () => ({ pong: 'yes' }) }));
    const [reply] = await ask({ jsonrpc: '2.0', id: 2, method: 'x.bad' });
    expect(reply.error.code).toBe(ErrorCode.InvalidResult);
    expect(reply.error.data.issues[0].path).toBe('result.pong');
  });

  it('answers InternalError when a result cannot be serialized, and still answers the rest of a batch', async () => {
    const { ask } = setup((r) => {
      r.register('x.bigint', { handler: () => ({ n: 1n }) });
      r.register('x.ok', { handler: () => 'fine' });
    });
    const [reply] = await ask([
      { jsonrpc: '2.0', id: 1, method: 'x.bigint' },
      { jsonrpc: '2.0', id: 2, method: 'x.ok' },
    ]);
    expect(reply).toEqual([
      { jsonrpc: '2.0', id: 1, error: { code: ErrorCode.InternalError, message: 'Internal error: the result could not be serialized as JSON' } },
      { jsonrpc: '2.0', id: 2, result: 'fine' },
    ]);
  });

  it('never answers notifications, even failing ones, and ignores response messages', async () => {
    let ran = 0;
    const { ask } = setup((r) =>
      r.register('x.note', {
        handler: () => {
          ran += 1;
          throw new Error('ignored');
        },
      }),
    );
    expect(await ask({ jsonrpc: '2.0', method: 'x.note' })).toEqual([]);
    expect(await ask({ jsonrpc: '2.0', id: 5, result: 1 })).toEqual([]);
    expect(await ask({ jsonrpc: '2.0', method: '$/unknown', params: {} })).toEqual([]);
    expect(ran).toBe(1);
  });

  it('answers $/ methods sent as requests: $/cancelRequest gets null, others are not found', async () => {
    const { ask } = setup(() => undefined);
    expect(await ask({ jsonrpc: '2.0', id: 1, method: '$/cancelRequest', params: { id: 99 } })).toEqual([{ jsonrpc: '2.0', id: 1, result: null }]);
    const [reply] = await ask({ jsonrpc: '2.0', id: 2, method: '$/progress', params: { id: 1 } });
    expect(reply.error.code).toBe(ErrorCode.MethodNotFound);
  });

  it('cancels a running call and cancelAll answers every call still running', async () => {
    const { connection, replies } = setup((r) =>
      r.register('x.wait', { handler: (_p, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('too late'))) }),
    );
    connection.handleText(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'x.wait' }));
    connection.handleText(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'x.wait' }));
    expect(connection.activeCalls).toBe(2);
    connection.handleText(JSON.stringify({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 1 } }));
    connection.cancelAll('test over');
    const answered = await replies();
    // The handlers resolved ("too late") once aborted, but the cancellation won.
    expect(answered.map((m: Json) => [m.id, m.error.code, m.error.message])).toEqual([
      [1, ErrorCode.RequestCancelled, 'Request cancelled by the client'],
      [2, ErrorCode.RequestCancelled, 'Request cancelled: test over'],
    ]);
    expect(connection.activeCalls).toBe(0);
  });
});
