/**
 * Which senders the background answers. Only this extension's own pages (popup, options) may use
 * privileged messages; content scripts (later) get a narrower set; web pages cannot reach the
 * background at all because the manifest has no `externally_connectable`, and `onMessageExternal`
 * is never listened to.
 */
export type SenderKind = 'extension-page' | 'content-script' | 'foreign';

export function classifySender(sender: chrome.runtime.MessageSender, runtimeId: string, extensionOrigin: string): SenderKind {
  if (sender.id !== runtimeId) return 'foreign';
  // A content script runs in a tab whose URL is a web page; extension pages have our own origin.
  const url = sender.url ?? '';
  if (url.startsWith(extensionOrigin)) return 'extension-page';
  if (sender.tab) return 'content-script';
  return 'foreign';
}
