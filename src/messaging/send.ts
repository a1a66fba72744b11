/** Typed request/response messaging from an extension page to the background. */
import { ErrorCode, RpcError } from '../protocol/errors';
import type { Envelope, MessageType, Reply, RequestOf, ResponseOf } from './contract';

export async function sendToBackground<T extends MessageType>(type: T, data: RequestOf<T>): Promise<ResponseOf<T>> {
  const envelope: Envelope<T> = { ferry: 1, type, data };
  const reply = (await chrome.runtime.sendMessage(envelope)) as Reply<T> | undefined;
  if (!reply) {
    throw new RpcError(ErrorCode.InternalError, `The background did not answer "${type}"; reload the extension.`);
  }
  if (!reply.ok) throw new RpcError(reply.error.code, reply.error.message, reply.error.data);
  return reply.value;
}
