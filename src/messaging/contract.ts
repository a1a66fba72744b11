/**
 * Messages between Ferry's own extension contexts (popup, options, later content scripts) and the
 * background, declared once. Each entry maps a message type to its request data and its response.
 * The background answers only senders that are part of this extension (see sender.ts).
 */
import type { OAuthConnectionStatus, OAuthConnectResult } from '../auth/oauth-connections';
import type { ApiKeySummary, SaveApiKeyInput } from '../auth/api-keys';
import type { AuditExport, AuditExportFilter } from '../storage/audit-export';
import type { AuditSettings } from '../storage/audit-settings';
import type { ExtractorConfig } from '../extraction/config';
import type { PickerResult } from '../extraction/picker/picker-service';
import type { PreviewRequest, PreviewResponse } from '../extraction/preview';
import type { SendPreview } from '../background/context-send/preview-data';
import type { RpcErrorObject } from '../protocol/errors';
import type { RunSummary } from '../runs/run-service';
import type { PipelineSummary, SavePipelineInput } from '../runs/saved-pipelines';
import type { IntegrationHealth, IntegrationInput, IntegrationTestResult } from '../integrations/saved/types';
import type { JobSummaryPage } from '../storage/job-summaries';
import type { AuditRow, DeadLetterRow, EnvVarRow, IntegrationRow, PipelineRow, RejectRow, RunRow } from '../storage/rows';
import type { VaultStatus } from '../storage/vault-lock';

export type HostState =
  /** No port yet: nothing has needed the host. */
  | 'idle'
  | 'connecting'
  | 'connected'
  | 'disconnected'
  /** The browser could not find the host manifest: run `npm run host:install`. */
  | 'not-installed';

export interface HostStatus {
  state: HostState;
  hostVersion?: string;
  protocolVersion?: number;
  nodeVersion?: string;
  dataDir?: string;
  capabilities?: string[];
  /** Round trip of the most recent `system.ping`, in milliseconds. */
  lastRoundTripMs?: number;
  /** The most recent failure, in plain words, with the next step to take. */
  lastError?: { code: number; codeName: string; message: string; hint?: string };
  /** ISO time of the last status check. */
  checkedAt: string;
}

/** A failure as it crosses a message boundary (errors lose their class when cloned). */
export interface SerializedError extends RpcErrorObject {
  codeName: string;
}

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: SerializedError };

