// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.test/list"}
import { beforeEach, describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { parseExtractorConfig } from './config';
import { extractFromTab } from './extract-from-tab';
import { fakeTab } from './fake-tab.test-support';

beforeEach(() => {
  document.title = 'Shop';
  document.body.innerHTML = `
    <div class="item"><b>One</b><a href="/1">more</a></div>
    <div class="item"><b>Two</b><a href="/2">more</a></div>`;
});

const spec = parseExtractorConfig({ itemSelector: '.item', fields: { name: 'b', url: 'a@href' } });

describe('extractFromTab', () => {
  it('injects the extractor into the tab and returns its records and the page as source', async () => {
    const { apis, executeScript } = fakeTab({ url: 'https://shop.test/list' });
    const extraction = await extractFromTab(apis, { spec });
    expect(extraction).toEqual({
      tabId: 41,
      mode: 'selector',
      records: [
        { name: 'One', url: 'https://shop.test/1' },
        { name: 'Two', url: 'https://shop.test/2' },
      ],
      source: { url: 'https://shop.test/list', title: 'Shop' },
      warnings: [],
    });
    expect(executeScript).toHaveBeenCalledWith(expect.objectContaining({ target: { tabId: 41 }, args: [spec] }));
  });

  it('refuses a browser page before trying, and explains a refused injection', async () => {
    const browserPage = fakeTab({ url: 'chrome://settings/' });
    await expect(extractFromTab(browserPage.apis, { spec })).rejects.toSatisfy((e) => isFerryError(e, 'EXTRACTION_TAB_NOT_SCRIPTABLE'));
    expect(browserPage.executeScript).not.toHaveBeenCalled();
    const noGrant = fakeTab({ refuse: 'Cannot access contents of the page. Extension manifest must request permission to access the respective host.' });
    await expect(extractFromTab(noGrant.apis, { spec })).rejects.toSatisfy((e) => isFerryError(e, 'EXTRACTION_TAB_ACCESS_DENIED') && /open its popup on it/.test((e as Error).message));
  });

  it('stops waiting for a page that never answers when the signal aborts', async () => {
    const { apis } = fakeTab({ hang: true });
    await expect(extractFromTab(apis, { spec, signal: AbortSignal.timeout(20) })).rejects.toSatisfy((e) => isFerryError(e, 'EXTRACTION_TIMEOUT'));
    const controller = new AbortController();
    const pending = extractFromTab(apis, { spec, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toSatisfy((e) => isFerryError(e, 'EXTRACTION_ABORTED'));
  });

  it('reports an empty page, and a selector the page could not parse', async () => {
    const { apis } = fakeTab();
    await expect(extractFromTab(apis, { spec: parseExtractorConfig({ itemSelector: '.missing', fields: { a: 'b' } }) })).rejects.toSatisfy((e) => isFerryError(e, 'EXTRACTION_EMPTY'));
    await expect(extractFromTab(apis, { spec: parseExtractorConfig({ itemSelector: '.item', fields: { a: 'b[' } }) })).rejects.toSatisfy(
      (e) => isFerryError(e, 'EXTRACTOR_INVALID') && (e as Error).message.startsWith('extractor.fields.a:'),
    );
  });
});
