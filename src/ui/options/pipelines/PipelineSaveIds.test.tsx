// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { serializeError } from '../../../messaging/router';
import { RpcError } from '../../../protocol/errors';
import { listPipelines, savePipeline } from '../../../runs/saved-pipelines';
import { createRepositories } from '../../../storage/repositories';
import { testDb } from '../../../storage/test-db.test-support';
import type { PickerClient } from './pickerClient';
import { PipelineEditor, type PipelineEditorProps } from './PipelineEditor';
import type { PipelinesClient } from './pipelinesClient';
import { STARTERS } from './starters';

z.config({ jitless: true });
afterEach(cleanup);

/** The editor against the background's real save over a real (fake-indexeddb) store; errors cross as they do over messaging. */
async function setup() {
  const store = createRepositories(await testDb()).pipelines;
  const save = vi.fn(async (input: Parameters<PipelinesClient['save']>[0]) => {
    try {
      return await savePipeline(store, input);
    } catch (error) {
      const wire = serializeError(error);
      throw new RpcError(wire.code, wire.message, wire.data);
    }
  });
  const client: PipelinesClient = {
    list: () => listPipelines(store), get: async (id) => (await store.get(id)) ?? null, save, remove: (id) => store.delete(id),
    sendFromTab: async () => ({ runId: 'r' }), env: async () => ({}), allowedOrigins: async () => [], requestOrigins: async () => true,
  };
  return { store, client, save };
}

const noPicker: PickerClient = {
  tabs: async () => [], openForPicking: async () => Promise.reject(new Error('no')), start: async () => Promise.reject(new Error('no')),
  result: async () => null, cancel: async () => undefined, preview: async () => Promise.reject(new Error('no')), focus: async () => undefined,
};

function open(client: PipelinesClient, text: string, props: Partial<PipelineEditorProps>) {
  const onSaved = vi.fn();
  render(<PipelineEditor client={client} picker={noPicker} initialText={text} title="T" onSaved={onSaved} onCancel={vi.fn()} {...props} />);
  return onSaved;
}

const REST = STARTERS.find((s) => s.id === 'rest')!;
const ids = async (store: Awaited<ReturnType<typeof setup>>['store']) => (await store.list()).map((p) => `${p.id}: ${p.name}`).sort();

describe('pipeline ids when saving from the options page', () => {
  it('two pipelines from the same starter are both kept, under ids from their names', async () => {
    const { store, client } = await setup();
    const first = open(client, REST.text, { mode: { kind: 'new' } });
    fireEvent.click(screen.getByTestId('pipeline-save'));
    await waitFor(() => expect(first).toHaveBeenCalledWith('page-rest-api'));
    cleanup();
    const second = open(client, REST.text, { mode: { kind: 'new' } });
    fireEvent.click(screen.getByTestId('pipeline-save'));
    await waitFor(() => expect(second).toHaveBeenCalledWith('page-rest-api-2'));
    expect(await ids(store)).toEqual(['page-rest-api-2: Page → REST API', 'page-rest-api: Page → REST API']);
    expect((await store.get('page-rest-api-2'))!.text).toContain('// Pages this pipeline is offered on');
  });

  it('a new pipeline keeps an id the user typed, and asks before replacing a pipeline that has it', async () => {
    const { store, client } = await setup();
    await savePipeline(store, { name: 'Leads', text: REST.text.replace('"page-to-api"', '"leads"').replace('"Page → REST API"', '"Leads"') });
    const onSaved = open(client, REST.text, { mode: { kind: 'new' } });
    fireEvent.change(screen.getByTestId('pf-id'), { target: { value: 'catalog-to-api' } });
    fireEvent.click(screen.getByTestId('pipeline-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('catalog-to-api'));
    cleanup();
    const again = open(client, REST.text, { mode: { kind: 'new' } });
    fireEvent.change(screen.getByTestId('pf-id'), { target: { value: 'leads' } });
    fireEvent.click(screen.getByTestId('pipeline-save'));
    expect((await screen.findByRole('alertdialog')).textContent).toContain('Replace “Leads”, or keep both (saved as page-rest-api)?');
    expect(again).not.toHaveBeenCalled();
    expect(await ids(store)).toEqual(['catalog-to-api: Page → REST API', 'leads: Leads']);
  });

  it('an edit keeps its id and saves over itself without asking', async () => {
    const { store, client } = await setup();
    const saved = await savePipeline(store, { name: 'Page → REST API', text: REST.text, newId: true });
    const onSaved = open(client, saved.text!.replace('"name": "Page → REST API"', '"name": "Leads"'), { mode: { kind: 'edit', savedId: saved.id } });
    expect((screen.getByTestId('pf-id') as HTMLInputElement).readOnly).toBe(true);
    fireEvent.click(screen.getByTestId('pipeline-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('page-rest-api'));
    expect(await ids(store)).toEqual(['page-rest-api: Leads']);
  });

  it('an import whose id is taken asks "Replace <name>, or keep both"; keep both saves it under a new id', async () => {
    const { store, client, save } = await setup();
    await savePipeline(store, { name: 'Orders to CRM', text: REST.text.replace('"Page → REST API"', '"Orders to CRM"') });
    const onSaved = open(client, REST.text, { mode: { kind: 'import' }, confirmReach: true });
    fireEvent.click(screen.getByTestId('confirm-reach'));
    fireEvent.click(screen.getByTestId('pipeline-save'));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('Replace “Orders to CRM”, or keep both (saved as page-rest-api)?');
    expect(screen.queryByTestId('pipeline-save-error')).toBeNull();
    expect(onSaved).not.toHaveBeenCalled();
    expect(await ids(store)).toEqual(['page-to-api: Orders to CRM']);
    expect(document.activeElement).toBe(screen.getByTestId('pipeline-conflict-keep'));
    fireEvent.click(screen.getByTestId('pipeline-conflict-keep'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('page-rest-api'));
    expect(save.mock.calls.map(([input]) => input.replace ?? false)).toEqual([false, false]);
    expect(await ids(store)).toEqual(['page-rest-api: Page → REST API', 'page-to-api: Orders to CRM']);
  });

  it('replace is sent only after the user chose "Replace <name>" in the dialog', async () => {
    const { store, client, save } = await setup();
    await savePipeline(store, { name: 'Orders to CRM', text: REST.text.replace('"Page → REST API"', '"Orders to CRM"') });
    const onSaved = open(client, REST.text, {});
    fireEvent.click(screen.getByTestId('pipeline-save'));
    fireEvent.click(await screen.findByTestId('pipeline-conflict-replace'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('page-to-api'));
    expect(save.mock.calls.map(([input]) => input.replace === true)).toEqual([false, true]);
    expect(await ids(store)).toEqual(['page-to-api: Page → REST API']);
  });

  it('Cancel in the dialog saves nothing', async () => {
    const { store, client } = await setup();
    await savePipeline(store, { name: 'Orders to CRM', text: REST.text.replace('"Page → REST API"', '"Orders to CRM"') });
    open(client, REST.text, {});
    fireEvent.click(screen.getByTestId('pipeline-save'));
    const dialog = await screen.findByRole('alertdialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(await ids(store)).toEqual(['page-to-api: Orders to CRM']);
  });
});
