import { describe, expect, it } from 'vitest';
import { NativeClient } from './client';
import { fakeConnector, type FakePort } from './fake-port.test-support';
import { HostMonitor } from './host-monitor';

const info = {
  name: 'ferry-host',
  version: '1.2.3',
  protocolVersion: 1,
  node: 'v20.20.2',
  platform: 'linux',
  arch: 'x64',
  pid: 42,
  dataDir: '/tmp/ferry/data',
  capabilities: ['system', 'chunking'],
  startedAt: '2026-11-28T00:00:00Z',
};

function host(port: FakePort, counts: Record<string, number>) {
  port.onPost = (m, p) => {
    const { id, method } = m as { id: number; method: string };
    counts[method] = (counts[method] ?? 0) + 1;
    queueMicrotask(() => p.deliver({ jsonrpc: '2.0', id, result: method === 'system.info' ? info : { pong: true, time: 0 } }));
  };
}

describe('HostMonitor', () => {
  it('reports a connected host with its versions, measured warm, and asks system.info once per connection', async () => {
    const counts: Record<string, number> = {};
    const monitor = new HostMonitor(new NativeClient({ connector: fakeConnector((p) => host(p, counts)) }));
    const first = await monitor.status();
    expect(first).toMatchObject({ state: 'connected', hostVersion: '1.2.3', protocolVersion: 1, nodeVersion: 'v20.20.2', dataDir: '/tmp/ferry/data' });
    expect(typeof first.lastRoundTripMs).toBe('number');
    expect(counts['system.ping']).toBe(2); // a cold ping, then the warm one that is reported
    await monitor.status();
    expect(counts['system.ping']).toBe(3);
    expect(counts['system.info']).toBe(1);
  });

  it('says not-installed with the install hint when the browser finds no host', async () => {
    const connector = fakeConnector((port) => {
      port.onPost = (_m, p) => queueMicrotask(() => p.close('Specified native messaging host not found.'));
    });
    const status = await new HostMonitor(new NativeClient({ connector })).status();
    expect(status.state).toBe('not-installed');
    expect(status.lastError?.codeName).toBe('HostNotInstalled');
    expect(status.lastError?.hint).toContain('npm run host:install');
  });

  it('reconnect() opens a fresh port and fetches system.info again', async () => {
    const counts: Record<string, number> = {};
    const connector = fakeConnector((p) => host(p, counts));
    const monitor = new HostMonitor(new NativeClient({ connector }));
    await monitor.status();
    const again = await monitor.reconnect();
    expect(again.state).toBe('connected');
    expect(connector.ports).toHaveLength(2);
    expect(connector.ports[0]!.disconnected).toBe(true);
    expect(counts['system.info']).toBe(2);
  });
});
