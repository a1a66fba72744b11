/**
 * The background's side of extraction: find the tab, refuse tabs no extension may read, inject the
 * self-contained extractor into the tab's top frame (isolated world: the page's scripts cannot
 * reach it), re-check what comes back, and turn it into records or an error that says what to do.
 */
import { FerryError, isFerryError } from '../errors/ferry-error';
import { extractInPage } from './extract-in-page';
import { settleExtraction, type ExtractedRecords } from './outcome';
import { readPageResult } from './page-result';
import { describeInjectionFailure, refuseUnscriptable, resolveTab, type TabsApi } from './tab-access';
import type { PageExtraction, PageExtractorSpec } from './types';

/** A page busy in a long script never answers; a run must not wait on it forever. */
export const DEFAULT_EXTRACTION_TIMEOUT_MS = 30_000;

export interface ExtractionApis {
  tabs: TabsApi;
  scripting: Pick<typeof chrome.scripting, 'executeScript'>;
}

export interface ExtractFromTabOptions {
  /** Default: the active tab of the last focused window. */
  tabId?: number;
  spec: PageExtractorSpec;
  /** Aborting stops waiting for the page (the script itself cannot be interrupted). */
  signal?: AbortSignal;
}

export type TabExtraction = ExtractedRecords & { tabId: number };

export async function extractFromTab(apis: ExtractionApis, options: ExtractFromTabOptions): Promise<TabExtraction> {
  const { result, tabId } = await runExtractorInTab(apis, options);
  return { ...settleExtraction(options.spec, result), tabId };
}

/** Injects the extractor and returns its re-checked answer, records or a failure as data (previews settle it their way). */
export async function runExtractorInTab(apis: ExtractionApis, options: ExtractFromTabOptions): Promise<{ result: PageExtraction; tabId: number }> {
  const { spec, signal } = options;
  signal?.throwIfAborted();
  const tab = await resolveTab(apis.tabs, options.tabId);
  const refusal = refuseUnscriptable(tab.url);
  if (refusal) throw refusal;
  let injections: unknown;
  try {
    injections = await untilAborted(apis.scripting.executeScript({ target: { tabId: tab.id }, func: extractInPage, args: [spec] }), signal);
  } catch (error) {
    throw isFerryError(error) ? error : describeInjectionFailure(error, tab.url);
  }
  // One injection result per frame; only the top frame was targeted.
  const first = Array.isArray(injections) ? (injections[0] as { result?: unknown } | undefined) : undefined;
  return { result: readPageResult(first?.result, spec.limits), tabId: tab.id };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
      reject(
        timedOut
          ? new FerryError('EXTRACTION_TIMEOUT', 'The page did not answer the extractor in time (it may be busy). Wait until it has loaded, then try again.')
          : new FerryError('EXTRACTION_ABORTED', 'The extraction was cancelled.'),
      );
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
