import { describe, expect, it, vi } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { describeInjectionFailure, refuseUnscriptable, resolveTab, type TabsApi } from './tab-access';

const tab = (id: number, url?: string) => ({ id, ...(url ? { url } : {}) }) as chrome.tabs.Tab;

function fakeTabs(tabs: chrome.tabs.Tab[]): TabsApi & { query: ReturnType<typeof vi.fn> } {
  return {
    get: vi.fn(async (id: number) => {
      const found = tabs.find((t) => t.id === id);
      if (!found) throw new Error(`No tab with id: ${id}.`);
      return found;
    }),
    query: vi.fn(async () => tabs.slice(0, 1)),
  } as unknown as TabsApi & { query: ReturnType<typeof vi.fn> };
}

describe('resolveTab', () => {
  it('takes the given tab, or the active tab of the last focused window', async () => {
    const tabs = fakeTabs([tab(7, 'https://shop.test/'), tab(9)]);
    expect((await resolveTab(tabs, 9)).id).toBe(9);
    expect((await resolveTab(tabs)).id).toBe(7);
    expect(tabs.query).toHaveBeenCalledWith({ active: true, lastFocusedWindow: true });
  });

  it('says so when there is no such tab or no active tab', async () => {
    await expect(resolveTab(fakeTabs([]), 4)).rejects.toSatisfy((e) => isFerryError(e, 'EXTRACTION_NO_TAB') && /^Tab 4 does not exist/.test((e as Error).message));
    await expect(resolveTab(fakeTabs([]))).rejects.toSatisfy((e) => isFerryError(e, 'EXTRACTION_NO_TAB') && /^There is no active tab.*open its popup/.test((e as Error).message));
  });
});

describe('refuseUnscriptable', () => {
  it.each([
    ['chrome://extensions/', /browser page \(chrome:\)/],
    ['about:blank', /browser page \(about:\)/],
    ['view-source:https://shop.test/', /browser page/],
    ['chrome-extension://kpgehfcbmnmkpndeefdgcjbnpjhdbdkj/options.html', /an extension's page/],
    ['https://chromewebstore.google.com/detail/x', /extension gallery \(chromewebstore\.google\.com\)/],
    ['https://chrome.google.com/webstore/category/extensions', /extension gallery/],
    ['https://addons.mozilla.org/en-US/firefox/', /extension gallery/],
  ])('refuses %s', (url, message) => {
    const refusal = refuseUnscriptable(url);
    expect(refusal?.code).toBe('EXTRACTION_TAB_NOT_SCRIPTABLE');
    expect(refusal?.message).toMatch(message);
  });

  it.each([undefined, 'https://shop.test/list', 'http://127.0.0.1:8080/', 'https://chrome.google.com/search', 'file:///home/me/list.html'])('lets %s through to the browser', (url) => {
    expect(refuseUnscriptable(url)).toBeUndefined();
  });
});

describe('describeInjectionFailure', () => {
  it('explains a missing grant with how to give one', () => {
    const error = describeInjectionFailure(new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.'), 'https://shop.test/list');
    expect(error.code).toBe('EXTRACTION_TAB_ACCESS_DENIED');
    expect(error.message).toMatch(/^Ferry has no access to shop\.test\. Open the page, click Ferry's toolbar button to open its popup on it .*"Site access"/);
    expect(error.details).toEqual({ browserMessage: 'Cannot access contents of the page. Extension manifest must request permission to access the respective host.' });
    expect(describeInjectionFailure(new Error('Missing host permission for the tab'), undefined).message).toMatch(/^Ferry has no access to this tab\./);
  });

  it.each([
    ['The extensions gallery cannot be scripted.', 'https://chromewebstore.google.com/', 'EXTRACTION_TAB_NOT_SCRIPTABLE'],
    ['No tab with id: 12.', 'https://shop.test/', 'EXTRACTION_NO_TAB'],
    ['Frame with ID 0 is showing error page', 'https://shop.test/', 'EXTRACTION_TAB_NOT_SCRIPTABLE'],
    ['Cannot access contents of url "file:///tmp/x.html". Extension manifest must request permission to access this host.', 'file:///tmp/x.html', 'EXTRACTION_TAB_ACCESS_DENIED'],
    ['Something unforeseen', 'https://shop.test/', 'EXTRACTION_FAILED'],
  ])('%s → its code', (message, url, code) => {
    expect(describeInjectionFailure(new Error(message), url).code).toBe(code);
  });

  it('points file pages at the file-URL switch', () => {
    expect(describeInjectionFailure(new Error('Cannot access contents of url "file:///x"'), 'file:///x').message).toMatch(/Allow access to file URLs/);
  });
});
