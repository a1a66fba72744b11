import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../runs/run-service';
import { handleMenuClick, type ContextSendDeps } from './handle-click';
import { menuEntries, pipelineOfMenuItem } from './menus';
import { PendingSends, PENDING_TTL_MS } from './pending-sends';
import { notifyWhenFinished, runOutcomeText } from './run-notifier';

const pipeline = (id: string, match?: string[]) => ({
  id, name: `Pipeline ${id}`,
  document: { version: 1, id, name: `Pipeline ${id}`, ...(match ? { match } : {}), source: { type: 'supplied' }, steps: [{ http: { method: 'POST', url: 'https://api.example/v1' } }] },
});

function memoryArea(): Pick<chrome.storage.StorageArea, 'get' | 'set' | 'remove'> {
  const data: Record<string, unknown> = {};
  return {
    get: (async (key: string) => ({ [key]: data[key] })) as never,
    set: (async (items: Record<string, unknown>) => void Object.assign(data, items)) as never,
    remove: (async (key: string) => void delete data[key]) as never,
  };
}

describe('the menu', () => {
  it('offers each pipeline under one entry, only on the pages it matches, and leaves out one that no longer parses', () => {
    const entries = menuEntries([pipeline('a', ['https://shop.example/*']), pipeline('b'), { id: 'broken', name: 'Broken', document: { version: 1 } }]);
    expect(entries.map((e) => [e.id, e.parentId, e.documentUrlPatterns])).toEqual([
      ['ferry-send', undefined, undefined],
      ['ferry-send:a', 'ferry-send', ['https://shop.example/*']],
      ['ferry-send:b', 'ferry-send', undefined],
    ]);
    expect(entries[1]!.contexts).toEqual(['page', 'selection', 'link', 'image']);
    expect(menuEntries([])).toEqual([]);
    expect([pipelineOfMenuItem('ferry-send:a.b'), pipelineOfMenuItem('ferry-send'), pipelineOfMenuItem(3)]).toEqual(['a.b', undefined, undefined]);
  });
});

describe('pending sends', () => {
  it('are taken once, expire after an hour, and remember which pipelines skip the preview', async () => {
    let now = 1_000;
    const pending = new PendingSends(memoryArea(), memoryArea(), () => now);
    await pending.put({ id: 'p1', pipelineId: 'a', records: [{ x: 1 }], source: {}, context: 'page', warnings: [], createdAt: now });
    expect((await pending.get('p1'))?.records).toEqual([{ x: 1 }]);
    await pending.put({ id: 'p3', pipelineId: 'b', records: [{ y: 1 }], source: {}, context: 'link', warnings: [], createdAt: now });
    expect(await pending.take('p1')).toMatchObject({ id: 'p1' });
    expect(await pending.take('p1')).toBeUndefined();
    // Each send is kept apart: taking one leaves the other.
    expect((await pending.get('p3'))?.records).toEqual([{ y: 1 }]);
    await pending.put({ id: 'p2', pipelineId: 'a', records: [], source: {}, context: 'page', warnings: [], createdAt: now });
    now += PENDING_TTL_MS;
    expect(await pending.get('p2')).toBeUndefined();
    expect(await pending.skipsPreview('a')).toBe(false);
    await pending.setSkipPreview('a', true);
    expect(await pending.skipsPreview('a')).toBe(true);
    await pending.setSkipPreview('a', false);
    expect(await pending.skipsPreview('a')).toBe(false);
  });
});

