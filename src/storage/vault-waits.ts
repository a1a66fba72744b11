import type { FerryDB } from './db';

/**
 * Batches postponed because the vault was locked (process-job.ts keeps them pending with the
 * `vault_locked` outcome, due a minute later) become due now, so unlocking resumes them at once
 * rather than at their next retry time. Their attempts are untouched: nothing was sent.
 */
export async function releaseJobsWaitingOnVault(db: FerryDB, now: number): Promise<number> {
  return db.transaction('rw', db.jobs, () =>
    db.jobs
      .where('[status+nextAttemptAt]')
      .between(['pending', now], ['pending', Infinity], false, true)
      .filter((job) => job.lastOutcome?.label === 'vault_locked')
      .modify((job) => {
        job.nextAttemptAt = now;
      }),
  );
}
