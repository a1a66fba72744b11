import type { MessageType, RequestOf, ResponseOf } from '../messaging/contract';
import { sendToBackground } from '../messaging/send';

/**
 * A typed message to the background. Sections take it as a prop (default: the real one), so tests
 * pass a fake that answers from memory.
 */
export type BackgroundSend = <T extends MessageType>(type: T, data: RequestOf<T>) => Promise<ResponseOf<T>>;

export const backgroundSend: BackgroundSend = sendToBackground;

/** A failure's message for the user: the background's own words, which say what to do next. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    if (/receiving end does not exist|could not establish connection/i.test(error.message)) {
      return 'Ferry’s background service did not answer. Reload Ferry on the browser’s extensions page, then try again.';
    }
    return error.message;
  }
  return typeof error === 'string' ? error : 'Something went wrong.';
}
