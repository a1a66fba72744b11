/**
 * What a click on "Extract and send with Ferry → <pipeline>" does: take the records the click was
 * about (the page through the pipeline's source, the selection, the link, the image), then either
 * hold them for the preview window, where the user sees the mapped payload and the rejects and
 * confirms, or (when the user chose "don't ask again" for this pipeline) start the run at once.
 *
 * The click grants `activeTab` for its tab, which is what lets the page and selection be read. A
 * link or an image needs no page access: the browser hands over their addresses. Tests call this
 * function directly (the worker exposes it as `ferry.contextSend.click`), since automation cannot
 * click a native context menu.
 */
import { FerryError } from '../../errors/ferry-error';
import { DEFAULT_EXTRACTION_TIMEOUT_MS, extractFromTab, extractorFromSource, parseExtractorConfig, type ExtractionApis } from '../../extraction';
import { parsePipeline } from '../../pipeline';
import type { RunSource } from '../../runs/types';
import type { RunEngine } from '../run-engine';
import { pipelineOfMenuItem } from './menus';
import type { PendingSends } from './pending-sends';

export interface MenuClick {
  menuItemId: string | number;
  pageUrl?: string;
  selectionText?: string;
  linkUrl?: string;
  srcUrl?: string;
  mediaType?: string;
}

export interface ClickedTab {
  id?: number;
  url?: string;
  title?: string;
}

export interface ContextSendDeps {
  engine: Pick<RunEngine, 'service' | 'pipelines' | 'kick'>;
  apis: ExtractionApis;
  pending: PendingSends;
  /** Opens the preview window for a pending send. */
  openPreview(id: string): Promise<void>;
  /** Follows a started run and says how it went (run-notifier.ts). */
  watchRun(runId: string, pipelineName: string): void;
  now?: () => number;
  newId?: () => string;
}

export type ClickOutcome = { previewId: string } | { runId: string } | { ignored: true };

export async function handleMenuClick(deps: ContextSendDeps, click: MenuClick, tab: ClickedTab | undefined): Promise<ClickOutcome> {
  const pipelineId = pipelineOfMenuItem(click.menuItemId);
  if (pipelineId === undefined) return { ignored: true };
  const row = await (await deps.engine.pipelines()).get(pipelineId);
  if (!row) throw new FerryError('PIPELINE_NOT_FOUND', `The pipeline "${pipelineId}" was deleted; its menu entry will be gone after the next change.`, { pipelineId });
  const pipeline = parsePipeline(row.document);
  const taken = await recordsOf(deps, click, tab, pipeline.source);
  if (taken.records.length === 0) throw new FerryError('EXTRACTION_EMPTY', `Nothing to send: ${taken.context === 'page' ? 'the page has no records for this pipeline' : `the ${taken.context} was empty`}.`);
  if (await deps.pending.skipsPreview(pipelineId)) {
    const runId = await (await deps.engine.service()).start({ pipelineId, records: taken.records, source: taken.source });
    deps.engine.kick();
    deps.watchRun(runId, row.name);
    return { runId };
  }
  const id = deps.newId?.() ?? crypto.randomUUID();
  await deps.pending.put({ id, pipelineId, records: taken.records, source: taken.source, context: taken.context, warnings: taken.warnings, createdAt: (deps.now ?? Date.now)() });
  await deps.openPreview(id);
  return { previewId: id };
}

interface Taken {
  context: 'page' | 'selection' | 'link' | 'image';
  records: unknown[];
  source: RunSource;
  warnings: string[];
}

async function recordsOf(deps: ContextSendDeps, click: MenuClick, tab: ClickedTab | undefined, pipelineSource: Parameters<typeof extractorFromSource>[0]): Promise<Taken> {
  const page = click.pageUrl ?? tab?.url;
  const source: RunSource = { ...(page ? { url: page } : {}), ...(tab?.title ? { title: tab.title } : {}) };
  const from = page ? { page } : {};
  if (click.linkUrl) return { context: 'link', records: [{ url: click.linkUrl, ...(click.selectionText ? { text: click.selectionText } : {}), ...from }], source, warnings: [] };
  if (click.srcUrl && (click.mediaType === 'image' || click.mediaType === undefined)) return { context: 'image', records: [{ src: click.srcUrl, ...from }], source, warnings: [] };
  const spec = click.selectionText ? parseExtractorConfig({ mode: 'selection' }) : (extractorFromSource(pipelineSource) ?? parseExtractorConfig(undefined));
  const extraction = await extractFromTab(deps.apis, { ...(tab?.id !== undefined ? { tabId: tab.id } : {}), spec, signal: AbortSignal.timeout(DEFAULT_EXTRACTION_TIMEOUT_MS) });
  return { context: click.selectionText ? 'selection' : 'page', records: extraction.records, source: extraction.source, warnings: extraction.warnings };
}
