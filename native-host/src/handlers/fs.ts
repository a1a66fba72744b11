/** `fs.*`: the folders the user granted (`ferry-host roots …`). Reread on every call, so grants apply at once. */
import { RpcError, ErrorCode } from '../../../src/protocol';
import type { MethodRegistry } from '../method-registry';
import { rootExists } from '../roots/roots-command';
import { readSandboxSettings, type SandboxSettings } from '../roots/sandbox-file';

export interface FsHandlerOptions {
  configDir: string;
}

export function registerFsMethods(registry: MethodRegistry, options: FsHandlerOptions): void {
  registry.registerCatalogue('fs.roots', () => {
    const settings = loadSettings(options.configDir);
    return { roots: settings.roots.map((r) => ({ ...r, exists: rootExists(r.path) })), limits: settings.limits };
  });
}

/** The sandbox settings; a corrupt file is reported to the caller as it is, with its path. */
export function loadSettings(configDir: string): SandboxSettings {
  try {
    return readSandboxSettings(configDir);
  } catch (error) {
    throw new RpcError(ErrorCode.InternalError, `Cannot read the host's granted folders: ${(error as Error).message}`);
  }
}
