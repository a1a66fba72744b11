/**
 * `extraction.preview`: what a rule yields on a tab, for the rule editor and the picker's caller —
 * how many records, the first few, and the warnings — without starting a run. The extraction is the
 * real one (same injected function, same re-check of the page's answer); a preview never refuses for
 * size (it truncates at the limits and says so), and an empty result is an answer, not an error.
 */
import { FerryError } from '../errors/ferry-error';
import { parseExtractorConfig } from './config';
import { DEFAULT_EXTRACTION_TIMEOUT_MS, runExtractorInTab, type ExtractionApis } from './extract-from-tab';
import { settleExtraction } from './outcome';
import type { ExtractionMode, JsonRecord } from './types';

export const DEFAULT_PREVIEW_RECORDS = 10;
export const MAX_PREVIEW_RECORDS = 100;

export interface PreviewRequest {
  /** Default: the active tab of the last focused window. */
  tabId?: number;
  /** An extractor config, as `runs.startFromTab` takes it (absent: automatic mode). */
  extractor?: unknown;
  /** How many records to return (default 10, at most 100); `count` is always the full number. */
  limit?: number;
}

export interface PreviewResponse {
  tabId: number;
  mode: ExtractionMode;
  /** Records the rule yields on the page (up to the extractor's limits). */
  count: number;
  /** Selector mode: elements the item selector matched; table mode: body rows. */
  matched?: number;
  records: JsonRecord[];
  source: { url: string; title: string };
  warnings: string[];
}

export async function previewFromTab(apis: ExtractionApis, request: PreviewRequest, timeoutMs = DEFAULT_EXTRACTION_TIMEOUT_MS): Promise<PreviewResponse> {
  if (typeof request !== 'object' || request === null) throw new FerryError('INVALID_REQUEST', 'extraction.preview needs { tabId?, extractor, limit? }.');
  const { tabId, limit = DEFAULT_PREVIEW_RECORDS } = request;
  if (tabId !== undefined && !(Number.isSafeInteger(tabId) && tabId >= 0)) throw new FerryError('INVALID_REQUEST', 'tabId: expected a tab id (a whole number), or leave it out for the active tab.', { field: 'tabId' });
  if (!(Number.isSafeInteger(limit) && limit >= 1 && limit <= MAX_PREVIEW_RECORDS)) {
    throw new FerryError('INVALID_REQUEST', `limit: expected a whole number of records from 1 to ${MAX_PREVIEW_RECORDS}.`, { field: 'limit' });
  }
  const parsed = parseExtractorConfig(request.extractor); // EXTRACTOR_INVALID before the tab is touched
  const spec = { ...parsed, limits: { ...parsed.limits, truncate: true } };
  const { result, tabId: tab } = await runExtractorInTab(apis, { ...(tabId !== undefined ? { tabId } : {}), spec, signal: AbortSignal.timeout(timeoutMs) });
  const matched = result.ok && result.matched !== undefined ? { matched: result.matched } : {};
  if (result.ok && result.records.length === 0) {
    return { tabId: tab, mode: result.mode, count: 0, ...matched, records: [], source: result.source, warnings: result.warnings };
  }
  const settled = settleExtraction(spec, result); // typed errors: a bad selector or XPath names its field
  return { tabId: tab, mode: settled.mode, count: settled.records.length, ...matched, records: settled.records.slice(0, limit), source: settled.source, warnings: settled.warnings };
}
