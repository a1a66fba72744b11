/** What the source card needs to pick rules on a page and preview them; a prop, so tests pass a fake. */
import type { ExtractorConfig } from '../../../extraction/config';
import type { PreviewResponse } from '../../../extraction/preview';
import type { PickerResult } from '../../../extraction/picker/picker-service';
import { sendToBackground } from '../../../messaging/send';

export interface PageTab {
  id: number;
  title: string;
  url: string;
}

export interface PickerClient {
  /** Open tabs whose address Ferry can see (those it was invoked on, or whose site it may read). */
  tabs(): Promise<PageTab[]>;
  /** Asks for the site's access in the click, then opens the page in a new tab and waits for it to load. */
  openForPicking(url: string): Promise<PageTab>;
  start(tabId: number): Promise<{ sessionId: string; tabId: number }>;
  result(sessionId: string): Promise<PickerResult | null>;
  cancel(sessionId: string): Promise<void>;
  preview(tabId: number, extractor: ExtractorConfig | undefined, limit?: number): Promise<PreviewResponse>;
  /** Brings the tab to the front, so the user picks where the overlay is. */
  focus(tabId: number): Promise<void>;
}

const SCRIPTABLE = /^(https?|file):/;

export const backgroundPickerClient: PickerClient = {
  tabs: async () => (await chrome.tabs.query({})).flatMap((t) => (t.id !== undefined && t.url && SCRIPTABLE.test(t.url) ? [{ id: t.id, title: t.title ?? t.url, url: t.url }] : [])),
  openForPicking: async (url) => {
    const origin = `${new URL(url).origin}/*`;
    // The request must be the first thing the click does: the browser refuses it after an await.
    const granted = await chrome.permissions.request({ origins: [origin] });
    if (!granted) throw new Error(`Ferry was not allowed to read ${new URL(url).host}; allow it to pick elements on that site.`);
    const tab = await chrome.tabs.create({ url, active: true });
    await new Promise<void>((resolve) => {
      const done = (id: number, info: { status?: string }) => {
        if (id !== tab.id || info.status !== 'complete') return;
        chrome.tabs.onUpdated.removeListener(done);
        resolve();
      };
      chrome.tabs.onUpdated.addListener(done);
    });
    return { id: tab.id!, title: tab.title ?? url, url };
  },
  start: (tabId) => sendToBackground('picker.start', { tabId }),
  result: (sessionId) => sendToBackground('picker.result', { sessionId }),
  cancel: async (sessionId) => void (await sendToBackground('picker.cancel', { sessionId })),
  preview: (tabId, extractor, limit = 20) => sendToBackground('extraction.preview', { tabId, ...(extractor ? { extractor } : {}), limit }),
  focus: async (tabId) => void (await chrome.tabs.update(tabId, { active: true })),
};
