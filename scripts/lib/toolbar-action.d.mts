import type { BrowserContext, Page } from 'playwright-core';

export declare const ACTION_DEBUGGING_ARGS: string[];

export interface PopupHandle {
  /** Runs `expression` (an async function's body is fine: it is awaited) in the open popup; returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Saves a PNG of the popup as the browser renders it. */
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

/** Clicks Ferry's toolbar button on `page`'s tab and returns the popup that opened. */
export declare function clickToolbarButton(context: BrowserContext, extensionId: string, page: Page): Promise<PopupHandle>;
