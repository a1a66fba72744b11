/**
 * The shapes Ferry keeps in IndexedDB, one interface per table of the `ferry` database (db.ts).
 * Rows are structured-cloned, so values are plain data (plus ArrayBuffers and CryptoKeys where noted);
 * times are epoch milliseconds. No row ever holds a credential's plaintext.
 */
import type { PageCheckpoint } from '../integrations/http/pagination-types';
import type { IntegrationInput, IntegrationTestResult } from '../integrations/saved/types';

/** A saved pipeline; `document` is the versioned JSON that src/pipeline validates. */
export interface PipelineRow {
  id: string;
  name: string;
  updatedAt: number;
  /** As written (not migrated, no defaults filled in), so a later Ferry migrates it when it loads. */
  document: unknown;
  /** The configuration text it was pasted as, comments included, when it came as text. */
  text?: string;
}

/**
 * `succeeded`: something was delivered and nothing failed. `nothingSent`: finished with nothing
 * delivered and nothing failed (every record rejected, or none extracted). Added without a schema
 * version: `status` is an indexed string, and a new value needs no migration.
 */
export type RunStatus = 'queued' | 'running' | 'paused' | 'succeeded' | 'nothingSent' | 'failed' | 'cancelled';

export interface RunCounts {
  extracted: number;
  rejected: number;
  sent: number;
  failed: number;
  retried: number;
}

/** An error as it may be stored and shown: a FerryError's `toJSON()` shape, never a secret. */
export interface StoredError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface RunRow {
  id: string;
  pipelineId: string;
  /**
   * The pipeline's name when the run started, so renaming or replacing the pipeline later does not
   * relabel its past runs. Absent in runs from before it was recorded.
   */
  pipelineName?: string;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
  /** First time the run went `running`. */
  startedAt?: number;
  /** When it reached succeeded, nothingSent, failed or cancelled. */
  finishedAt?: number;
  counts: RunCounts;
  /** Pagination cursor (next link, cursor or page number) saved with the batches it produced. */
  checkpoint?: unknown;
  error?: StoredError;
}

/**
 * What a run was started with: its pipeline (parsed, plain JSON), where its records came from, and the
 * `{{env.NAME}}` values it reads. Kept apart from the run's row, which is rewritten every time a job
 * settles (its counts), so the pipeline is not copied along each time.
 */
export interface RunDefinitionRow {
  runId: string;
  pipeline: unknown;
  source: { url?: string; title?: string };
  env?: Record<string, string>;
}

export type JobStatus = 'pending' | 'inFlight' | 'done' | 'failed' | 'deadLettered';

/** What the last attempt at a job came to, in the pipeline's outcome labels (e.g. `rate_limit_exceeded`). */
export interface JobOutcome {
  label: string;
  httpStatus?: number;
  message?: string;
  details?: Record<string, unknown>;
}

/** One batch of a run's records: the unit that is claimed, sent and settled. */
export interface JobRow {
  /** Auto-increment: equal due times are claimed in the order the jobs were enqueued. */
  id: number;
  runId: string;
  /** Position within the run, from 0; replayed dead letters get new positions at the end. */
  seq: number;
  status: JobStatus;
  records: unknown[];
  /**
   * Each record's position among the run's extracted records (from 0), beside `records`, so a
   * message about one record names the record the user can find (absent on jobs that predate it and
   * on a paginated read's jobs). Not indexed: an optional field needs no schema version.
   */
  recordIndexes?: number[];
  /** Generated once when the batch is created, and kept through retries, resumes and replays. */
  idempotencyKey: string;
  /** How many times the job has been claimed to be sent at once (claims ahead are not counted: see claimedAhead). */
  attempts: number;
  /** pending: not before this time. inFlight: the lease's end, after which the job is claimable again. */
  nextAttemptAt: number;
  lastOutcome?: JobOutcome;
  /** Fencing token of the current claim: a settle carrying another token is refused. */
  leaseId?: string;
  /** Who holds the claim (a worker instance id), so a new worker can release its dead predecessor's jobs. */
  leaseOwner?: string;
  leaseUntil?: number;
  /**
   * Set on a claim taken ahead of need (the drive keeps the next jobs in hand so its lanes never
   * wait for a claim): such a claim is not counted in `attempts`, so a worker that dies holding it
   * does not charge the batch an attempt it may never have made.
   */
  claimedAhead?: true;
  /** A paginated read's progress, saved after each page it stored (absent for a job that sends). */
  checkpoint?: JobCheckpoint;
  createdAt: number;
  updatedAt: number;
}