export interface MessageMap {
  /** Pings the host (connecting if needed) and reports its status. */
  'host.status': { request: void; response: HostStatus };
  /** Drops the current port and connects afresh, then reports status. */
  'host.reconnect': { request: void; response: HostStatus };
  /**
   * Starts a pipeline run over supplied records; returns at once, delivery goes on in the background.
   * Exactly one of `pipeline` (a document or configuration text) and `pipelineId` (a saved pipeline).
   */
  'runs.start': {
    request: { pipeline?: unknown; pipelineId?: string; records: unknown[]; source?: { url?: string; title?: string }; runId?: string };
    response: { runId: string };
  };
  /**
   * Extracts records from a tab (default: the active tab of the last focused window) and starts a
   * run over them exactly as `runs.start` does. For Ferry's pages only: Ferry may read the tab only
   * while the user has invoked it there (activeTab) or granted the site.
   */
  'runs.startFromTab': { request: StartFromTabRequest; response: StartFromTabResponse };
  'runs.get': { request: { runId: string }; response: RunSummary | null };
  'runs.list': { request: { pipelineId?: string; limit?: number }; response: RunRow[] };
  'runs.rejects': { request: { runId: string; limit?: number }; response: RejectRow[] };
  'runs.audit': { request: { runId: string; limit?: number }; response: AuditRow[] };
  'runs.deadLetters': { request: { runId?: string; pipelineId?: string }; response: DeadLetterRow[] };
  /** Requeues dead letters (by id, or all of a run's) with their original Idempotency-Keys. */
  'runs.replay': { request: { ids: number[] } | { runId: string }; response: { replayed: number } };
  /** Drops dead letters (by id, or all of a run's) for good; the run's failed count stays. */
  'runs.discardDeadLetters': { request: { ids: number[] } | { runId: string }; response: { discarded: number } };
  /** Validates (parsePipeline) and saves a pipeline, under the document's own id; replaces one with that id. */
  'pipelines.save': { request: SavePipelineInput; response: PipelineRow };
  /** By name, without documents. */
  'pipelines.list': { request: void; response: PipelineSummary[] };
  'pipelines.get': { request: { id: string }; response: PipelineRow | null };
  'pipelines.delete': { request: { id: string }; response: { deleted: boolean } };
  /**
   * Environment variables for `{{env.NAME}}` (names like API_BASE). NOT secrets: values are listed
   * to pages and copied into the runs that read them; secrets go in `credentials.set`.
   */
  'env.set': { request: { name: string; value: string }; response: EnvVarRow };
  'env.list': { request: void; response: EnvVarRow[] };
  'env.delete': { request: { name: string }; response: { deleted: boolean } };
  /** Saves a secret in the encrypted vault; the value never comes back out through messages. */
  'credentials.set': { request: { name: string; value: string }; response: CredentialSummary };
  'credentials.list': { request: void; response: CredentialSummary[] };
  'credentials.delete': { request: { name: string }; response: { deleted: boolean } };
  /**
   * What an extractor yields on a tab (default: the active tab), without starting a run: the record
   * count, the first `limit` records (10, at most 100) and the warnings. For Ferry's pages only.
   */
  'extraction.preview': { request: PreviewRequest; response: PreviewResponse };
  /**
   * Starts the element picker in a tab (default: the active tab); the user picks in the page. Poll
   * `picker.result` with the session id for the rule. For Ferry's pages only.
   */
  'picker.start': { request: { tabId?: number }; response: { sessionId: string; tabId: number } };
  /** Where a picker session stands (`picking`, `picked` with the rule, `cancelled`); null once unknown or expired. */
  'picker.result': { request: { sessionId: string }; response: PickerResult | null };
  /** Removes the picker from its tab and ends the session. */
  'picker.cancel': { request: { sessionId: string }; response: { cancelled: boolean } };
  /**
   * From the picker in the page only (a content script of the session's tab, top frame): the rule the
   * user picked, with the count and first records it showed. Validated like any extractor config.
   */
  'picker.picked': { request: { sessionId: string; rule: unknown; matched?: number; preview?: unknown[] }; response: { accepted: true } };
  /** From the picker in the page only: the user pressed Esc. */
  'picker.cancelled': { request: { sessionId: string }; response: { accepted: true } };
  /**
   * Run history: a page of a run's jobs (batches) in order, each with its status, attempts, outcome
   * and a preview of its first record; never lease fields or credentials.
   */
  'runs.jobs': { request: { runId: string; offset?: number; limit?: number }; response: JobSummaryPage };
  /** The preview window of a right-click send: the mapped payload of the first records and the rejects. */
  'contextSend.preview': { request: { id: string }; response: SendPreview };
  /** Starts the previewed send; `dontAskAgain` skips the preview for this pipeline from now on. */
  'contextSend.confirm': { request: { id: string; dontAskAgain?: boolean }; response: { runId: string } };
  'contextSend.cancel': { request: { id: string }; response: { cancelled: boolean } };
  /** Turns the preview of right-click sends with this pipeline on (skip: false) or off. */
  'contextSend.skipPreview': { request: { pipelineId: string; skip: boolean }; response: { pipelineId: string; skip: boolean } };
  // --- Vault lock and OAuth connections (src/storage/vault-lock.ts, src/auth/) ---
  /** Locked, unlocked or no passphrase; auto-lock minutes; whether a run waits for an unlock. */
  'vault.status': { request: void; response: VaultStatus };
  /** Sets the first passphrase (re-encrypts once), or changes it with `current` (re-wraps only). */
  'vault.setPassphrase': { request: { passphrase: string; current?: string }; response: VaultStatus };
  /** Turns the lock off (the current passphrase proves it is the user). */
  'vault.removePassphrase': { request: { current: string }; response: VaultStatus };
  /** VAULT_PASSPHRASE_WRONG, or VAULT_UNLOCK_THROTTLED after repeated wrong ones. Waiting runs resume. */
  'vault.unlock': { request: { passphrase: string }; response: VaultStatus };
  'vault.lock': { request: void; response: VaultStatus };
  /** Lock after this many minutes without use (1 to 10080); 0 for never. */
  'vault.setAutoLock': { request: { minutes: number }; response: VaultStatus };
  /**
   * Signs in through the browser's identity window (Authorization Code + PKCE) and stores the tokens
   * as credentials `<name>.accessToken` / `<name>.refreshToken`. `oauthConfig`: the seed's block as
   * text or object; omitted, the connection's stored one (reconnect). Answers when the user is done.
   */
  'oauth.connect': { request: { name: string; oauthConfig?: unknown }; response: OAuthConnectResult };
  /** Every connection (or the one named): status, expiry, scopes; never a token. */
  'oauth.status': { request: { name?: string } | void; response: OAuthConnectionStatus[] };
  'oauth.refresh': { request: { name: string }; response: OAuthConnectionStatus };
  /** Revokes at the server when it has a revocationUrl, then deletes the tokens. */
  'oauth.disconnect': { request: { name: string }; response: { disconnected: boolean; revoked: 'revoked' | 'failed' | 'notConfigured' } };
  // --- end vault lock and OAuth ---
  // --- Integrations (Options → Integrations; the popup's health line). Extension pages only. ---
  /** Saved integrations by name; configs hold `{{credentials.*}}` references, never a secret. */
  'integrations.list': { request: void; response: IntegrationRow[] };
  /** Validates and saves (replacing the one with that id; with `create`, an existing id is refused). */
  'integrations.save': { request: { integration: IntegrationInput; create?: boolean }; response: IntegrationRow };
  'integrations.delete': { request: { id: string }; response: { deleted: boolean } };
  /** One request (REST GET, GraphQL `{ __typename }`) or `SELECT 1` through the host; the result is kept as the last test. */
  'integrations.test': { request: { id: string }; response: IntegrationTestResult };
  /** Each integration's circuit-breaker state (persisted) and last test. */
  'integrations.health': { request: void; response: IntegrationHealth[] };
  // --- API keys and the audit log (src/auth/api-keys/, src/storage/audit*.ts) ---
  /**
   * Saves an API key: the value (when given) into the vault under `name`, the API's base URL, how the
   * key is sent (`auth`: "Authorization: Bearer", "X-API-Key", "query:api_key" or an object) and the
   * seed's `apiKeyConfig` (text or object). Validates first: API_KEY_INVALID unless `force`.
   */
  'apiKeys.save': { request: SaveApiKeyInput; response: ApiKeySummary };
  /** Every key with its rotation due date, reminder date, state and last validation; never a value. */
  'apiKeys.list': { request: void; response: ApiKeySummary[] };
  /** Calls the validation endpoint with the stored key now and records the answer. */
  'apiKeys.validate': { request: { name: string }; response: ApiKeySummary };
  /** Replaces the key once the new one validates; API_KEY_ROTATION_REFUSED (old key kept) otherwise. */
  'apiKeys.rotate': { request: { name: string; newValue: string }; response: ApiKeySummary };
  /** Deletes the key's record and its value in the vault. */
  'apiKeys.delete': { request: { name: string }; response: { deleted: boolean } };
  /** Retention in days (default 30) and whether request bodies are recorded (default off). */
  'audit.settings': { request: void; response: AuditSettings };
  /** Changes either setting; a shorter retention prunes at once. */
  'audit.setSettings': { request: Partial<AuditSettings>; response: AuditSettings };
  /** The audit log (all, a run's, or a time range) as JSON Lines text, for the page to download. */
  'audit.export': { request: AuditExportFilter | void; response: AuditExport };
  // --- end API keys and the audit log ---
  /** Calls a host method; for Ferry's extension pages only (never content scripts). */
  'host.call': {
    request: { method: string; params?: unknown; timeoutMs?: number };
    response: CallOutcome;
  };
}

