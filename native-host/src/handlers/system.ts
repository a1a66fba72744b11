/** `system.*`: liveness, identity and an echo for tests and benchmarks. */
import { PROTOCOL_FEATURES, PROTOCOL_VERSION } from '../../../src/protocol';
import type { MethodRegistry } from '../method-registry';
import { HOST_VERSION } from '../version';

export interface SystemHandlerOptions {
  dataDir: string;
  startedAt: Date;
}

export function registerSystemMethods(registry: MethodRegistry, options: SystemHandlerOptions): void {
  registry
    .registerCatalogue('system.ping', () => ({ pong: true, time: Date.now() }))
    .registerCatalogue('system.info', () => ({
      name: 'ferry-host',
      version: HOST_VERSION,
      protocolVersion: PROTOCOL_VERSION,
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      pid: process.pid,
      dataDir: options.dataDir,
      capabilities: [...registry.namespaces(), ...PROTOCOL_FEATURES],
      startedAt: options.startedAt.toISOString(),
    }))
    .registerCatalogue('system.echo', (params) => ({ payload: params.payload }));
}