/**
 * How far a paginated read got (src/runs/read-pages.ts), saved in the transaction that stores each
 * page's results, so a job claimed again continues with the page after the last one stored.
 */
export interface JobCheckpoint {
  /**
   * Where the next page starts, as the HTTP integration's pagination yields it (`from` when the read
   * resumes); null once the last page was read. A next link is kept without userinfo or a query API
   * key, and never with a credential in it (the read refuses to save one).
   */
  next: PageCheckpoint | null;
  /** Pages stored so far. */
  pages: number;
  /** Items those pages held (each one through resultProcessing). */
  items: number;
  /** The first few resultProcessing problems of the read so far; the job's outcome reports them. */
  resultProblems?: string[];
}

/** Why a record failed validation, e.g. `{ path: 'email', rule: 'email', message: 'not an email address' }`. */
export interface RejectReason {
  path: string;
  message: string;
  rule?: string;
}

export interface RejectRow {
  id: number;
  runId: string;
  record: unknown;
  reasons: RejectReason[];
  createdAt: number;
}

export interface DeadLetterRow {
  id: number;
  runId: string;
  pipelineId: string;
  /** The job it came from. */
  jobId: number;
  records: unknown[];
  /** Positions among the run's extracted records, beside `records` (see JobRow.recordIndexes). */
  recordIndexes?: number[];
  /** The original batch's key: a replay sends it again, so a server that saw it before can dedupe. */
  idempotencyKey: string;
  attempts: number;
  lastOutcome: JobOutcome;
  createdAt: number;
}

/** One request of a run. Secrets never go here: no headers, no bodies, no query string. */
/** What an audit entry records: a pipeline's request or host call, or Ferry's own call to a server. */
export type AuditOperation = 'http' | 'graphql' | 'database' | 'file' | 'oauth.refresh' | 'apiKey.validate';

export interface AuditRow {
  id: number;
  /** Empty for calls Ferry makes outside a run (an API key's validation, a token refresh on its own). */
  runId: string;
  pipelineId?: string;
  at: number;
  method: string;
  host: string;
  /** The URL's path only. */
  path: string;
  /** Absent when no response arrived (network error, timeout). */
  status?: number;
  durationMs: number;
  attempt: number;
  outcome: string;
  /** Absent on entries written before version 5 (they are all `http`, `graphql`, `database` or `file`). */
  operation?: AuditOperation;
  /** The credential names the call used (never values), e.g. the API key validated. */
  credential?: string;
  /**
   * The request body, scrubbed of the call's credential values; only when the user turned on
   * "record payload bodies" (off by default), and at most 64 KiB.
   */
  body?: string;
}

export type CachedBody = string | ArrayBuffer;

export interface ResponseCacheRow {
  /** `responseCacheKey(method, url, body)`. */
  key: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: CachedBody;
  storedAt: number;
  expiresAt: number;
}

export interface BreakerStateRow {
  host: string;
  /** The breaker's state as JSON text, exactly what its `toJSON()` produced. */
  state: string;
  updatedAt: number;
}

/** A pipeline's resultProcessing output with storage type 'local', under its templated key. */
export interface ResultRow {
  key: string;
  value: unknown;
  storedAt: number;
}

