/**
 * Clicking Ferry's toolbar button, as a user does, in headless Chromium: CDP
 * `Extensions.triggerAction` opens the popup and grants `activeTab` exactly like a click. The code
 * lives in scripts/lib/toolbar-action.mjs, shared with `npm start --headless`, which runs the demo
 * the same way.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { ACTION_DEBUGGING_ARGS, clickToolbarButton as click, type PopupHandle } from '../../../scripts/lib/toolbar-action.mjs';

export { ACTION_DEBUGGING_ARGS, type PopupHandle };

/** Clicks Ferry's toolbar button on `page`'s tab and returns the popup that opened. */
export function clickToolbarButton(context: BrowserContext, extensionId: string, page: Page): Promise<PopupHandle> {
  // @playwright/test's and playwright-core's types are the same classes under two package names.
  return click(context as never, extensionId, page as never);
}