export interface StartFromTabRequest {
  tabId?: number;
  /** A saved pipeline's id; give this or `pipeline`, not both. */
  pipelineId?: string;
  /** A pipeline document or configuration text, as `runs.start` takes it. */
  pipeline?: unknown;
  /**
   * What to extract. Default: the pipeline's `page` source when it has one, otherwise automatic mode
   * (microdata, else JSON-LD, else the first table with a header row).
   */
  extractor?: ExtractorConfig;
}

export interface StartFromTabResponse {
  runId: string;
  /** Records taken from the page (some may still be rejected by the pipeline's validation). */
  extracted: number;
  /** What the user should know about the extraction: fields that found nothing, records left out. */
  warnings: string[];
}

/** What pages may know about a saved secret: never its value, at most its last 4 characters. */
export interface CredentialSummary {
  name: string;
  last4: string;
  updatedAt: number;
}

export type MessageType = keyof MessageMap;
export type RequestOf<T extends MessageType> = MessageMap[T]['request'];
export type ResponseOf<T extends MessageType> = MessageMap[T]['response'];

export interface Envelope<T extends MessageType = MessageType> {
  /** Marks messages as Ferry's so unrelated runtime messages are ignored. */
  ferry: 1;
  type: T;
  data: RequestOf<T>;
}

/** Every response is wrapped so a thrown handler error reaches the caller as data, not silence. */
export type Reply<T extends MessageType> = { ok: true; value: ResponseOf<T> } | { ok: false; error: SerializedError };
