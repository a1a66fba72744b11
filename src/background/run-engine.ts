/**
 * The background's run engine: one run service per worker start, over the shared IndexedDB
 * database, with breakers persisted there and wake-ups through chrome.alarms. The alarm listener is
 * registered synchronously (a stopped worker only wakes for listeners registered at top level); the
 * database opens on first use. Every wake drives: a worker that stopped mid-run resumes on the next
 * wake, its in-flight batches re-sent with their original Idempotency-Keys.
 */
import { credentialRefresher, credentialResolver, OAuthConnections } from '../auth';
import { isFerryError } from '../errors/ferry-error';
import type { HostCaller } from '../integrations';
import { BreakerRegistry } from '../resilience';
import { alarmScheduler, createRunService, DRIVE_ALARM, type RunService } from '../runs';
import { createRepositories, type Repositories } from '../storage/repositories';
import { ferryDb } from '../storage/db';
import type { Pipelines } from '../storage/pipelines';
import type { Vault } from '../storage/vault';
import { VaultLock } from '../storage/vault-lock';
import { alarmAutoLock, AUTO_LOCK_ALARM, chromeSession } from '../storage/vault-session';
import { releaseJobsWaitingOnVault } from '../storage/vault-waits';
import { showVaultWaiting } from './vault-badge';
import { ApiKeys } from '../auth/api-keys';
import { readAuditSettings, writeAuditSettings, type AuditSettings } from '../storage/audit-settings';
import { DAILY_ALARM, dailyMaintenance, ensureDailyAlarm, REMIND_ALARM, showDueReminders, type MaintenanceApis } from './api-key-reminders';

/** Longer than a job's lease, so a watchdog wake finds the dead worker's jobs claimable. */
const WATCHDOG_MS = 90_000;

/**
 * What the engine logs: an error's code and message, never the raw object, whose message or
 * properties may quote a URL with a key in it. FerryError messages are written to be shown.
 */
