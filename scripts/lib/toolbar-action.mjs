/**
 * Clicking Ferry's toolbar button, as a user does, from automation. Chromium's CDP method
 * `Extensions.triggerAction` runs an extension's action on a tab exactly like a click: the popup opens
 * and `activeTab` is granted for that tab. It needs `--enable-unsafe-extension-debugging` and a
 * client on `--remote-debugging-pipe` (Playwright's own connection). The popup it opens is not a
 * Playwright page, so the handle reaches it through the browser's CDP session. Used by `npm start
 * --headless` (the demo) and by the end-to-end tests.
 */
import { writeFile } from 'node:fs/promises';

/** Chrome's largest popup: 800 × 600 CSS pixels. */
const POPUP_MAX_HEIGHT = 600;
const POPUP_MAX_WIDTH = 800;
/** The popup's content size: its app's root element's (Ferry's pages render into #root). */
const POPUP_SIZE = `(() => {
  const app = document.getElementById('root')?.firstElementChild ?? document.body;
  const box = app.getBoundingClientRect();
  return { width: Math.min(${POPUP_MAX_WIDTH}, Math.ceil(box.width)), height: Math.ceil(box.height) };
})()`;

/** The extra Chromium flag `Extensions.triggerAction` needs. */
export const ACTION_DEBUGGING_ARGS = ['--enable-unsafe-extension-debugging'];

/** Clicks Ferry's toolbar button on `page`'s tab and returns the popup that opened. */
export async function clickToolbarButton(context, extensionId, page) {
  const browser = context.browser();
  if (!browser) throw new Error('no browser handle for CDP');
  const cdp = await browser.newBrowserCDPSession();
  const targets = async (filter) => (await cdp.send('Target.getTargets', filter ? { filter } : {})).targetInfos;
  const popupUrl = `chrome-extension://${extensionId}/popup.html`;
  const before = new Set((await targets()).filter((t) => t.url === popupUrl).map((t) => t.targetId));
  // triggerAction wants the tab target, not the page target Playwright knows.
  const tab = (await targets([{ type: 'tab' }])).find((t) => t.url === page.url());
  if (!tab) throw new Error(`no tab target shows ${page.url()}`);
  await cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
  let popup;
  for (const started = Date.now(); !popup; await new Promise((r) => setTimeout(r, 50))) {
    popup = (await targets()).find((t) => t.url === popupUrl && t.type === 'page' && !before.has(t.targetId));
    if (!popup && Date.now() - started > 10_000) throw new Error('the popup did not open');
  }
  return attach(cdp, popup.targetId);
}

/** Playwright's CDP session cannot route flattened child sessions, so messages go through the browser target. */
async function attach(cdp, targetId) {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
  let nextId = 1;
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message);
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  const call = async (method, params) => {
    const id = nextId++;
    const reply = new Promise((resolve) => pending.set(id, resolve));
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    const message = await reply;
    pending.delete(id);
    if (message.error) throw new Error(message.error.message);
    return message.result;
  };
  return {
    async evaluate(expression) {
      const result = await call('Runtime.evaluate', { expression: `(async () => { ${expression} })()`, awaitPromise: true, returnByValue: true });
      if (result?.exceptionDetails) throw new Error(result.exceptionDetails.exception?.description ?? 'the popup threw');
      return result?.result.value;
    },
    /**
     * Saves a PNG of the popup at the size Chrome gives it: as wide as its content, as tall as its
     * content up to Chrome's 600 px limit (beyond that Chrome's popup scrolls; the shot shows its top).
     * Popup targets refuse viewport overrides, so the shot is clipped instead.
     */
    async screenshot(path) {
      const { width, height } = (await call('Runtime.evaluate', { expression: POPUP_SIZE, returnByValue: true })).result.value;
      const clip = { x: 0, y: 0, width, height: Math.min(height, POPUP_MAX_HEIGHT), scale: 1 };
      const { data } = await call('Page.captureScreenshot', { format: 'png', clip, captureBeyondViewport: true });
      await writeFile(path, Buffer.from(data, 'base64'));
    },
    async close() {
      await cdp.send('Target.closeTarget', { targetId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}
