/**
 * What the popup and options page show about the native host: reachability, versions, and the
 * round-trip time of a warm `system.ping`. `system.info` is asked once per connection.
 */
import type { HostStatus } from '../messaging/contract';
import type { ResultOf } from '../protocol/catalogue';
import { ErrorCode, errorCodeName, isRpcError } from '../protocol/errors';
import type { NativeClient } from './client';

const STATUS_TIMEOUT_MS = 5_000;

export class HostMonitor {
  private info: ResultOf<'system.info'> | undefined;
  private lastRoundTripMs: number | undefined;

  constructor(private readonly client: NativeClient) {
    client.onStateChange((state) => {
      if (state !== 'connected') this.info = undefined;
    });
  }

  async status(): Promise<HostStatus> {
    const checkedAt = new Date().toISOString();
    try {
      const wasConnected = this.client.state === 'connected';
      let rtt = await this.ping();
      // The first ping of a new connection includes starting the host process; measure warm.
      if (!wasConnected) rtt = await this.ping();
      this.lastRoundTripMs = rtt;
      this.info ??= await this.client.call('system.info', undefined, { timeoutMs: STATUS_TIMEOUT_MS });
      return {
        state: 'connected',
        hostVersion: this.info.version,
        protocolVersion: this.info.protocolVersion,
        nodeVersion: this.info.node,
        dataDir: this.info.dataDir,
        capabilities: this.info.capabilities,
        lastRoundTripMs: this.lastRoundTripMs,
        checkedAt,
      };
    } catch (error) {
      const code = isRpcError(error) ? error.code : ErrorCode.InternalError;
      const message = error instanceof Error ? error.message : String(error);
      const hint = isRpcError(error) ? (error.data as { hint?: string } | undefined)?.hint : undefined;
      return {
        state: code === ErrorCode.HostNotInstalled ? 'not-installed' : 'disconnected',
        lastRoundTripMs: this.lastRoundTripMs,
        lastError: { code, codeName: errorCodeName(code), message, ...(hint ? { hint } : {}) },
        checkedAt,
      };
    }
  }

  /** Drops the port and connects afresh. */
  async reconnect(): Promise<HostStatus> {
    this.client.disconnect('Reconnect requested from Ferry.');
    return this.status();
  }

  private async ping(): Promise<number> {
    const start = performance.now();
    await this.client.call('system.ping', undefined, { timeoutMs: STATUS_TIMEOUT_MS });
    return Math.round((performance.now() - start) * 100) / 100;
  }
}
