import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChunkAssembler, chunkMessages } from '../protocol/chunking';
import { ErrorCode, isRpcError, type RpcError } from '../protocol/errors';
import { NativeClient } from './client';
import { echoHost, fakeConnector, type FakePort } from './fake-port.test-support';

afterEach(() => vi.useRealTimers());

async function rejection(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (error) {
    if (isRpcError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('NativeClient', () => {
  it('opens one port on demand, shared by concurrent first calls, and correlates answers', async () => {
    const connector = fakeConnector(echoHost);
    const client = new NativeClient({ connector });
    expect(connector.ports).toHaveLength(0);
    const [a, b] = await Promise.all([client.call('system.ping'), client.call('system.echo', { payload: [1, 'x'] })]);
    expect(connector.ports).toHaveLength(1);
    expect(a.pong).toBe(true);
    expect(b.payload).toEqual([1, 'x']);
    expect(client.state).toBe('connected');
  });

  it('matches out-of-order answers to their calls', async () => {
    const connector = fakeConnector();
    const client = new NativeClient({ connector });
    const first = client.callRaw('a');
    const second = client.callRaw('b');
    await vi.waitFor(() => expect(connector.ports[0]?.posted).toHaveLength(2));
    const port = connector.ports[0]!;
    const [m1, m2] = port.posted as { id: number }[];
    port.deliver({ jsonrpc: '2.0', id: m2!.id, result: 'second' });
    port.deliver({ jsonrpc: '2.0', id: m1!.id, result: 'first' });
    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe('second');
  });

  it('turns error responses into RpcErrors with code, message and data', async () => {
    const connector = fakeConnector((port) => {
      port.onPost = (m, p) => {
        const id = (m as { id: number }).id;
        queueMicrotask(() => p.deliver({ jsonrpc: '2.0', id, error: { code: -32602, message: 'Invalid params', data: { issues: [{ path: 'params.payload' }] } } }));
      };
    });
    const error = await rejection(new NativeClient({ connector }).callRaw('system.echo', {}));
    expect(error.code).toBe(ErrorCode.InvalidParams);
    expect(error.data).toEqual({ issues: [{ path: 'params.payload' }] });
  });

  it('rejects every pending call with HostDisconnected carrying the browser reason', async () => {
    const connector = fakeConnector();
    const client = new NativeClient({ connector });
    const calls = [client.callRaw('test.sleep'), client.callRaw('test.sleep')];
    await vi.waitFor(() => expect(connector.ports[0]?.posted).toHaveLength(2));
    connector.ports[0]!.close('Native host has exited.');
    for (const call of calls) {
      const error = await rejection(call);
      expect(error.code).toBe(ErrorCode.HostDisconnected);
      expect(error.message).toContain('Native host has exited.');
      expect((error.data as { reason: string }).reason).toBe('Native host has exited.');
    }
    expect(client.state).toBe('disconnected');
    expect(client.pendingCount).toBe(0);
  });

  it('reports a missing host as HostNotInstalled with the install command as the hint', async () => {
    const connector = fakeConnector((port) => {
      port.onPost = (_m, p) => queueMicrotask(() => p.close('Specified native messaging host not found.'));
    });
    const error = await rejection(new NativeClient({ connector }).call('system.ping'));
    expect(error.code).toBe(ErrorCode.HostNotInstalled);
    expect((error.data as { hint: string }).hint).toContain('npm run host:install');
  });

  it('reconnects on the next call after a disconnect, waiting the backoff delay', async () => {
    const connector = fakeConnector(echoHost);
    const client = new NativeClient({ connector, backoff: { initialMs: 200, maxMs: 1000 } });
    await client.call('system.ping');
    connector.ports[0]!.close('Native host has exited.');
    const started = Date.now();
    await client.call('system.ping');
    expect(connector.ports).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(client.state).toBe('connected');
  });

  it('times out a call, rejects it with CallTimeout and asks the host to cancel', async () => {
    vi.useFakeTimers();
    const connector = fakeConnector();
    const client = new NativeClient({ connector });
    const call = client.callRaw('test.sleep', { ms: 10_000 }, { timeoutMs: 50 });
    const caught = rejection(call);
    await vi.advanceTimersByTimeAsync(60);
    const error = await caught;
    expect(error.code).toBe(ErrorCode.CallTimeout);
    const posted = connector.ports[0]!.posted as { method: string; params: { id: number } }[];
    expect(posted[1]).toMatchObject({ method: '$/cancelRequest', params: { id: (posted[0] as unknown as { id: number }).id } });
  });

  it('cancels through an AbortSignal', async () => {
    const connector = fakeConnector();
    const client = new NativeClient({ connector });
    const controller = new AbortController();
    const call = client.callRaw('test.sleep', { ms: 10_000 }, { signal: controller.signal });
    await vi.waitFor(() => expect(connector.ports[0]?.posted).toHaveLength(1));
    controller.abort();
    expect((await rejection(call)).code).toBe(ErrorCode.RequestCancelled);
    expect((connector.ports[0]!.posted[1] as { method: string }).method).toBe('$/cancelRequest');
  });

  it('splits large params into $/chunk pieces under the limit, which reassemble to the request', async () => {
    const connector = fakeConnector();
    const client = new NativeClient({ connector, maxMessageBytes: 10_000 });
    const payload = Array.from({ length: 2_000 }, (_, i) => `item "${i}" é😀`);
    void client.callRaw('system.echo', { payload }).catch(() => undefined);
    await vi.waitFor(() => expect(connector.ports[0]?.posted.length).toBeGreaterThan(1));
    const posted = connector.ports[0]!.posted as { method: string; params: unknown }[];
    const assembler = new ChunkAssembler({ maxMessageBytes: 1e8 });
    let text: string | undefined;
    for (const piece of posted) {
      expect(piece.method).toBe('$/chunk');
      expect(new TextEncoder().encode(JSON.stringify(piece)).byteLength).toBeLessThanOrEqual(10_000);
      text = assembler.accept(piece.params) ?? text;
    }
    expect(JSON.parse(text!)).toMatchObject({ method: 'system.echo', params: { payload } });
  });

  it('posts params up to 8 MiB whole (only host → browser messages are capped at 1 MiB), records as a record table', async () => {
    const connector = fakeConnector();
    const client = new NativeClient({ connector });
    const data = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `Customer ${i}`, email: `customer${i}@example.test` }));
    void client.call('db.batchInsert', { table: 't', data }).catch(() => undefined);
    await vi.waitFor(() => expect(connector.ports[0]?.posted).toHaveLength(1));
    const [message] = connector.ports[0]!.posted as { method: string; params: { data: { columns: string[]; rows: unknown[][] } } }[];
    expect(JSON.stringify(message).length).toBeGreaterThan(1_000_000);
    expect(message!.method).toBe('db.batchInsert');
    expect(message!.params.data.columns).toEqual(['id', 'name', 'email']);
    expect(message!.params.data.rows[19_999]).toEqual([19_999, 'Customer 19999', 'customer19999@example.test']);
  });

  it('reassembles a chunked result and reports progress', async () => {
    const connector = fakeConnector();
    const client = new NativeClient({ connector });
    const progress: number[] = [];
    const call = client.callRaw('test.big', undefined, { onProgress: (p) => progress.push(p.done ?? -1) });
    await vi.waitFor(() => expect(connector.ports[0]?.posted).toHaveLength(1));
    const port: FakePort = connector.ports[0]!;
    const id = (port.posted[0] as { id: number }).id;
    port.deliver({ jsonrpc: '2.0', method: '$/progress', params: { id, done: 1, total: 2 } });
    const big = 'z'.repeat(50_000);
    for (const piece of chunkMessages(JSON.stringify({ jsonrpc: '2.0', id, result: big }), 8_000, 's1')) port.deliver(piece);
    await expect(call).resolves.toBe(big);
    expect(progress).toEqual([1]);
  });

  it('disconnect() rejects pending calls and the next call opens a new port at once', async () => {
    const connector = fakeConnector(echoHost);
    const client = new NativeClient({ connector });
    await client.call('system.ping');
    connector.ports[0]!.onPost = undefined;
    const pending = client.callRaw('test.sleep');
    await vi.waitFor(() => expect(client.pendingCount).toBe(1));
    client.disconnect();
    expect((await rejection(pending)).code).toBe(ErrorCode.ConnectionDisposed);
    expect(connector.ports[0]!.disconnected).toBe(true);
    await client.call('system.ping');
    expect(connector.ports).toHaveLength(2);
  });
});

