/**
 * The background's side of typed messaging: one handler per message type, each declaring which
 * senders may use it. Handlers are registered synchronously at start-up so a stopped service worker
 * that is woken by a message finds its listener.
 */
import { isFerryError } from '../errors/ferry-error';
import { ErrorCode, RpcError, errorCodeName, isRpcError } from '../protocol/errors';
import type { Envelope, MessageType, Reply, RequestOf, ResponseOf, SerializedError } from './contract';
import { classifySender, type SenderKind } from './sender';

export interface Route<T extends MessageType> {
  allow: readonly SenderKind[];
  handle(data: RequestOf<T>, sender: chrome.runtime.MessageSender): Promise<ResponseOf<T>> | ResponseOf<T>;
}

export type Routes = { [T in MessageType]: Route<T> };

export function serializeError(error: unknown): SerializedError {
  if (isRpcError(error)) {
    return { code: error.code, codeName: errorCodeName(error.code), message: error.message, data: error.data };
  }
  if (isFerryError(error)) {
    // Pipeline, storage and integration errors keep their string code and safe details.
    return { code: ErrorCode.InternalError, codeName: error.code, message: error.message, data: error.toJSON() };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCode.InternalError, codeName: 'InternalError', message };
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && (value as Envelope).ferry === 1 && typeof (value as Envelope).type === 'string';
}

export function listen(routes: Routes, runtime: typeof chrome.runtime = chrome.runtime): void {
  const origin = runtime.getURL('');
  runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    if (!isEnvelope(message)) return false;
    // Own properties only: a type named "__proto__", "constructor" or "toString" must not find
    // Object.prototype's members and call them as a route.
    const route = Object.hasOwn(routes, message.type) ? (routes as Record<string, Route<MessageType> | undefined>)[message.type] : undefined;
    const kind = classifySender(sender, runtime.id, origin);
    const reply = (r: Reply<MessageType>) => sendResponse(r);
    if (!route || typeof route.handle !== 'function' || !Array.isArray(route.allow)) {
      reply({ ok: false, error: serializeError(new RpcError(ErrorCode.MethodNotFound, `Unknown message "${message.type}"`)) });
      return false;
    }
    if (!route.allow.includes(kind)) {
      reply({ ok: false, error: serializeError(new RpcError(ErrorCode.InvalidRequest, `"${message.type}" is not available to this sender`)) });
      return false;
    }
    Promise.resolve()
      .then(() => route.handle(message.data as never, sender))
      .then(
        (value) => reply({ ok: true, value }),
        (error: unknown) => reply({ ok: false, error: serializeError(error) }),
      );
    return true; // keeps the channel open for the async answer
  });
}
