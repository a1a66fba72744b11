/** The caller check: the browser names the caller on the command line; strangers get OriginNotAllowed. */
import { describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ORIGIN, ErrorCode, GECKO_ID, chunkMessages } from '../../src/protocol';
import { hostsForEachTest } from './host-process';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const startHost = hostsForEachTest({ assertCleanStdout: true });

const STRANGER = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';

describe('caller check', () => {
  it('refuses a chrome-extension origin other than Ferry\'s, naming it, for every request', async () => {
    const host = startHost({ args: [STRANGER] });
    const response = await host.call(1, 'system.ping');
    expect(response.id).toBe(1);
    expect(response.error.code).toBe(ErrorCode.OriginNotAllowed);
    expect(response.error.message).toContain(STRANGER);
    // Batches: each request refused; notifications ignored.
    host.send([{ jsonrpc: '2.0', id: 2, method: 'system.info' }, { jsonrpc: '2.0', method: 'update' }]);
    const batch = await host.waitFor((m) => Array.isArray(m));
    expect(batch).toEqual([{ jsonrpc: '2.0', id: 2, error: { code: ErrorCode.OriginNotAllowed, message: response.error.message } }]);
    expect(host.logText()).toContain('refusing caller');
  });

  it('answers a stranger\'s chunked request with OriginNotAllowed instead of leaving it unanswered', async () => {
    const host = startHost({ args: [STRANGER] });
    const text = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'system.echo', params: { payload: 'p'.repeat(30_000) } });
    for (const piece of chunkMessages(text, 8_000, 'stranger-1')) host.send(piece);
    const response = await host.waitFor((m) => (m as { id?: unknown }).id === 9);
    expect(response.error.code).toBe(ErrorCode.OriginNotAllowed);
  });

  it('serves Ferry\'s own Chrome origin, with --parent-window as Chrome adds on Windows', async () => {
    const host = startHost({ args: [CHROME_EXTENSION_ORIGIN, '--parent-window=0'] });
    expect((await host.call(1, 'system.ping')).result.pong).toBe(true);
  });

  it('refuses a Firefox extension id other than Ferry\'s and serves Ferry\'s', async () => {
    const stranger = startHost({ args: ['/home/u/.mozilla/native-messaging-hosts/dev.ferry.host.json', 'evil@example.com'] });
    const refused = await stranger.call(1, 'system.ping');
    expect(refused.error.code).toBe(ErrorCode.OriginNotAllowed);
    expect(refused.error.message).toContain('evil@example.com');

    const ferry = startHost({ args: ['/home/u/.mozilla/native-messaging-hosts/dev.ferry.host.json', GECKO_ID] });
    expect((await ferry.call(1, 'system.ping')).result.pong).toBe(true);
  });

  it('allows extra origins from FERRY_HOST_ALLOWED_ORIGINS (with or without the trailing slash)', async () => {
    const host = startHost({
      args: [STRANGER],
      env: { FERRY_HOST_ALLOWED_ORIGINS: `other@example.com, ${STRANGER.slice(0, -1)}` },
    });
    expect((await host.call(1, 'system.ping')).result.pong).toBe(true);
  });

  it('serves a host started by hand, with no arguments', async () => {
    const host = startHost();
    expect((await host.call(1, 'system.ping')).result.pong).toBe(true);
    expect(host.messages.every((m: Json) => !m.error)).toBe(true);
  });
});
