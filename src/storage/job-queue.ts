import type { FerryDB } from './db';
import { appendJobs, type NewJobBatch } from './job-append';
import { requireLease, withoutLease, type ClaimedJob } from './job-lease';
import { addRunCounts, hasCounts, requireRun, type RunCountsDelta } from './run-counts';
import type { JobOutcome, JobRow, JobStatus } from './rows';

export type { ClaimedJob } from './job-lease';
export type { NewJobBatch } from './job-append';

/**
 * Long enough for one batch's request with its in-process retries; a worker on a longer job renews.
 * A worker that dies holding a job delays that job by at most this much (or not at all: see
 * releaseAbandoned).
 */
export const DEFAULT_LEASE_MS = 60_000;

export interface JobQueueOptions {
  now?: () => number;
  leaseMs?: number;
}

export interface SettleOptions {
  /** Added to the run's counts in the same transaction as the job's change. */
  counts?: RunCountsDelta;
}

export type JobStatusCounts = Record<JobStatus, number> & { total: number };

const STATUSES: readonly JobStatus[] = ['pending', 'inFlight', 'done', 'failed', 'deadLettered'];

/**
 * The durable job queue: one job per batch of a run's records. Every change is a transaction, so a
 * service worker that stops at any moment leaves each job either untouched or fully moved. A job is
 * claimed with a lease; if its claimer dies, the job becomes claimable again when the lease expires
 * and is sent again with the same idempotency key, so nothing is lost and the server can drop the
 * duplicate.
 */
export class JobQueue {
  private readonly now: () => number;
  private readonly leaseMs: number;

