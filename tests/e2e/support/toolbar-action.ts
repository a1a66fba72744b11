/**
 * Clicking Ferry's toolbar button, as a user does, in headless Chromium. Chromium's CDP method
 * `Extensions.triggerAction` runs an extension's action on a tab exactly like a click: the popup opens
 * and `activeTab` is granted for that tab. It needs `--enable-unsafe-extension-debugging` and a
 * client on `--remote-debugging-pipe` (Playwright's own connection). The popup it opens is not a
 * Playwright page, so `PopupHandle.evaluate` reaches it through the browser's CDP session.
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';

/** The extra Chromium flag `Extensions.triggerAction` needs. */
export const ACTION_DEBUGGING_ARGS = ['--enable-unsafe-extension-debugging'];

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

export interface PopupHandle {
  /** Runs `expression` (an async function's body is fine: it is awaited) in the open popup; returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

/** Clicks Ferry's toolbar button on `page`'s tab and returns the popup that opened. */
export async function clickToolbarButton(context: BrowserContext, extensionId: string, page: Page): Promise<PopupHandle> {
  const browser = context.browser();
  if (!browser) throw new Error('no browser handle for CDP');
  const cdp = await browser.newBrowserCDPSession();
  const targets = async (filter?: { type: string }[]) => ((await cdp.send('Target.getTargets', filter ? { filter } : {})) as { targetInfos: TargetInfo[] }).targetInfos;
  const popupUrl = `chrome-extension://${extensionId}/popup.html`;
  const before = new Set((await targets()).filter((t) => t.url === popupUrl).map((t) => t.targetId));
  // triggerAction wants the tab target, not the page target Playwright knows.
  const tab = (await targets([{ type: 'tab' }])).find((t) => t.url === page.url());
  if (!tab) throw new Error(`no tab target shows ${page.url()}`);
  await cdp.send('Extensions.triggerAction' as never, { id: extensionId, targetId: tab.targetId } as never);
  let popup: TargetInfo | undefined;
  for (const started = Date.now(); !popup; await new Promise((r) => setTimeout(r, 50))) {
    popup = (await targets()).find((t) => t.url === popupUrl && t.type === 'page' && !before.has(t.targetId));
    if (!popup && Date.now() - started > 10_000) throw new Error('the popup did not open');
  }
  return attach(cdp, popup.targetId);
}

/** Playwright's CDP session cannot route flattened child sessions, so messages go through the browser target. */
async function attach(cdp: CDPSession, targetId: string): Promise<PopupHandle> {
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
  let nextId = 1;
  const pending = new Map<number, (message: { result?: { result: { value?: unknown }; exceptionDetails?: { exception?: { description?: string } } }; error?: { message: string } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number };
    if (message.id !== undefined) pending.get(message.id)?.(message as never);
  });
  return {
    async evaluate<T>(expression: string) {
      const id = nextId++;
      const reply = new Promise<Parameters<NonNullable<ReturnType<typeof pending.get>>>[0]>((resolve) => pending.set(id, resolve));
      const params = { expression: `(async () => { ${expression} })()`, awaitPromise: true, returnByValue: true };
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.evaluate', params }) });
      const message = await reply;
      pending.delete(id);
      if (message.error) throw new Error(message.error.message);
      if (message.result?.exceptionDetails) throw new Error(message.result.exceptionDetails.exception?.description ?? 'the popup threw');
      return message.result?.result.value as T;
    },
    async close() {
      await cdp.send('Target.closeTarget', { targetId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}
