/**
 * The background's run engine: one run service per worker start, over the shared IndexedDB
 * database, with breakers persisted there and wake-ups through chrome.alarms. The alarm listener is
 * registered synchronously (a stopped worker only wakes for listeners registered at top level); the
 * database opens on first use. Every wake drives: a worker that stopped mid-run resumes on the next
 * wake, its in-flight batches re-sent with their original Idempotency-Keys.
 */
import { BreakerRegistry } from '../resilience';
import { alarmScheduler, createRunService, DRIVE_ALARM, vaultResolver, type RunService } from '../runs';
import { createRepositories } from '../storage/repositories';
import { ferryDb } from '../storage/db';
import type { Vault } from '../storage/vault';

export interface RunEngine {
  service(): Promise<RunService>;
  /** The credential vault runs resolve `{{credentials.*}}` from. */
  vault(): Promise<Vault>;
  /** Drives now (coalesced by the service); errors are reported, never thrown into listeners. */
  kick(): void;
}

export function createRunEngine(alarms: typeof chrome.alarms = chrome.alarms): RunEngine {
  let servicePromise: Promise<RunService> | undefined;
  let vault: Vault | undefined;
  const service = () =>
    (servicePromise ??= ferryDb().then((db) => {
      const repos = createRepositories(db);
      vault = repos.vault;
      const report = (error: unknown) => console.warn('Ferry run engine:', error);
      return createRunService({
        repos,
        breakers: new BreakerRegistry({ store: repos.breakerStates, onError: report }),
        resolveCredential: vaultResolver(repos.vault),
        scheduler: alarmScheduler(alarms),
        // A few requests in flight hide each one's latency; each lane holds its own leased job.
        concurrency: 4,
        onError: report,
      });
    }).catch((error: unknown) => {
      servicePromise = undefined; // a failed open is retried on the next use
      throw error;
    }));
  const kick = () => {
    void (async () => {
      const runs = await service();
      // A drive stops after its time budget with work left (nextDueAt <= now): go on at once rather
      // than wait for the 30 s alarm. Calling an extension API first resets the worker's idle timer.
      for (;;) {
        const { processed, nextDueAt } = await runs.drive();
        // Nothing processed means nothing claimable now: leave it to the alarm, never spin.
        if (processed === 0 || nextDueAt === undefined || nextDueAt > Date.now()) return;
        await chrome.runtime.getPlatformInfo();
      }
    })().catch((error: unknown) => console.warn('Ferry run engine: drive failed', error));
  };
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === DRIVE_ALARM) kick();
  });
  return { service, kick, vault: async () => (await service(), vault!) };
}