describe('a menu click', () => {
  function deps(skip = false) {
    const pending = new PendingSends(memoryArea(), memoryArea());
    if (skip) void pending.setSkipPreview('a', true);
    const start = vi.fn(async () => 'run-1');
    const extractFromPage = vi.fn();
    const d: ContextSendDeps & { start: typeof start; opened: string[]; watched: string[] } = {
      engine: { service: async () => ({ start }) as never, pipelines: async () => ({ get: async (id: string) => (id === 'a' ? { ...pipeline('a'), updatedAt: 0 } : undefined) }) as never, kick: vi.fn() },
      apis: { tabs: { get: extractFromPage } as never, scripting: {} as never },
      pending, start, opened: [], watched: [],
      openPreview: async (id) => void d.opened.push(id),
      watchRun: (runId) => void d.watched.push(runId),
      newId: () => 'preview-1',
    };
    return d;
  }

  it('on a link holds the link as a record for the preview, without touching the page', async () => {
    const d = deps();
    const outcome = await handleMenuClick(d, { menuItemId: 'ferry-send:a', linkUrl: 'https://shop.example/item/7', selectionText: 'Item 7', pageUrl: 'https://shop.example/' }, { id: 3, title: 'Shop' });
    expect(outcome).toEqual({ previewId: 'preview-1' });
    expect(d.opened).toEqual(['preview-1']);
    expect((await d.pending.get('preview-1'))?.records).toEqual([{ url: 'https://shop.example/item/7', text: 'Item 7', page: 'https://shop.example/' }]);
    expect(d.start).not.toHaveBeenCalled();
  });

  it("starts the run at once for a pipeline whose preview the user turned off, and follows it", async () => {
    const d = deps(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(await handleMenuClick(d, { menuItemId: 'ferry-send:a', srcUrl: 'https://cdn.example/a.png', mediaType: 'image', pageUrl: 'https://shop.example/' }, { id: 3 })).toEqual({ runId: 'run-1' });
    expect(d.start).toHaveBeenCalledWith({ pipelineId: 'a', records: [{ src: 'https://cdn.example/a.png', page: 'https://shop.example/' }], source: { url: 'https://shop.example/' } });
    expect(d.watched).toEqual(['run-1']);
  });

  it('ignores entries that are not Ferry pipelines and says so when the pipeline is gone', async () => {
    const d = deps();
    expect(await handleMenuClick(d, { menuItemId: 'other' }, undefined)).toEqual({ ignored: true });
    await expect(handleMenuClick(d, { menuItemId: 'ferry-send:gone', linkUrl: 'https://x.example/' }, undefined)).rejects.toMatchObject({ code: 'PIPELINE_NOT_FOUND' });
  });
});

describe('the outcome notification', () => {
  const run = (status: RunSummary['status'], counts: Partial<RunSummary['counts']>, error?: string) =>
    ({ id: 'r', pipelineId: 'a', status, createdAt: 0, updatedAt: 0, counts: { extracted: 3, rejected: 0, sent: 0, failed: 0, retried: 0, ...counts }, ...(error ? { error: { code: 'X', message: error } } : {}) }) as RunSummary;

  it('says what was sent, rejected and failed, and why a run failed', () => {
    expect(runOutcomeText(run('succeeded', { sent: 9, rejected: 1 }), 'Demo')).toEqual({ title: 'Sent with “Demo”', message: '9 sent, 1 rejected.' });
    expect(runOutcomeText(run('failed', { sent: 1, failed: 2 }, 'POST api.example/v1 answered 500.'), 'Demo')).toEqual({ title: '“Demo” finished with problems', message: '1 sent, 2 failed. POST api.example/v1 answered 500.' });
  });

  it('a run that sent nothing says so, not "Sent with", and is a finished run to notify about', async () => {
    expect(runOutcomeText(run('nothingSent', { extracted: 50, rejected: 50 }), 'Demo')).toEqual({ title: '“Demo”: nothing sent', message: 'Nothing sent: all 50 records were rejected.' });
    expect(runOutcomeText(run('nothingSent', { extracted: 0 }), 'Demo')).toEqual({ title: '“Demo”: nothing sent', message: 'Nothing sent: the page gave no records.' });
    const notify = vi.fn(async () => undefined);
    const states = [run('running', {}), run('nothingSent', { rejected: 3 })];
    await notifyWhenFinished({ getRun: async () => states.shift() ?? null, notify, sleep: async () => undefined }, 'r', 'Demo');
    expect(notify).toHaveBeenCalledWith('ferry-run:r', { title: '“Demo”: nothing sent', message: 'Nothing sent: all 3 records were rejected.' });
  });

  it('waits for the run to finish, then notifies once', async () => {
    const states = [run('running', {}), run('running', { sent: 1 }), run('succeeded', { sent: 3 })];
    const notify = vi.fn(async () => undefined);
    await notifyWhenFinished({ getRun: async () => states.shift() ?? null, notify, sleep: async () => undefined }, 'r', 'Demo');
    expect(notify).toHaveBeenCalledTimes(1);
    expect(notify).toHaveBeenCalledWith('ferry-run:r', { title: 'Sent with “Demo”', message: '3 sent.' });
  });
});
