/**
 * One page of a paginated read made durable: the results of its items, the audit entries of its
 * requests and the job's checkpoint (with its outcome so far and run counts) in ONE transaction. A
 * worker that stops at any moment leaves either all of it or none, so the job, claimed again, never
 * reads a stored page twice and never skips one.
 *
 * The claim is checked as a settlement's is (JobQueue.saveCheckpoint): a lost claim (another worker
 * holds the job now) stores no results and no checkpoint and rejects with JOB_LEASE_LOST, but the
 * audit entries are written anyway, because those requests were made.
 */
import type { NewAuditEntry } from '../storage/audit';
import { leaseLost } from '../storage/job-lease';
import type { CheckpointTo, ClaimedJob } from '../storage/job-queue';
import type { RunCountsDelta } from '../storage/run-counts';
import type { JobCheckpoint } from '../storage/rows';
import type { ResultWrite } from './settle-writer';
import type { RunRepositories } from './types';

export interface PageSave {
  job: ClaimedJob;
  checkpoint: JobCheckpoint;
  to: CheckpointTo;
  counts: RunCountsDelta;
  audit: readonly NewAuditEntry[];
  results: readonly ResultWrite[];
}

export async function savePage(repos: Pick<RunRepositories, 'db' | 'jobs' | 'audit' | 'results'>, page: PageSave): Promise<void> {
  const { db, jobs, audit, results } = repos;
  const held = await db.transaction('rw', [db.jobs, db.runs, db.audit, db.results], async () => {
    const held = await jobs.saveCheckpoint(page.job, page.checkpoint, page.to, page.counts);
    await audit.appendAll(page.audit);
    if (held) await results.putAll(page.results);
    return held;
  });
  if (!held) throw leaseLost(page.job);
}
