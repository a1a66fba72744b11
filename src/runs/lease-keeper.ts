/**
 * Renews a job's lease while it is being worked on, so a slow server (up to the step's timeout) or a
 * few in-memory retry waits never let the lease lapse and hand the batch to another claimer. The
 * timer dies with the worker, which is the point: then the lease does lapse, and the batch is sent
 * again with the same Idempotency-Key.
 */
import { isFerryError } from '../errors/ferry-error';
import type { ClaimedJob, JobQueue } from '../storage/job-queue';

export interface LeaseKeeper {
  stop(): void;
}

/** `onLost` is called once if the claim is gone (someone else holds the job now): stop working on it. */
export function keepLease(jobs: JobQueue, job: ClaimedJob, leaseMs: number, onLost: () => void, onError?: (error: unknown) => void): LeaseKeeper {
  let lost = false;
  const timer = setInterval(() => {
    jobs.renewLease(job, leaseMs).catch((error: unknown) => {
      if (isFerryError(error, 'JOB_LEASE_LOST')) {
        if (!lost) onLost();
        lost = true;
        clearInterval(timer);
      } else {
        onError?.(error);
      }
    });
  }, Math.max(1_000, Math.floor(leaseMs / 3)));
  return { stop: () => clearInterval(timer) };
}
