/**
 * How many requests a job has already made, across claims and worker restarts. The queue counts
 * claims, and one claim may make several attempts (short retries are slept through in memory) or
 * none (an open circuit), so the engine keeps its own count in the job's last outcome when it
 * settles: `attemptsMade`, and `claims` (the claim count at that moment).
 *
 * A claim that never settled died with its worker, possibly after its request left: it counts as one
 * attempt, so a batch that keeps killing its worker still runs out of attempts and is dead-lettered
 * instead of looping forever.
 */
import type { ClaimedJob } from '../storage/job-queue';

export interface AttemptBook {
  attemptsMade: number;
  claims: number;
}

export function attemptsBefore(job: ClaimedJob): number {
  const details = job.lastOutcome?.details;
  const made = typeof details?.attemptsMade === 'number' ? details.attemptsMade : 0;
  const claims = typeof details?.claims === 'number' ? details.claims : 0;
  const unsettled = Math.max(0, job.attempts - 1 - claims);
  return made + unsettled;
}

/** What to store in the outcome when settling `job` after `attemptsMade` requests in all. */
export function attemptBook(job: ClaimedJob, attemptsMade: number): AttemptBook {
  return { attemptsMade, claims: job.attempts };
}
