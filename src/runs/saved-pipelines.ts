/**
 * Saved pipelines, as the background's `pipelines.*` messages and `runs.start { pipelineId }` use
 * them. A document is validated with parsePipeline before it is saved, so a saved pipeline always
 * loads (until a later Ferry changes the format, and then its migrations run on load); it is stored
 * as written, with the text it was pasted as, so the user gets their comments back.
 */
import { FerryError } from '../errors/ferry-error';
import { parseConfigText, parsePipeline } from '../pipeline';
import type { PipelineRow } from '../storage/rows';
import type { Pipelines } from '../storage/pipelines';
import { pipelineIdFromName, uniquePipelineId } from './pipeline-id';
import { withPipelineId } from './pipeline-text-id';
import type { StartRunInput } from './types';

/** Either `document` (a JSON value) or `text` (configuration text as pasted), not both. */
export interface SavePipelineInput {
  /** Defaults to the document's own `id`; when given it must equal it. */
  id?: string;
  name: string;
  document?: unknown;
  text?: string;
  /**
   * A new pipeline (from a starter or the form): its id is derived from `name` and made unique
   * against the saved pipelines ("orders", "orders-2", …), and written into the document.
   */
  newId?: boolean;
  /** The id of the saved pipeline being edited: an edit keeps its id, so the document must too. */
  editing?: string;
  /**
   * Replace the saved pipeline that has the document's id. The options page sends it only after the
   * user confirmed, in a dialog naming that pipeline; without it such a save is refused.
   */
  replace?: boolean;
}

/** What a list shows: no documents. */
export interface PipelineSummary {
  id: string;
  name: string;
  updatedAt: number;
  /** The pages it is offered on (its `match` patterns); absent: every page. */
  match?: string[];
}

type Store = Pick<Pipelines, 'save' | 'create' | 'ids' | 'get' | 'list' | 'delete'>;

/**
 * Validates and saves. A save never replaces another pipeline unasked: an edit (`editing`) writes
 * over its own row, a `newId` save takes a free id, `replace: true` replaces on purpose, and any other
 * save whose id is taken is refused with PIPELINE_EXISTS (details: id, name of the saved one, and
 * freeId, the id "keep both" would save under). Also throws CONFIG_SYNTAX or PIPELINE_INVALID with the
 * parser's JSON-path messages, PIPELINE_SAVE_INVALID for a malformed request, PIPELINE_ID_MISMATCH
 * when `id` is not the document's id (runs record the document's id, so the two must agree for a
 * pipeline's runs to be found under it) and PIPELINE_ID_CHANGED when an edit changed the id.
 */
