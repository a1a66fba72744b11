/**
 * Browser APIs for extraction tests: one tab showing happy-dom's document, and a `scripting` that
 * runs the injected function the way the browser does — from its source text, with JSON args, its
 * result structured-cloned back.
 */
import { vi } from 'vitest';
import type { ExtractionApis } from './extract-from-tab';

export interface FakeTabOptions {
  tabId?: number;
  /** What `tabs.get`/`tabs.query` report; undefined models a tab Ferry may not see the URL of. */
  url?: string;
  /** Makes executeScript reject with this browser message instead of running. */
  refuse?: string;
  /** Never answers (a page stuck in a long script). */
  hang?: boolean;
}

export function fakeTab(options: FakeTabOptions = {}) {
  const tab = { id: options.tabId ?? 41, active: true, ...(options.url !== undefined ? { url: options.url } : {}) } as chrome.tabs.Tab;
  const executeScript = vi.fn(async (injection: { target: { tabId: number }; func: (...args: unknown[]) => unknown; args?: unknown[] }) => {
    if (options.refuse) throw new Error(options.refuse);
    if (options.hang) return new Promise<never>(() => {});
    if (injection.target.tabId !== tab.id) throw new Error(`No tab with id: ${injection.target.tabId}.`);
    const func = new Function(`return (${injection.func.toString()})`)() as (...args: unknown[]) => unknown;
    const result = func(...(JSON.parse(JSON.stringify(injection.args ?? [])) as unknown[]));
    return [{ frameId: 0, documentId: 'doc', result: structuredClone(result) }];
  });
  const apis = {
    tabs: {
      get: vi.fn(async (id: number) => {
        if (id !== tab.id) throw new Error(`No tab with id: ${id}.`);
        return tab;
      }),
      query: vi.fn(async () => [tab]),
    },
    scripting: { executeScript },
  } as unknown as ExtractionApis;
  return { apis, tab, executeScript };
}
