/**
 * JSON-RPC error codes used by Ferry, defined once for the host, the extension and third-party peers.
 *
 * -32700..-32600 are the JSON-RPC 2.0 standard codes. Ferry's own codes live in the
 * implementation-defined range -32000..-32099:
 *   -32000..-32079  sent on the wire by the host (application errors)
 *   -32080..-32099  reserved for transport failures; raised locally by a client, never sent on the wire
 *                   (the same split vscode-jsonrpc makes).
 * docs/ARCHITECTURE.md carries the same table for readers of the protocol.
 */
import { DbErrorCode } from './db-errors';
import { SandboxErrorCode } from './errors-sandbox';

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,

  /** The caller cancelled the request with `$/cancelRequest`. */
  RequestCancelled: -32001,
  /** A frame was larger than the receiver accepts; large messages must use `$/chunk`. */
  FrameTooLarge: -32002,
  /** A `$/chunk` stream was malformed (bad sequence, too large, unknown stream). */
  ChunkAssemblyFailed: -32003,
  /** The handler returned a result that does not match the method catalogue (a host bug). */
  InvalidResult: -32004,
  /** The host refused a caller that is not in its manifest's allowed origins. */
  OriginNotAllowed: -32005,
  /** -32020..-32029: the sandbox of granted folders (errors-sandbox.ts). */
  ...SandboxErrorCode,

  /** `db.*` failures, -32040..-32049 (db-errors.ts). */
  ...DbErrorCode,

  /** The port to the host closed; `data.reason` carries the browser's own message. */
  HostDisconnected: -32099,
  /** No reply arrived within the call's timeout. */
  CallTimeout: -32098,
  /** The browser could not find the native host manifest (host not installed). */
  HostNotInstalled: -32097,
  /** The client was disposed while the call was pending. */
  ConnectionDisposed: -32096,
  /** The message could not be posted to the port. */
  SendFailed: -32095,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCodeValue = (typeof ErrorCode)[ErrorCodeName];

/** Transport codes are produced locally by a client; a peer never sends them. */
export function isTransportErrorCode(code: number): boolean {
  return code <= -32080 && code >= -32099;
}

const codeNames = new Map<number, ErrorCodeName>(
  (Object.entries(ErrorCode) as [ErrorCodeName, number][]).map(([name, code]) => [code, name]),
);

export function errorCodeName(code: number): string {
  return codeNames.get(code) ?? (code >= -32099 && code <= -32000 ? 'ServerError' : 'ApplicationError');
}

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

const BRAND = Symbol.for('ferry.RpcError');

/**
 * An error carrying a JSON-RPC error code. Branded with a registered symbol (rather than relying on
 * `instanceof`) so that `isRpcError` holds across realms and across duplicate copies of this module
 * in different bundles. A copy made by JSON or structured cloning keeps no symbol (and structured
 * cloning of an Error keeps only name and message): send `toJSON()` across such boundaries and use
 * `isRpcErrorObject` / `RpcError.fromObject` on the other side.
 */
export class RpcError extends Error {
  readonly [BRAND] = true;
  readonly code: number;
  readonly data?: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    if (data !== undefined) this.data = data;
  }

  get codeName(): string {
    return errorCodeName(this.code);
  }

  toJSON(): RpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  static fromObject(error: RpcErrorObject): RpcError {
    return new RpcError(error.code, error.message, error.data);
  }
}

export function isRpcError(value: unknown): value is RpcError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export function isRpcErrorObject(value: unknown): value is RpcErrorObject {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Number.isInteger(v.code) && typeof v.message === 'string';
}
