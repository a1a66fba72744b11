/** What the preview window needs from the background; a prop, so tests pass a fake. */
import type { SendPreview } from '../../background/context-send/preview-data';
import { sendToBackground } from '../../messaging/send';

export interface PreviewClient {
  preview(id: string): Promise<SendPreview>;
  confirm(id: string, dontAskAgain: boolean): Promise<{ runId: string }>;
  cancel(id: string): Promise<void>;
  /** Closes the preview window. */
  close(): void;
  /** Opens the options page on the run's history. */
  openRun(runId: string): void;
}

export const backgroundPreviewClient: PreviewClient = {
  preview: (id) => sendToBackground('contextSend.preview', { id }),
  confirm: (id, dontAskAgain) => sendToBackground('contextSend.confirm', { id, dontAskAgain }),
  cancel: async (id) => void (await sendToBackground('contextSend.cancel', { id })),
  close: () => window.close(),
  openRun: (runId) => void chrome.tabs.create({ url: chrome.runtime.getURL(`/options.html#/runs/${encodeURIComponent(runId)}`) }),
};
