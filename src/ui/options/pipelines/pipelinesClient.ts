/** What the Pipelines section needs from the background and the browser; a prop, so tests pass a fake. */
import { sendToBackground } from '../../../messaging/send';
import type { PipelineSummary } from '../../../runs/saved-pipelines';
import type { IntegrationRow, PipelineRow } from '../../../storage/rows';

export interface PipelinesClient {
  list(): Promise<PipelineSummary[]>;
  get(id: string): Promise<PipelineRow | null>;
  /**
   * Validated again by the background, which answers with the same JSON-path messages. A save whose
   * id is taken is refused (PIPELINE_EXISTS) unless it is an edit (`editing`), takes a new id from
   * the name (`newId`), or the user confirmed replacing (`replace`).
   */
  save(input: { name: string; text: string; newId?: boolean; editing?: string; replace?: boolean }): Promise<PipelineRow>;
  remove(id: string): Promise<boolean>;
  /** Extracts from the tab with the saved pipeline and starts a run, as the popup's Send does. */
  sendFromTab(pipelineId: string, tabId: number): Promise<{ runId: string }>;
  /** The user's environment variables, to show which hosts `{{env.X}}` URLs really reach. */
  env(): Promise<Record<string, string>>;
  /** Which of `origins` Ferry may already reach without CORS. */
  allowedOrigins(origins: string[]): Promise<string[]>;
  /**
   * Asks the browser for host access to `origins` (optional_host_permissions). Must be called in the
   * click that asks for it: the browser refuses a request made after an await.
   */
  requestOrigins(origins: string[]): Promise<boolean>;
  /** Saved integrations, to fill the delivery step from one (a copy). */
  integrations?(): Promise<IntegrationRow[]>;
}

export const backgroundPipelinesClient: PipelinesClient = {
  list: () => sendToBackground('pipelines.list', undefined),
  get: (id) => sendToBackground('pipelines.get', { id }),
  save: (input) => sendToBackground('pipelines.save', input),
  remove: async (id) => (await sendToBackground('pipelines.delete', { id })).deleted,
  sendFromTab: (pipelineId, tabId) => sendToBackground('runs.startFromTab', { pipelineId, tabId }),
  env: async () => Object.fromEntries((await sendToBackground('env.list', undefined)).map((row) => [row.name, row.value])),
  allowedOrigins: async (origins) => {
    const allowed: string[] = [];
    for (const origin of origins) if (await chrome.permissions.contains({ origins: [origin] })) allowed.push(origin);
    return allowed;
  },
  requestOrigins: (origins) => chrome.permissions.request({ origins }),
  integrations: () => sendToBackground('integrations.list', undefined),
};
