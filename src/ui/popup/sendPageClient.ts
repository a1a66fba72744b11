import type { StartFromTabResponse } from '../../messaging/contract';
import { sendToBackground } from '../../messaging/send';
import type { RunSummary } from '../../runs/run-service';
import type { PipelineSummary } from '../../runs/saved-pipelines';
import type { DeadLetterRow, RejectRow } from '../../storage/rows';

/** What "Send this page" needs from the background; a prop, so tests can pass a fake. */
export interface SendPageClient {
  listPipelines(): Promise<PipelineSummary[]>;
  /** The address of the tab the popup was opened on (readable thanks to the click's activeTab grant). */
  tabUrl(): Promise<string | undefined>;
  /** Extracts from the popup's tab (no tabId: the active tab, which the popup was opened on). */
  startFromTab(pipelineId: string): Promise<StartFromTabResponse>;
  getRun(runId: string): Promise<RunSummary | null>;
  rejects(runId: string, limit: number): Promise<RejectRow[]>;
  deadLetters(runId: string): Promise<DeadLetterRow[]>;
}

export const backgroundSendClient: SendPageClient = {
  listPipelines: () => sendToBackground('pipelines.list', undefined),
  tabUrl: async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.url,
  startFromTab: (pipelineId) => sendToBackground('runs.startFromTab', { pipelineId }),
  getRun: (runId) => sendToBackground('runs.get', { runId }),
  rejects: (runId, limit) => sendToBackground('runs.rejects', { runId, limit }),
  deadLetters: (runId) => sendToBackground('runs.deadLetters', { runId }),
};