  constructor(private readonly db: FerryDB, options: JobQueueOptions = {}) {
    this.now = options.now ?? Date.now;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * Adds batches to a run, in one transaction with the run's pagination `checkpoint` and `counts`
   * (e.g. extracted): a resumed run then never enqueues the same page twice.
   */
  enqueue(runId: string, batches: readonly NewJobBatch[], options: { checkpoint?: unknown; counts?: RunCountsDelta } = {}): Promise<JobRow[]> {
    return this.db.transaction('rw', [this.db.jobs, this.db.runs], async () => {
      const now = this.now();
      const run = await requireRun(this.db, runId);
      const jobs = await appendJobs(this.db, runId, batches, now);
      if (options.checkpoint !== undefined) await this.db.runs.put({ ...run, checkpoint: options.checkpoint, updatedAt: now });
      if (hasCounts(options.counts)) await addRunCounts(this.db, runId, options.counts, now);
      return jobs;
    });
  }

  /**
   * Claims the run's next runnable job for `owner` (a worker instance id): the earliest due pending job,
   * or an in-flight job whose lease has expired. Undefined when none is runnable now, or when the run is
   * not queued or running (paused and cancelled runs hand out nothing). The read and the claim are one
   * readwrite transaction, and IndexedDB serializes those, so two claimers never get the same job.
   */
  claimNext(runId: string, owner: string, options: { leaseMs?: number } = {}): Promise<ClaimedJob | undefined> {
    return this.db.transaction('rw', [this.db.jobs, this.db.runs], async () => {
      const run = await this.db.runs.get(runId);
      if (!run || (run.status !== 'queued' && run.status !== 'running')) return undefined;
      const now = this.now();
      const [pending, expired] = await Promise.all([this.firstDue(runId, 'pending', now), this.firstDue(runId, 'inFlight', now)]);
      const next = earliest(pending, expired);
      if (!next) return undefined;
      const leaseUntil = now + (options.leaseMs ?? this.leaseMs);
      const claimed: ClaimedJob = {
        ...next, status: 'inFlight', attempts: next.attempts + 1, leaseId: crypto.randomUUID(), leaseOwner: owner,
        leaseUntil, nextAttemptAt: leaseUntil, updatedAt: now,
      };
      await this.db.jobs.put(claimed);
      return claimed;
    });
  }

  /** Extends a held lease (a long request); JOB_LEASE_LOST if the claim is gone. */
  renewLease(job: ClaimedJob, leaseMs: number = this.leaseMs): Promise<ClaimedJob> {
    return this.db.transaction('rw', this.db.jobs, async () => {
      const row = await requireLease(this.db, job);
      const now = this.now();
      const renewed: ClaimedJob = { ...row, leaseUntil: now + leaseMs, nextAttemptAt: now + leaseMs, updatedAt: now };
      await this.db.jobs.put(renewed);
      return renewed;
    });
  }

  /** The batch was delivered. A done job is never claimed again. */
  markDone(job: ClaimedJob, options: SettleOptions & { outcome?: JobOutcome } = {}): Promise<void> {
    return this.settle(job, options.counts, (row, now) => ({
      ...withoutLease(row), status: 'done', ...(options.outcome ? { lastOutcome: options.outcome } : {}), updatedAt: now,
    }));
  }

  /** The batch failed for good (a final outcome such as validation_error). */
  markFailed(job: ClaimedJob, outcome: JobOutcome, options: SettleOptions = {}): Promise<void> {
    return this.settle(job, options.counts, (row, now) => ({ ...withoutLease(row), status: 'failed', lastOutcome: outcome, updatedAt: now }));
  }

  /** Gives the job back to be claimed again no earlier than `at` (a backoff, Retry-After, an open circuit). */
  retryAt(job: ClaimedJob, at: number, outcome: JobOutcome, options: SettleOptions = {}): Promise<void> {
    return this.settle(job, options.counts, (row, now) => ({ ...withoutLease(row), status: 'pending', nextAttemptAt: at, lastOutcome: outcome, updatedAt: now }));
  }

  /**
   * Makes every in-flight job not held by `owner` runnable now. A waking service worker calls it with
   * its new instance id: only one background runs at a time, so jobs its predecessors held died with
   * them, and waiting out their leases would only delay the run. A stale claimer that comes back finds
   * its lease gone (JOB_LEASE_LOST).
   */
  releaseAbandoned(owner: string): Promise<number> {
    return this.db.transaction('rw', this.db.jobs, async () => {
      const now = this.now();
      const abandoned = await this.db.jobs.where('[status+nextAttemptAt]').between(['inFlight', -Infinity], ['inFlight', Infinity])
        .filter((job) => job.leaseOwner !== owner).toArray();
      await this.db.jobs.bulkPut(abandoned.map((job) => ({ ...withoutLease(job), status: 'pending' as const, nextAttemptAt: now, updatedAt: now })));
      return abandoned.length;
    });
  }

  /** How many of the run's jobs are in each status, counted on the index without loading records. */
  async countsByRun(runId: string): Promise<JobStatusCounts> {
    const counts = await Promise.all(STATUSES.map((status) => this.byStatus(runId, status, -Infinity, Infinity).count()));
    const result = Object.fromEntries(STATUSES.map((status, i) => [status, counts[i] ?? 0])) as Record<JobStatus, number>;
    return { ...result, total: counts.reduce((a, b) => a + b, 0) };
  }

  /** The run's jobs in seq order. */
  listByRun(runId: string): Promise<JobRow[]> {
    return this.db.jobs.where('[runId+seq]').between([runId, -Infinity], [runId, Infinity]).toArray();
  }

  /** When the run next has a job to claim (a due time or a lease's end), for scheduling an alarm. */
  async nextDueAt(runId: string): Promise<number | undefined> {
    const [pending, inFlight] = await Promise.all([
      this.byStatus(runId, 'pending', -Infinity, Infinity).first(),
      this.byStatus(runId, 'inFlight', -Infinity, Infinity).first(),
    ]);
    return earliest(pending, inFlight)?.nextAttemptAt;
  }

  private firstDue(runId: string, status: JobStatus, now: number): Promise<JobRow | undefined> {
    return this.byStatus(runId, status, -Infinity, now).first();
  }

  private byStatus(runId: string, status: JobStatus, from: number, to: number) {
    return this.db.jobs.where('[runId+status+nextAttemptAt]').between([runId, status, from], [runId, status, to], true, true);
  }

  private settle(job: ClaimedJob, counts: RunCountsDelta | undefined, change: (row: ClaimedJob, now: number) => JobRow): Promise<void> {
    return this.db.transaction('rw', [this.db.jobs, this.db.runs], async () => {
      const row = await requireLease(this.db, job);
      const now = this.now();
      await this.db.jobs.put(change(row, now));
      if (hasCounts(counts)) await addRunCounts(this.db, job.runId, counts, now);
    });
  }
}

/** The job due first; equal times go to the one enqueued first. */
function earliest(a: JobRow | undefined, b: JobRow | undefined): JobRow | undefined {
  if (!a || !b) return a ?? b;
  if (a.nextAttemptAt !== b.nextAttemptAt) return a.nextAttemptAt < b.nextAttemptAt ? a : b;
  return a.id < b.id ? a : b;
}
