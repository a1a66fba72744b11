import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import type { JobRow } from './rows';

/** A job as its claimer holds it: the lease fields are set. */
export type ClaimedJob = JobRow & { status: 'inFlight'; leaseId: string; leaseOwner: string; leaseUntil: number };

/**
 * The job's current row, provided the claim is still the one recorded. A claim is lost when its lease
 * expired and someone else claimed the job, or when the job was already settled or released; the
 * loser's result must not be recorded, or a batch would count twice.
 */
export async function requireLease(db: FerryDB, job: Pick<ClaimedJob, 'id' | 'runId' | 'leaseId'>): Promise<ClaimedJob> {
  const row = await db.jobs.get(job.id);
  if (!row || !holds(row, job)) throw leaseLost(job);
  return row as ClaimedJob;
}

/** Whether `row` (the job as stored) is still in flight under this claim. */
export function holds(row: JobRow, job: Pick<ClaimedJob, 'leaseId'>): boolean {
  return row.status === 'inFlight' && row.leaseId === job.leaseId;
}

export function leaseLost(job: Pick<ClaimedJob, 'id' | 'runId'>): FerryError {
  return new FerryError('JOB_LEASE_LOST', `Job ${job.id} of run ${job.runId} is no longer held by this claim (its lease expired and it was claimed again, or it was already settled); this result was not recorded.`, { jobId: job.id, runId: job.runId });
}

/** The row with its lease removed, for settling. */
export function withoutLease(row: JobRow): JobRow {
  const { leaseId: _id, leaseOwner: _owner, leaseUntil: _until, claimedAhead: _ahead, ...rest } = row;
  return rest;
}
