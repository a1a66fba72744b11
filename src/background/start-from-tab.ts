/**
 * `runs.startFromTab`: extract records from a tab and start a run over them exactly as `runs.start`
 * does. Everything that can be checked without the page is checked first (the request, the
 * pipeline, the extractor), so a bad configuration never touches the tab.
 */
import { FerryError } from '../errors/ferry-error';
import { DEFAULT_EXTRACTION_TIMEOUT_MS, extractFromTab, extractorFromSource, parseExtractorConfig, type ExtractionApis } from '../extraction';
import type { StartFromTabRequest, StartFromTabResponse } from '../messaging/contract';
import { parsePipeline } from '../pipeline';
import type { RunEngine } from './run-engine';

export interface StartFromTabDeps {
  engine: Pick<RunEngine, 'service' | 'pipelines' | 'kick'>;
  apis: ExtractionApis;
  /** How long the page may take to answer. Default 30 s. */
  timeoutMs?: number;
}

export async function startFromTab(deps: StartFromTabDeps, request: StartFromTabRequest, signal?: AbortSignal): Promise<StartFromTabResponse> {
  const { tabId, pipelineId } = readRequest(request);
  const pipeline = pipelineId !== undefined ? await savedPipeline(deps.engine, pipelineId) : request.pipeline;
  const { source } = parsePipeline(pipeline); // PIPELINE_INVALID before the tab is touched
  const spec = request.extractor !== undefined ? parseExtractorConfig(request.extractor) : (extractorFromSource(source) ?? parseExtractorConfig(undefined));
  const deadline = AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_EXTRACTION_TIMEOUT_MS);
  const extraction = await extractFromTab(deps.apis, { ...(tabId !== undefined ? { tabId } : {}), spec, signal: signal ? AbortSignal.any([signal, deadline]) : deadline });
  // The same start as runs.start: the run keeps the pipeline as given, and the page as its source; a
  // saved pipeline is started by its id, so the run keeps the name the user knows it by.
  const target = pipelineId !== undefined ? { pipelineId } : { pipeline };
  const runId = await (await deps.engine.service()).start({ ...target, records: extraction.records, source: extraction.source });
  deps.engine.kick();
  return { runId, extracted: extraction.records.length, warnings: extraction.warnings };
}

function readRequest(request: StartFromTabRequest): { tabId?: number; pipelineId?: string } {
  if (typeof request !== 'object' || request === null) throw new FerryError('INVALID_REQUEST', 'runs.startFromTab needs { pipelineId } or { pipeline }, and optionally tabId and extractor.');
  const { tabId, pipelineId, pipeline } = request;
  if (tabId !== undefined && !(Number.isSafeInteger(tabId) && tabId >= 0)) {
    throw new FerryError('INVALID_REQUEST', 'tabId: expected a tab id (a whole number), or leave it out for the active tab.', { field: 'tabId' });
  }
  if ((pipelineId === undefined) === (pipeline === undefined)) {
    throw new FerryError('INVALID_REQUEST', 'Give exactly one of pipelineId (a saved pipeline) and pipeline (a pipeline document or configuration text).', { field: 'pipelineId' });
  }
  if (pipelineId !== undefined && (typeof pipelineId !== 'string' || pipelineId === '')) {
    throw new FerryError('INVALID_REQUEST', 'pipelineId: expected the id of a saved pipeline.', { field: 'pipelineId' });
  }
  return { ...(tabId !== undefined ? { tabId } : {}), ...(pipelineId !== undefined ? { pipelineId } : {}) };
}

async function savedPipeline(engine: StartFromTabDeps['engine'], id: string): Promise<unknown> {
  const row = await (await engine.pipelines()).get(id);
  if (!row) throw new FerryError('PIPELINE_NOT_FOUND', `No saved pipeline has the id "${id}". Save it first, or pass the pipeline itself.`, { pipelineId: id });
  return row.document;
}