export async function savePipeline(store: Store, input: SavePipelineInput): Promise<PipelineRow> {
  const request = (input ?? {}) as Partial<SavePipelineInput>;
  if (typeof request.name !== 'string' || request.name.trim() === '') {
    throw invalid('needs a "name": the name the pipeline is listed under.');
  }
  const hasDocument = request.document !== undefined;
  const hasText = request.text !== undefined;
  if (hasDocument === hasText) {
    throw invalid(`needs exactly one of "document" (the pipeline as a JSON value) and "text" (configuration text as pasted); it got ${hasDocument ? 'both' : 'neither'}.`);
  }
  if (hasText && typeof request.text !== 'string') throw invalid('"text" must be text.');
  const flags = [request.newId === true && 'newId', request.editing !== undefined && 'editing', request.replace === true && 'replace'].filter(Boolean);
  if (flags.length > 1) throw invalid(`takes at most one of "newId", "editing" and "replace"; it got ${flags.join(' and ')}.`);
  const name = request.name.trim();
  let text = hasText ? (request.text as string) : undefined;
  let document = text !== undefined ? parseConfigText(text) : request.document;
  let pipeline = parsePipeline(document);
  if (request.newId === true) {
    const id = uniquePipelineId(pipelineIdFromName(name), await store.ids());
    if (text !== undefined) text = withPipelineId(text, id);
    document = text !== undefined ? parseConfigText(text) : { ...(document as Record<string, unknown>), id };
    pipeline = parsePipeline(document);
  }
  if (request.id !== undefined && request.id !== pipeline.id) {
    throw new FerryError('PIPELINE_ID_MISMATCH', `The id "${String(request.id)}" does not match the document's id "${pipeline.id}". Change the document's "id", or leave out "id" to save it under "${pipeline.id}".`, { id: String(request.id), documentId: pipeline.id });
  }
  const row = { id: pipeline.id, name, document, ...(text !== undefined ? { text } : {}) };
  if (request.editing !== undefined) {
    if (request.editing !== pipeline.id) {
      throw new FerryError('PIPELINE_ID_CHANGED', `A saved pipeline keeps its id when it is edited (its runs are listed under it): set "id" back to "${String(request.editing)}", or import the document as a new pipeline to save it under "${pipeline.id}".`, { id: String(request.editing), documentId: pipeline.id });
    }
    return store.save(row);
  }
  if (request.replace === true) return store.save(row);
  const created = await store.create(row);
  if (created) return created;
  const existing = await store.get(pipeline.id);
  const freeId = uniquePipelineId(pipelineIdFromName(name), await store.ids());
  const existingName = existing?.name ?? pipeline.id;
  throw new FerryError(
    'PIPELINE_EXISTS',
    `Not saved: the pipeline "${existingName}" is already saved under the id "${pipeline.id}". To keep both, save this one under a new id ("newId": true saves it as "${freeId}"); to replace "${existingName}", save again with "replace": true.`,
    { id: pipeline.id, name: existingName, freeId },
  );
}

/** By name. */
export async function listPipelines(store: Store): Promise<PipelineSummary[]> {
  return (await store.list()).map(({ id, name, updatedAt, document }) => {
    const match = (document as { match?: unknown } | null)?.match;
    return { id, name, updatedAt, ...(Array.isArray(match) && match.every((m) => typeof m === 'string') ? { match } : {}) };
  });
}

export async function getPipeline(store: Store, id: string): Promise<PipelineRow | null> {
  return (await store.get(requireId(id))) ?? null;
}

/** Runs already started keep their own copy of the pipeline, so deleting never disturbs them. */
export async function deletePipeline(store: Store, id: string): Promise<{ deleted: boolean }> {
  return { deleted: await store.delete(requireId(id)) };
}

/**
 * What `runs.start` runs: the pipeline it was given, or the saved one `pipelineId` names (exactly
 * one of them). Throws RUN_START_INVALID or PIPELINE_NOT_FOUND.
 */
export async function pipelineToStart(store: Pick<Pipelines, 'get'>, input: Pick<StartRunInput, 'pipeline' | 'pipelineId'>): Promise<unknown> {
  const hasPipeline = input.pipeline !== undefined && input.pipeline !== null;
  const hasId = input.pipelineId !== undefined && input.pipelineId !== null;
  if (hasPipeline === hasId) {
    throw new FerryError(
      'RUN_START_INVALID',
      `A run needs exactly one of "pipeline" (a pipeline document or configuration text) and "pipelineId" (the id of a saved pipeline); it got ${hasPipeline ? 'both' : 'neither'}.`,
      { given: hasPipeline ? ['pipeline', 'pipelineId'] : [] },
    );
  }
  if (!hasId) return input.pipeline;
  const row = await store.get(requireId(input.pipelineId));
  if (!row) {
    throw new FerryError('PIPELINE_NOT_FOUND', `There is no saved pipeline with id "${String(input.pipelineId)}"; save it first (pipelines.save) or check the id (pipelines.list).`, { pipelineId: String(input.pipelineId) });
  }
  return row.document;
}

function requireId(id: unknown): string {
  if (typeof id !== 'string' || id === '') throw new FerryError('PIPELINE_ID_INVALID', 'A saved pipeline is named by its id: non-empty text such as "orders-to-crm".', { id: String(id) });
  return id;
}

function invalid(what: string): FerryError {
  return new FerryError('PIPELINE_SAVE_INVALID', `A saved pipeline ${what}`);
}
