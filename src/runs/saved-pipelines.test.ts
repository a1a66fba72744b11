import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { createRepositories } from '../storage/repositories';
import { testClock, testDb } from '../storage/test-db.test-support';
import { deletePipeline, getPipeline, listPipelines, pipelineToStart, savePipeline } from './saved-pipelines';

const document = (id = 'orders', url = 'https://api.test/v1/orders') => ({
  version: 1,
  id,
  name: 'Orders',
  source: { type: 'supplied' },
  steps: [{ http: { method: 'POST', url, body: '{{transformedData}}' } }],
});

const TEXT = `{
  // pasted from the docs
  "version": 1, "id": "contacts", "name": "Contacts", "source": {"type": "supplied"},
  "steps": [{"http": {"method": "POST", "url": \`https://api.test/v1/contacts\`,}}],
}`;

async function setup() {
  const clock = testClock(1_000);
  return { clock, store: createRepositories(await testDb(), { now: clock.now }).pipelines };
}

const failure = async (promise: Promise<unknown>): Promise<Error> => promise.then(() => expect.unreachable(), (e: unknown) => e as Error);

describe('saved pipelines', () => {
  it('saves a document under its own id, as written, and lists, gets and deletes it', async () => {
    const { store, clock } = await setup();
    const saved = await savePipeline(store, { name: '  Orders to CRM ', document: document() });
    expect(saved).toEqual({ id: 'orders', name: 'Orders to CRM', updatedAt: 1_000, document: document() });
    clock.advance(10);
    await savePipeline(store, { id: 'contacts', name: 'Contacts', text: TEXT });
    expect(await listPipelines(store)).toEqual([
      { id: 'contacts', name: 'Contacts', updatedAt: 1_010 },
      { id: 'orders', name: 'Orders to CRM', updatedAt: 1_000 },
    ]);
    // Text keeps its comments for the editor; the document is what it parses to.
    expect(await getPipeline(store, 'contacts')).toMatchObject({ text: TEXT, document: { id: 'contacts', steps: [{ http: { url: 'https://api.test/v1/contacts' } }] } });
    expect(await deletePipeline(store, 'orders')).toEqual({ deleted: true });
    expect(await deletePipeline(store, 'orders')).toEqual({ deleted: false });
    expect(await getPipeline(store, 'orders')).toBeNull();
  });

  it('a save whose id is taken is refused with what to do; replace: true replaces, an edit keeps its id', async () => {
    const { store } = await setup();
    await savePipeline(store, { name: 'Orders', document: document() });
    const v2 = document('orders', 'https://api.test/v2/orders');
    const taken = await failure(savePipeline(store, { id: 'orders', name: 'Orders v2', document: v2 }));
    expect(isFerryError(taken, 'PIPELINE_EXISTS')).toBe(true);
    expect(taken.message).toBe('Not saved: the pipeline "Orders" is already saved under the id "orders". To keep both, save this one under a new id ("newId": true saves it as "orders-v2"); to replace "Orders", save again with "replace": true.');
    expect((taken as { details?: unknown }).details).toEqual({ id: 'orders', name: 'Orders', freeId: 'orders-v2' });
    expect(await getPipeline(store, 'orders')).toMatchObject({ name: 'Orders', document: document() });

    await savePipeline(store, { name: 'Orders v2', document: v2, replace: true });
    expect(await listPipelines(store)).toHaveLength(1);
    expect(await getPipeline(store, 'orders')).toMatchObject({ name: 'Orders v2', document: { steps: [{ http: { url: 'https://api.test/v2/orders' } }] } });

    await savePipeline(store, { name: 'Orders v3', document: document(), editing: 'orders' });
    expect(await getPipeline(store, 'orders')).toMatchObject({ name: 'Orders v3', document: document() });
    const moved = await failure(savePipeline(store, { name: 'Orders', document: document('renamed'), editing: 'orders' }));
    expect(isFerryError(moved, 'PIPELINE_ID_CHANGED')).toBe(true);
    expect(moved.message).toContain('set "id" back to "orders"');
    expect((await listPipelines(store)).map((p) => p.id)).toEqual(['orders']);
  });

  it('newId: two pipelines from one starter get ids from the name, made unique, written into the text with its comments', async () => {
    const { store } = await setup();
    const first = await savePipeline(store, { name: 'Contacts', text: TEXT, newId: true });
    const second = await savePipeline(store, { name: 'Contacts', text: TEXT, newId: true });
    const third = await savePipeline(store, { name: 'Café Orders → CRM', document: document('x'), newId: true });
    expect([first.id, second.id, third.id]).toEqual(['contacts', 'contacts-2', 'cafe-orders-crm']);
    expect(second.text).toBe(TEXT.replace('"id": "contacts"', '"id": "contacts-2"'));
    expect(second.text).toContain('// pasted from the docs');
    expect(second.document).toMatchObject({ id: 'contacts-2', name: 'Contacts' });
    expect(third.document).toMatchObject({ id: 'cafe-orders-crm' });
    expect((await listPipelines(store)).map((p) => p.id).sort()).toEqual(['cafe-orders-crm', 'contacts', 'contacts-2']);
    const both = await failure(savePipeline(store, { name: 'Contacts', text: TEXT, newId: true, replace: true }));
    expect(isFerryError(both, 'PIPELINE_SAVE_INVALID')).toBe(true);
  });

  it('refuses an invalid document with the parser\'s JSON-path messages, and saves nothing', async () => {
    const { store } = await setup();
    const bad = { ...document(), steps: [{ http: { method: 'POST', url: 'not a url', timeout: '30s' } }] };
    const error = await failure(savePipeline(store, { name: 'Bad', document: bad }));
    expect(isFerryError(error, 'PIPELINE_INVALID')).toBe(true);
    expect(error.message).toContain('steps[0].http.url: expected an absolute http or https URL');
    expect(error.message).toContain('steps[0].http.timeout: expected a number of milliseconds');
    const syntax = await failure(savePipeline(store, { name: 'Bad', text: '{ "version": 1, ' }));
    expect(isFerryError(syntax, 'CONFIG_SYNTAX')).toBe(true);
    const secretKey = { ...document(), steps: [{ http: { method: 'POST', url: 'https://api.test/v1' }, resultProcessing: { storage: { type: 'local', key: '{{credentials.apiToken}}' } } }] };
    expect((await failure(savePipeline(store, { name: 'Bad', document: secretKey }))).message).toContain('steps[0].resultProcessing.storage.key: expected a storage key built from the result\'s fields');
    expect(await listPipelines(store)).toEqual([]);
  });

  it('refuses a malformed request: no name, both or neither of document and text, an id that is not the document\'s', async () => {
    const { store } = await setup();
    const cases: [unknown, string][] = [
      [{ document: document() }, 'PIPELINE_SAVE_INVALID'],
      [{ name: ' ', document: document() }, 'PIPELINE_SAVE_INVALID'],
      [{ name: 'x' }, 'PIPELINE_SAVE_INVALID'],
      [{ name: 'x', document: document(), text: TEXT }, 'PIPELINE_SAVE_INVALID'],
      [{ name: 'x', text: 42 }, 'PIPELINE_SAVE_INVALID'],
      [{ id: 'other', name: 'x', document: document() }, 'PIPELINE_ID_MISMATCH'],
    ];
    for (const [input, code] of cases) {
      const error = await failure(savePipeline(store, input as never));
      expect(isFerryError(error, code), JSON.stringify(input)).toBe(true);
    }
    expect((await failure(savePipeline(store, { name: 'x', document: document(), text: TEXT }))).message).toContain('exactly one of "document"');
    expect((await failure(savePipeline(store, { id: 'other', name: 'x', document: document() }))).message).toContain('does not match the document\'s id "orders"');
    expect(isFerryError(await failure(getPipeline(store, '')), 'PIPELINE_ID_INVALID')).toBe(true);
    expect(await listPipelines(store)).toEqual([]);
  });
});

describe('pipelineToStart', () => {
  it('takes exactly one of pipeline and pipelineId', async () => {
    const { store } = await setup();
    await savePipeline(store, { name: 'Orders', document: document() });
    expect(await pipelineToStart(store, { pipelineId: 'orders' })).toEqual(document());
    expect(await pipelineToStart(store, { pipeline: TEXT })).toBe(TEXT);
    const both = await failure(pipelineToStart(store, { pipeline: document(), pipelineId: 'orders' }));
    expect(isFerryError(both, 'RUN_START_INVALID')).toBe(true);
    expect(both.message).toBe('A run needs exactly one of "pipeline" (a pipeline document or configuration text) and "pipelineId" (the id of a saved pipeline); it got both.');
    expect((await failure(pipelineToStart(store, {}))).message).toContain('it got neither');
    const missing = await failure(pipelineToStart(store, { pipelineId: 'nope' }));
    expect(isFerryError(missing, 'PIPELINE_NOT_FOUND')).toBe(true);
    expect(missing.message).toContain('no saved pipeline with id "nope"');
  });
});
