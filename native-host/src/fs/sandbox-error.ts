/** The sandbox's refusals: RpcErrors with the codes of src/protocol/errors-sandbox.ts. */
import { RpcError, SandboxErrorCode, isRpcError } from '../../../src/protocol';

export type SandboxErrorName = keyof typeof SandboxErrorCode;

/** `data.path` is the path as the caller gave it; `data.reason` a short machine-readable cause. */
export function sandboxError(name: SandboxErrorName, message: string, path: string, reason?: string, extra: Record<string, unknown> = {}): RpcError {
  return new RpcError(SandboxErrorCode[name], message, { path, ...(reason ? { reason } : {}), ...extra });
}

export function isSandboxError(error: unknown, name?: SandboxErrorName): error is RpcError {
  if (!isRpcError(error)) return false;
  return name ? error.code === SandboxErrorCode[name] : Object.values(SandboxErrorCode).includes(error.code as never);
}

export const GRANT_HINT = 'npx ferry-host roots add <folder>';