export interface CredentialRow {
  name: string;
  /** AES-GCM output (ciphertext and tag) of the UTF-8 value, with the name as additional data. */
  ciphertext: ArrayBuffer;
  iv: Uint8Array<ArrayBuffer>;
  /** Which data key encrypted it, so a later re-key can find what is left to re-encrypt. */
  keyId: string;
  /** The value's last 4 characters for recognition, empty when the value is too short to show any. */
  last4: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * A value for `{{env.NAME}}`. Not a secret: values are shown in the options page and copied into
 * each run that reads them (see src/runs/run-env.ts); secrets belong in the vault.
 */
export interface EnvVarRow {
  /** `API_BASE`: see env-name.ts. */
  name: string;
  value: string;
  createdAt: number;
  updatedAt: number;
}

/** A vault data key. IndexedDB stores the CryptoKey object itself; its bytes cannot be exported. */
export interface KeyRow {
  id: string;
  key: CryptoKey;
  createdAt: number;
}

/**
 * The passphrase lock (vault-lock.ts): the data key wrapped (AES-GCM) under a key derived from the
 * passphrase with PBKDF2-SHA256. Only the wrapped bytes are stored; the unwrapped key lives in memory
 * (and in storage.session for the browser session) while the vault is unlocked.
 */
export interface VaultLockRow {
  id: 'lock';
  /** The id of the data key it wraps: every credential's `keyId`. */
  keyId: string;
  salt: Uint8Array<ArrayBuffer>;
  iterations: number;
  wrappedKey: ArrayBuffer;
  wrapIv: Uint8Array<ArrayBuffer>;
  /** Wrong passphrases since the last right one; persisted so a worker restart does not reset it. */
  failedAttempts: number;
  /** No unlock attempt is tried before this time (after repeated wrong passphrases). */
  blockedUntil?: number;
  createdAt: number;
  updatedAt: number;
}

/** The vault's settings; kept whether or not a passphrase is set. */
export interface VaultSettingsRow {
  id: 'settings';
  /** Lock after this many minutes without the vault being used; 0: never. */
  autoLockMinutes: number;
  updatedAt: number;
}

export type VaultStateRow = VaultLockRow | VaultSettingsRow;

/** The seed's `oauthConfig` as parsed (src/auth/oauth-config.ts): templates kept, no secret in it. */
export interface StoredOAuthConfig {
  authUrl: string;
  tokenUrl: string;
  revocationUrl?: string;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
  redirectUri?: string;
  authParams?: Record<string, string>;
}

/**
 * An OAuth 2.0 connection. Its tokens are credentials in the vault (`<name>.accessToken`,
 * `<name>.refreshToken`); this row holds only what may be shown.
 */
export interface OAuthConnectionRow {
  name: string;
  config: StoredOAuthConfig;
  /** The redirect URI the authorization used (the browser's identity redirect). */
  redirectUri: string;
  status: 'connected' | 'needsReconnect';
  tokenType: string;
  /** Scopes the server granted (its `scope`), else the ones asked for. */
  scopes: string[];
  /** When the access token expires (epoch ms); absent when the server did not say. */
  expiresAt?: number;
  hasRefreshToken: boolean;
  connectedAt: number;
  refreshedAt?: number;
  /** Why the connection needs reconnecting, or the last refresh failure. Never a token. */
  lastError?: StoredError;
  updatedAt: number;
}

/**
 * A saved integration (Options → Integrations): its config holds credential references only, never a
 * secret (schema.ts of src/integrations/saved refuses one). `lastTest` is the last "Test connection".
 */
export type IntegrationRow = IntegrationInput & {
  createdAt: number;
  updatedAt: number;
  lastTest?: IntegrationTestResult;
};

/**
 * An API key's rotation and validation record (src/auth/api-keys/); the key's value is the vault's
 * credential of the same name, never stored here.
 */
export interface ApiKeyRow {
  name: string;
  /** The API the key is for; the validation endpoint resolves against it. */
  baseUrl: string;
  /** How the key is sent when validating. */
  auth: ApiKeyAuth;
  /** The seed's `apiKeyConfig` block, parsed (src/auth/api-keys/config.ts). */
  config: unknown;
  createdAt: number;
  /** When the value was last set or rotated; rotation is due `interval` after it. */
  rotatedAt: number;
  lastValidation?: { at: number; ok: boolean; detail: string; status?: number };
  /** The reminder already shown for this rotation period (so it is shown once). */
  remindedFor?: number;
}

export type ApiKeyAuth =
  | { in: 'header'; name: string; prefix?: string }
  | { in: 'query'; name: string };

/** A setting, by key (`audit.retentionDays`, `audit.recordBodies`). */
export interface SettingRow {
  key: string;
  value: unknown;
  updatedAt: number;
}
