/** The background's message handlers: who may send each message, and what it does. */
import type { Routes } from '../messaging/router';
import type { NativeClient } from '../native/client';
import type { HostMonitor } from '../native/host-monitor';
import type { Params } from '../protocol/jsonrpc';
import { serializeError } from '../messaging/router';

export function createRoutes(client: NativeClient, monitor: HostMonitor): Routes {
  return {
    'host.status': { allow: ['extension-page'], handle: () => monitor.status() },
    'host.reconnect': { allow: ['extension-page'], handle: () => monitor.reconnect() },
    'host.call': {
      // Raw host access is for Ferry's own pages; content scripts never get it.
      allow: ['extension-page'],
      handle: async ({ method, params, timeoutMs }) => {
        try {
          const result = await client.callRaw(method, params as Params | undefined, { timeoutMs });
          return { ok: true, result };
        } catch (error) {
          return { ok: false, error: serializeError(error) };
        }
      },
    },
  };
}