describe('NativeClient error paths', () => {
  it('Reconnect after failures connects at once, without waiting out the backoff', async () => {
    let installed = false;
    const connector = fakeConnector((port) => {
      if (installed) return echoHost(port);
      port.onPost = (_m, p) => queueMicrotask(() => p.close('Specified native messaging host not found.'));
    });
    const client = new NativeClient({ connector, backoff: { initialMs: 2_000, maxMs: 5_000 } });
    await rejection(client.call('system.ping'));
    installed = true;
    client.disconnect('Reconnect requested');
    const started = Date.now();
    await client.call('system.ping');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a cancel during the reconnect wait rejects with RequestCancelled, not a DOMException', async () => {
    const connector = fakeConnector((port) => {
      port.onPost = (_m, p) => queueMicrotask(() => p.close('Native host has exited.'));
    });
    const client = new NativeClient({ connector, backoff: { initialMs: 5_000, maxMs: 5_000 } });
    await rejection(client.call('system.ping'));
    const controller = new AbortController();
    const call = client.callRaw('system.ping', undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(call);
    expect(error.code).toBe(ErrorCode.RequestCancelled);
  });

  it('a connect that throws rejects with SendFailed and leaves the client able to retry', async () => {
    let fail = true;
    const inner = fakeConnector(echoHost);
    const connector = {
      ...inner,
      connect: () => {
        if (fail) throw new Error('Access to the native host is forbidden');
        return inner.connect();
      },
    };
    const client = new NativeClient({ connector, backoff: { initialMs: 10, maxMs: 10 } });
    const error = await rejection(client.call('system.ping'));
    expect(error.code).toBe(ErrorCode.SendFailed);
    expect(client.state).toBe('disconnected');
    fail = false;
    expect((await client.call('system.ping')).pong).toBe(true);
  });

  it('fails the call whose chunked params the host could not reassemble, at once', async () => {
    const connector = fakeConnector((port) => {
      port.onPost = (m, p) => {
        const params = (m as { method?: string; params?: { stream?: string; seq?: number } }).params;
        if ((m as { method?: string }).method === '$/chunk' && params?.seq === 0) {
          queueMicrotask(() =>
            p.deliver({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.ChunkAssemblyFailed, message: 'broken', data: { stream: params.stream } } }),
          );
        }
      };
    });
    const client = new NativeClient({ connector, maxMessageBytes: 5_000, defaultTimeoutMs: 60_000 });
    const error = await rejection(client.callRaw('system.echo', { payload: 'x'.repeat(50_000) }));
    expect(error.code).toBe(ErrorCode.ChunkAssemblyFailed);
  });

  it('survives a reassembled message that is not JSON', async () => {
    const connector = fakeConnector(echoHost);
    const client = new NativeClient({ connector });
    await client.call('system.ping');
    const port = connector.ports[0]!;
    for (const piece of chunkMessages('{"jsonrpc":"2.0","id":' + 'x'.repeat(20_000), 8_000, 'bad')) port.deliver(piece);
    expect((await client.call('system.ping')).pong).toBe(true);
  });
});
