/**
 * JSON-RPC 2.0 message shapes and a strict classifier for incoming values
 * (https://www.jsonrpc.org/specification).
 */
import { ErrorCode, type RpcErrorObject } from './errors';

export type RequestId = string | number;
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Params = unknown[] | Record<string, unknown>;

export interface RequestMessage {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Params;
}
export interface NotificationMessage {
  jsonrpc: '2.0';
  method: string;
  params?: Params;
}
export interface SuccessResponse {
  jsonrpc: '2.0';
  id: RequestId;
  result: unknown;
}
export interface ErrorResponse {
  jsonrpc: '2.0';
  id: RequestId | null;
  error: RpcErrorObject;
}
export type ResponseMessage = SuccessResponse | ErrorResponse;
export type Message = RequestMessage | NotificationMessage | ResponseMessage;

export type Classified =
  | { kind: 'request'; message: RequestMessage }
  | { kind: 'notification'; message: NotificationMessage }
  | { kind: 'response'; message: ResponseMessage }
  | { kind: 'invalid'; id: RequestId | null; reason: string };

function isId(value: unknown): value is RequestId {
  // The spec allows null ids but discourages them; a null id cannot be correlated, so Ferry
  // treats a request with id null as invalid rather than guessing.
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Classifies one already-parsed JSON value (one element of a batch, or a single message). */
export function classify(value: unknown): Classified {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', id: null, reason: 'a JSON-RPC message must be an object' };
  }
  const v = value as Record<string, unknown>;
  const id = isId(v.id) ? v.id : null;
  if (v.jsonrpc !== '2.0') return { kind: 'invalid', id, reason: 'member "jsonrpc" must be exactly "2.0"' };
  if ('method' in v) {
    if (typeof v.method !== 'string') return { kind: 'invalid', id, reason: 'member "method" must be a string' };
    if ('params' in v && (typeof v.params !== 'object' || v.params === null)) {
      return { kind: 'invalid', id, reason: 'member "params" must be an array or an object when present' };
    }
    if (!('id' in v)) return { kind: 'notification', message: v as unknown as NotificationMessage };
    if (!isId(v.id)) return { kind: 'invalid', id: null, reason: 'member "id" must be a string or a number' };
    return { kind: 'request', message: v as unknown as RequestMessage };
  }
  const hasResult = 'result' in v;
  const hasError = 'error' in v;
  if (hasResult !== hasError && (isId(v.id) || (hasError && v.id === null))) {
    if (hasError) {
      const e = v.error as Record<string, unknown> | null;
      if (typeof e !== 'object' || e === null || !Number.isInteger(e.code) || typeof e.message !== 'string') {
        return { kind: 'invalid', id, reason: 'member "error" must have an integer "code" and a string "message"' };
      }
    }
    return { kind: 'response', message: v as unknown as ResponseMessage };
  }
  return { kind: 'invalid', id, reason: 'not a request, notification or response' };
}

export function request(id: RequestId, method: string, params?: Params): RequestMessage {
  return params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
}

export function notification(method: string, params?: Params): NotificationMessage {
  return params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
}

export function success(id: RequestId, result: unknown): SuccessResponse {
  // `undefined` is not JSON; a method with nothing to return answers null.
  return { jsonrpc: '2.0', id, result: result === undefined ? null : result };
}

export function failure(id: RequestId | null, error: RpcErrorObject): ErrorResponse {
  return { jsonrpc: '2.0', id, error };
}

export function parseError(detail: string): ErrorResponse {
  return failure(null, { code: ErrorCode.ParseError, message: `Parse error: ${detail}` });
}

export function isErrorResponse(message: ResponseMessage): message is ErrorResponse {
  return 'error' in message;
}
