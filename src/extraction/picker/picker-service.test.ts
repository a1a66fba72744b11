// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.test/list.html"}
/**
 * The picker's background side: a session per start, the picker injected from its source text, and
 * picks accepted only from the session's tab (top frame) while it is live, with the rule validated.
 * The in-page picking itself needs trusted mouse events: tests/e2e/picker.spec.ts drives it in Chromium.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error';
import { fakeTab } from '../fake-tab.test-support';
import { previewFromTab } from '../preview';
import { acceptCancelled, acceptPicked, cancelPicker, pickerResult, startPicker, type PickerApis } from './picker-service';
import { PICKER_SESSION_TTL_MS, PickerSessions, type SessionArea } from './sessions';

function memoryArea(): SessionArea & { items: Map<string, unknown> } {
  const items = new Map<string, unknown>();
  return {
    items,
    get: async (key) => (items.has(key) ? { [key]: structuredClone(items.get(key)) } : {}),
    set: async (values) => void Object.entries(values).forEach(([k, v]) => items.set(k, structuredClone(v))),
    remove: async (key) => void items.delete(key),
  };
}

let clock = 1_000;
function setup() {
  const tab = fakeTab({ tabId: 7, url: 'https://shop.test/list.html' });
  const apis: PickerApis = { ...tab.apis, sessions: new PickerSessions(memoryArea(), () => clock), newId: () => 'session-1', now: () => clock };
  return { apis, tab };
}
const fromTab = (tabId: number, frameId = 0) => ({ id: 'ext', tab: { id: tabId } as chrome.tabs.Tab, frameId, url: 'https://shop.test/list.html' });
const RULE = { itemSelector: 'ul.products > li.product', fields: { title: 'h2', url: 'a@href' } };

beforeEach(() => {
  document.body.innerHTML = '<ul class="products"><li class="product"><h2>A</h2><a href="/a">a</a></li><li class="product"><h2>B</h2><a href="/b">b</a></li></ul>';
  clock = 1_000;
});

describe('picker sessions', () => {
  it('starts the picker in the tab (overlay in the page) and reports the session as picking', async () => {
    const { apis, tab } = setup();
    expect(await startPicker(apis, { tabId: 7 })).toEqual({ sessionId: 'session-1', tabId: 7 });
    expect(tab.executeScript).toHaveBeenCalledWith(expect.objectContaining({ target: { tabId: 7 }, args: [{ sessionId: 'session-1', previewCount: 3 }] }));
    expect(document.querySelector('ferry-picker')).not.toBeNull();
    expect(await pickerResult(apis, { sessionId: 'session-1' })).toEqual({ sessionId: 'session-1', tabId: 7, status: 'picking' });
    expect(await cancelPicker(apis, { sessionId: 'session-1' })).toEqual({ cancelled: true });
    expect(document.querySelector('ferry-picker')).toBeNull();
    expect(await pickerResult(apis, { sessionId: 'session-1' })).toMatchObject({ status: 'cancelled' });
  });

  it('accepts a pick only from the session\'s tab, top frame, while it is live; the rule is validated', async () => {
    const { apis } = setup();
    await startPicker(apis, {});
    const refused = async (promise: Promise<unknown>, code: string) => expect(isFerryError(await promise.catch((e: unknown) => e), code)).toBe(true);
    await refused(acceptPicked(apis, { sessionId: 'session-1', rule: RULE }, fromTab(8)), 'PICKER_SESSION_INVALID');
    await refused(acceptPicked(apis, { sessionId: 'session-1', rule: RULE }, fromTab(7, 3)), 'PICKER_SESSION_INVALID');
    await refused(acceptPicked(apis, { sessionId: 'guess', rule: RULE }, fromTab(7)), 'PICKER_SESSION_INVALID');
    await refused(acceptPicked(apis, { sessionId: 'session-1', rule: { itemSelector: 'li', fields: { a: 'a@' } } }, fromTab(7)), 'EXTRACTOR_INVALID');
    await refused(acceptPicked(apis, { sessionId: 'session-1', rule: { mode: 'metadata' } }, fromTab(7)), 'EXTRACTOR_INVALID');
    const preview = [{ title: 'A', url: 'https://shop.test/a' }, JSON.parse('{"title": "B", "url": "https://shop.test/b", "__proto__": {"polluted": true}}') as Record<string, unknown>, { x: 1 }, { y: 2 }];
    expect(await acceptPicked(apis, { sessionId: 'session-1', rule: RULE, matched: 2, preview }, fromTab(7))).toEqual({ accepted: true });
    const result = await pickerResult(apis, { sessionId: 'session-1' });
    expect(result).toEqual({ sessionId: 'session-1', tabId: 7, status: 'picked', rule: RULE, matched: 2, preview: [preview[0], { title: 'B', url: 'https://shop.test/b' }, { x: 1 }] });
    // Once picked, the session takes nothing more from the page.
    await refused(acceptCancelled(apis, { sessionId: 'session-1' }, fromTab(7)), 'PICKER_SESSION_INVALID');
  });

  it('forgets sessions after an hour', async () => {
    const { apis } = setup();
    await startPicker(apis, {});
    clock += PICKER_SESSION_TTL_MS + 1;
    expect(await pickerResult(apis, { sessionId: 'session-1' })).toBeNull();
  });

  it('refuses browser pages before injecting', async () => {
    const tab = fakeTab({ url: 'chrome://settings' });
    const apis: PickerApis = { ...tab.apis, sessions: new PickerSessions(memoryArea()) };
    expect(isFerryError(await startPicker(apis, {}).catch((e: unknown) => e), 'EXTRACTION_TAB_NOT_SCRIPTABLE')).toBe(true);
    expect(tab.executeScript).not.toHaveBeenCalled();
  });
});

describe('extraction.preview', () => {
  it('returns the count and the first records, an empty answer for no match, and typed errors for bad rules', async () => {
    const { apis } = fakeTab({ tabId: 7, url: 'https://shop.test/list.html' });
    expect(await previewFromTab(apis, { extractor: RULE, limit: 1 })).toMatchObject({ tabId: 7, mode: 'selector', count: 2, matched: 2, records: [{ title: 'A', url: 'https://shop.test/a' }] });
    expect(await previewFromTab(apis, { extractor: { itemSelector: '.none', fields: { a: 'a' } } })).toMatchObject({ count: 0, matched: 0, records: [] });
    const bad = await previewFromTab(apis, { extractor: { itemSelector: 'li[', fields: { a: 'a' } } }).catch((e: unknown) => e);
    expect(isFerryError(bad, 'EXTRACTOR_INVALID') && bad.message).toMatch(/^extractor\.itemSelector: "li\[" is not a CSS selector/);
    expect(isFerryError(await previewFromTab(apis, { extractor: RULE, limit: 1000 }).catch((e: unknown) => e), 'INVALID_REQUEST')).toBe(true);
    // A preview truncates at the limits instead of refusing.
    expect(await previewFromTab(apis, { extractor: { ...RULE, limits: { maxRecords: 1 } } })).toMatchObject({ count: 1, warnings: [expect.stringMatching(/kept the first 1/)] });
  });
});
