/** The extension's NativeClient against the real host process, over real frames. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../src/native/client';
import { ErrorCode, isRpcError } from '../../src/protocol/errors';
import { hostProcessConnector } from '../support/host-port';

let home: string;
let connector: ReturnType<typeof hostProcessConnector>;
let client: NativeClient;

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'ferry-client-'));
  connector = hostProcessConnector({ FERRY_HOME: home, FERRY_HOST_TEST_METHODS: '1' });
  client = new NativeClient({ connector, backoff: { initialMs: 50, maxMs: 200 } });
});
afterAll(() => {
  client.disconnect();
  rmSync(home, { recursive: true, force: true });
});

describe('NativeClient with the real host', () => {
  it('pings and reads system.info', async () => {
    expect((await client.call('system.ping')).pong).toBe(true);
    const info = await client.call('system.info');
    expect(info.dataDir.startsWith(home)).toBe(true);
    expect(info.pid).toBe(connector.ports[0]!.child.pid);
  });

  it('echoes 5 MB both ways with every host frame under 1 MiB (the port would close otherwise)', async () => {
    const payload = { text: 'é"\\😀'.repeat(400_000), rows: Array.from({ length: 10_000 }, (_, i) => ({ i })) };
    const { payload: back } = await client.call('system.echo', { payload }, { timeoutMs: 60_000 });
    expect(back).toEqual(payload);
    expect(client.state).toBe('connected');
  });

  it('streams progress and cancels an in-flight call', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const call = client.callRaw('test.sleep', { ms: 5_000, progressEveryMs: 20 }, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done ?? 0);
        if (seen.length === 3) controller.abort();
      },
    });
    await expect(call).rejects.toMatchObject({ code: ErrorCode.RequestCancelled });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    // The host is still healthy after the cancellation.
    expect((await client.call('system.ping')).pong).toBe(true);
  });

  it('rejects a pending call when the host dies, then reconnects to a new process', async () => {
    const port = connector.ports.at(-1)!;
    const call = client.callRaw('test.sleep', { ms: 10_000 });
    setTimeout(() => port.child.kill('SIGKILL'), 50);
    const error = await call.catch((e: unknown) => e);
    expect(isRpcError(error) && error.code).toBe(ErrorCode.HostDisconnected);
    expect((error as { data: { reason: string } }).data.reason).toBe('Native host has exited.');
    const info = await client.call('system.info');
    expect(info.pid).not.toBe(port.child.pid);
  });
});
