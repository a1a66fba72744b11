/**
 * What the run engine needs from the background, and the shapes it hands back. Everything with a
 * side effect (storage, breakers, the vault, the network, the clock) comes in through `RunDeps`, so
 * tests run the real engine against fake-indexeddb, an injected clock and a loopback server.
 */
import type { HostCaller } from '../integrations';
import type { CredentialResolver } from '../pipeline';
import type { BreakerRegistry, RandomSource } from '../resilience';
import type { Repositories } from '../storage/repositories';

export type RunRepositories = Pick<Repositories, 'db' | 'runs' | 'jobs' | 'rejects' | 'deadLetters' | 'audit' | 'responseCache' | 'results' | 'pipelines' | 'env'>;

export interface RunDeps {
  repos: RunRepositories;
  breakers: BreakerRegistry;
  /** The vault's lookup; called only while a delivery step is rendered for sending. See `vaultResolver`. */
  resolveCredential: CredentialResolver;
  /** The same clock the repositories were created with. Default Date.now. */
  now?: () => number;
  /** Backoff jitter. Default Math.random. */
  random?: RandomSource;
  /**
   * Values for `{{env.NAME}}` that win over the env store and over a run's stored values (tests).
   * Without it, runs read the env store at start and keep what they read (run-env.ts).
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** The native host, for `database` and `file` steps (the background's NativeClient). Without it such steps fail with HOST_NOT_CONNECTED. */
  host?: HostCaller;
  /** Passed to the HTTP and GraphQL integrations; default the global fetch. */
  fetch?: typeof fetch;
  /**
   * Retry waits longer than this are persisted as the job's retryAt instead of slept through in
   * memory (a service worker may stop during a sleep). Default 15 000 ms.
   */
  deferAfterMs?: number;
  /** Jobs a drive keeps in flight at once (each lane claims its own leased job). Default 1. */
  concurrency?: number;
  /** The lease a claim takes; renewed while a job runs. Default: the job queue's (60 000 ms). */
  leaseMs?: number;
  /** How long a GET response stays fresh in the cache a `useCache` fallback serves from. Default 1 h. */
  cacheTtlMs?: number;
  /**
   * How long one claim reads pages of a paginated job before giving it back, checkpoint saved and due
   * at once, so a long read does not hold a lane past a drive's budget. Default 20 000 ms.
   */
  readSliceMs?: number;
  /** The most pages a paginated read without `completeWhen.maxPages` requests before failing. Default 1000. */
  maxPages?: number;
  /**
   * Renews a credential after a request that carried it got 401 (an OAuth access token); true when a
   * new value is there to render with. The request is then sent once more (auth-retry.ts).
   */
  refreshCredential?: (name: string, renderedAt: number) => Promise<boolean>;
  /**
   * Whether audit entries keep each request's body (scrubbed of credentials): the user's opt-in
   * "record payload bodies" setting, off by default. Asked for every entry, so it must be cheap.
   */
  recordAuditBodies?: () => boolean;
  /** Problems that must not stop a delivery (an audit write that failed, a lease renewal refused). */
  onError?: (error: unknown) => void;
}

/** Where the records were taken from; `{{source.url}}` and `{{source.title}}` in templates. */
export interface RunSource {
  url?: string;
  title?: string;
}

export interface StartRunInput {
  /**
   * A parsed Pipeline, a pipeline document, or configuration text; validated with parsePipeline.
   * Give exactly one of `pipeline` and `pipelineId`.
   */
  pipeline?: unknown;
  /** The id of a saved pipeline (pipelines.save) to run as it is saved now. */
  pipelineId?: string;
  /** The extracted records, each an object of fields (`{{extracted.field}}`). */
  records: readonly unknown[];
  source?: RunSource;
  /**
   * Makes the start idempotent: a start repeated with the same id (a message retried after the
   * worker stopped) finds the run and changes nothing.
   */
  runId?: string;
}

export interface DriveOptions {
  /** This worker instance's id: the owner of the leases it takes. */
  owner: string;
  /** Aborting stops claiming; the job in hand is given back to the queue, due at once. */
  signal?: AbortSignal;
  /** Stop claiming new jobs after this much wall-clock time. Default 20 000 ms. */
  maxWorkMs?: number;
}

export interface DriveResult {
  /** Jobs claimed and settled (or given back) by this call. */
  processed: number;
  /**
   * When a run next has a job to claim (epoch ms of the injected clock). At or before now: there is
   * work left now (the time budget ran out), so drive again. Undefined: nothing left to do.
   */
  nextDueAt?: number;
}

/** Wakes the background to drive again; the background implements it with chrome.alarms. */
export interface DriveScheduler {
  schedule(atMs: number): void | Promise<void>;
}