function describe(error: unknown): string {
  if (isFerryError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.name : typeof error;
}

export interface RunEngine {
  service(): Promise<RunService>;
  /** The credential vault runs resolve `{{credentials.*}}` from. */
  vault(): Promise<Vault>;
  /** The repositories the service runs on (saved pipelines, env variables), over the same database. */
  repos(): Promise<Repositories>;
  /** Saved pipeline documents (a run can name one instead of carrying its pipeline). */
  pipelines(): Promise<Pipelines>;
  /** The vault's passphrase lock (the key provider of `vault()`). */
  vaultLock(): Promise<VaultLock>;
  /** OAuth 2.0 connections, whose access tokens runs resolve as `{{credentials.<name>.accessToken}}`. */
  oauth(): Promise<OAuthConnections>;
  /** API keys with rotation reminders and validation (src/auth/api-keys/). */
  apiKeys(): Promise<ApiKeys>;
  /** The audit log's retention and payload-recording settings. */
  auditSettings(): Promise<AuditSettings>;
  setAuditSettings(change: Partial<AuditSettings>): Promise<AuditSettings>;
  /** Drives now (coalesced by the service); errors are reported, never thrown into listeners. */
  kick(): void;
}

/** `host`: the background's native client, which `database` and `file` steps call. */
export function createRunEngine(host: HostCaller, alarms: typeof chrome.alarms = chrome.alarms): RunEngine {
  let servicePromise: Promise<RunService> | undefined;
  let repositories: Repositories | undefined;
  let lock: VaultLock | undefined;
  let connections: OAuthConnections | undefined;
  let keys: ApiKeys | undefined;
  // Read at every entry, so a plain flag: loaded at start, changed by setAuditSettings.
  let recordAuditBodies = false;
  const maintenanceApis = (): MaintenanceApis => ({ alarms, ...(globalThis.chrome?.notifications ? { notifications: chrome.notifications } : {}), ...(globalThis.chrome?.action ? { action: chrome.action } : {}) });
  const service = () =>
    (servicePromise ??= ferryDb().then((db) => {
      const report = (error: unknown) => console.warn('Ferry run engine:', describe(error));
      lock = new VaultLock(db, { session: chromeSession(), scheduler: alarmAutoLock(alarms) });
      const repos = createRepositories(db, { keys: lock });
      repositories = repos;
      connections = new OAuthConnections(db, repos.vault, { audit: repos.audit });
      const apiKeys = new ApiKeys(db, repos.vault, repos.audit, {
        onChange: () => void showDueReminders({ db, apiKeys, audit: repos.audit }, maintenanceApis()).catch((error: unknown) => report(error)),
      });
      keys = apiKeys;
      void readAuditSettings(db).then((settings) => { recordAuditBodies = settings.recordBodies; }, (error: unknown) => report(error));
      // The daily sweep's alarm, and the KEY badge (badge slots live in the worker's memory).
      void ensureDailyAlarm(alarms).then(() => showDueReminders({ db, apiKeys, audit: repos.audit }, maintenanceApis())).catch((error: unknown) => report(error));
      lock.onChange((event) => {
        showVaultWaiting(event === 'waiting');
        // Batches postponed by the lock are due at once; drive them now rather than in a minute.
        if (event === 'unlocked') void releaseJobsWaitingOnVault(db, Date.now()).then(kick, (error: unknown) => report(error));
      });
      return createRunService({
        repos,
        breakers: new BreakerRegistry({ store: repos.breakerStates, onError: report }),
        resolveCredential: credentialResolver(repos.vault, connections),
        refreshCredential: credentialRefresher(connections),
        host,
        scheduler: alarmScheduler(alarms),
        // A few requests in flight hide each one's latency; each lane holds its own leased job.
        concurrency: 4,
        recordAuditBodies: () => recordAuditBodies,
        onError: report,
      });
    }).catch((error: unknown) => {
      servicePromise = undefined; // a failed open is retried on the next use
      throw error;
    }));
  const kick = () => {
    void (async () => {
      const runs = await service();
      // A watchdog wake-up first: if this worker stops mid-drive (30 s idle during a long request or
      // a retry wait), the alarm that woke it is spent; this one brings the next worker back. The
      // drive's own schedule() replaces it with the real next due time.
      await alarms.create(DRIVE_ALARM, { when: Date.now() + WATCHDOG_MS });
      // A drive stops after its time budget with work left (nextDueAt <= now): go on at once rather
      // than wait for the 30 s alarm. Calling an extension API first resets the worker's idle timer.
      for (;;) {
        const { processed, nextDueAt } = await runs.drive();
        // No run has work left: drop the watchdog, so an idle Ferry is never woken for nothing.
        if (nextDueAt === undefined) return void (await alarms.clear(DRIVE_ALARM));
        // Nothing processed means nothing claimable now: leave it to the alarm, never spin.
        if (processed === 0 || nextDueAt > Date.now()) return;
        await chrome.runtime.getPlatformInfo();
      }
    })().catch((error: unknown) => console.warn('Ferry run engine: drive failed', describe(error)));
  };
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === DRIVE_ALARM) kick();
    if (alarm.name === DAILY_ALARM || alarm.name === REMIND_ALARM) {
      void (async () => {
        await service();
        const target = { db: repositories!.db, apiKeys: keys!, audit: repositories!.audit };
        await (alarm.name === DAILY_ALARM ? dailyMaintenance(target, maintenanceApis()) : showDueReminders(target, maintenanceApis()));
      })().catch((error: unknown) => console.warn('Ferry maintenance:', describe(error)));
    }
    if (alarm.name === AUTO_LOCK_ALARM) void vaultLock().then((l) => l.onAutoLockAlarm()).catch((error: unknown) => console.warn('Ferry vault: auto-lock failed', describe(error)));
  });
  // Alarms are not promised to survive a browser restart; unfinished runs resume at startup.
  chrome.runtime.onStartup.addListener(kick);
  const repos = async () => (await service(), repositories!);
  const auditSettings = async () => readAuditSettings((await repos()).db);
  const setAuditSettings = async (change: Partial<AuditSettings>) => {
    const settings = await writeAuditSettings((await repos()).db, change);
    recordAuditBodies = settings.recordBodies;
    return settings;
  };
  const vaultLock = async () => (await service(), lock!);
  const oauth = async () => (await service(), connections!);
  const apiKeys = async () => (await service(), keys!);
  return { service, kick, repos, vaultLock, oauth, apiKeys, auditSettings, setAuditSettings, vault: async () => (await repos()).vault, pipelines: async () => (await repos()).pipelines };
}
