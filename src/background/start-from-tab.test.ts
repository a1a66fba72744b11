// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.test/products"}
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { fakeTab } from '../extraction/fake-tab.test-support';
import type { StartFromTabRequest } from '../messaging/contract';
import type { PipelineRow } from '../storage/rows';
import { startFromTab, type StartFromTabDeps } from './start-from-tab';

const pipeline = (source: unknown = { type: 'supplied' }) => ({ version: 1, id: 'shop', name: 'Shop', source, steps: [{ http: { method: 'POST', url: 'https://api.test/v1' } }] });

function fakeEngine(saved: PipelineRow[] = []) {
  const start = vi.fn(async () => 'run-1');
  const kick = vi.fn();
  const engine = {
    service: async () => ({ start }),
    pipelines: async () => ({ get: async (id: string) => saved.find((p) => p.id === id) }),
    kick,
  } as unknown as StartFromTabDeps['engine'];
  return { engine, start, kick };
}

beforeEach(() => {
  document.title = 'Products';
  document.body.innerHTML = `
    <table><thead><tr><th>Name</th><th>Unit price</th></tr></thead>
      <tbody><tr><td>Widget</td><td>9.99</td></tr><tr><td>Gadget</td><td>19.50</td></tr></tbody></table>
    <ul><li class="p"><span>Widget</span></li></ul>`;
});

describe('startFromTab', () => {
  it('extracts the tab (automatic mode by default) and starts the run as runs.start does, then drives', async () => {
    const { engine, start, kick } = fakeEngine();
    const { apis } = fakeTab({ url: 'https://shop.test/products' });
    const doc = pipeline();
    await expect(startFromTab({ engine, apis }, { pipeline: doc })).resolves.toEqual({ runId: 'run-1', extracted: 2, warnings: [] });
    expect(start).toHaveBeenCalledWith({
      pipeline: doc,
      records: [
        { name: 'Widget', unitPrice: '9.99' },
        { name: 'Gadget', unitPrice: '19.50' },
      ],
      source: { url: 'https://shop.test/products', title: 'Products' },
    });
    expect(kick).toHaveBeenCalledOnce();
  });

  it("uses a saved pipeline by id, with its page source as the extractor unless the caller gives one", async () => {
    const saved = { id: 'shop', name: 'Shop', updatedAt: 0, document: pipeline({ type: 'page', itemSelector: 'li.p', fields: { title: 'span' } }) };
    const { engine, start } = fakeEngine([saved]);
    const { apis } = fakeTab();
    await startFromTab({ engine, apis }, { pipelineId: 'shop' });
    expect(start).toHaveBeenLastCalledWith(expect.objectContaining({ pipelineId: 'shop', records: [{ title: 'Widget' }] }));
    await startFromTab({ engine, apis }, { pipelineId: 'shop', extractor: { itemSelector: 'tbody tr', fields: { name: 'td' } } });
    expect(start).toHaveBeenLastCalledWith(expect.objectContaining({ records: [{ name: 'Widget' }, { name: 'Gadget' }] }));
  });

  it.each<[string, StartFromTabRequest, string, RegExp]>([
    ['neither pipeline nor pipelineId', {}, 'INVALID_REQUEST', /exactly one of pipelineId/],
    ['both', { pipeline: pipeline(), pipelineId: 'shop' }, 'INVALID_REQUEST', /exactly one of pipelineId/],
    ['a bad tab id', { pipeline: pipeline(), tabId: -1 }, 'INVALID_REQUEST', /^tabId:/],
    ['an unknown saved pipeline', { pipelineId: 'nope' }, 'PIPELINE_NOT_FOUND', /"nope"/],
    ['an invalid pipeline', { pipeline: { version: 1 } }, 'PIPELINE_INVALID', /id/],
    ['an invalid extractor', { pipeline: pipeline(), extractor: { itemSelector: '.p', fields: { n: 5 } as never } }, 'EXTRACTOR_INVALID', /extractor\.fields\.n/],
  ])('refuses %s before touching the tab', async (_name, request, code, message) => {
    const { engine, start } = fakeEngine();
    const { apis, executeScript } = fakeTab();
    const error = await startFromTab({ engine, apis }, request).catch((e: unknown) => e);
    expect(isFerryError(error, code)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect(executeScript).not.toHaveBeenCalled();
    expect(start).not.toHaveBeenCalled();
  });

  it('starts nothing when the page has nothing to extract', async () => {
    document.body.innerHTML = '<p>No data here.</p>';
    const { engine, start } = fakeEngine();
    await expect(startFromTab({ engine, apis: fakeTab().apis }, { pipeline: pipeline() })).rejects.toSatisfy((e) => isFerryError(e, 'EXTRACTION_EMPTY'));
    expect(start).not.toHaveBeenCalled();
  });
});
