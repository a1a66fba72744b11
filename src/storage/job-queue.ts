import type { FerryDB } from './db';
import { appendJobs, type NewJobBatch } from './job-append';
import { holds, leaseLost, withoutLease, type ClaimedJob } from './job-lease';
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
  async claimNext(runId: string, owner: string, options: { leaseMs?: number } = {}): Promise<ClaimedJob | undefined> {
    return (await this.claimMany(runId, owner, 1, options))[0];
  }

  /**
   * Claims up to `max` runnable jobs at once, in the order claimNext would hand them out, in one
   * transaction: a drive keeping several requests in flight pays for one claim per handful of jobs
   * instead of one per job. Every claimed job is leased; see renewLeases for keeping them.
   *
   * Only the first `charge` (default: all) count as attempts (`attempts` + 1): they are about to be
   * sent. The rest are claimed ahead (`claimedAhead`) and cost nothing if the worker dies before
   * sending them. A batch that keeps killing its worker is still charged each time: after a restart
   * the drive's first claim is on demand, and the jobs its predecessor held are due first.
   */
  claimMany(runId: string, owner: string, max: number, options: { leaseMs?: number; charge?: number } = {}): Promise<ClaimedJob[]> {
    return this.db.transaction('rw', [this.db.jobs, this.db.runs], async () => {
      const run = await this.db.runs.get(runId);
      if (!run || (run.status !== 'queued' && run.status !== 'running')) return [];
      const now = this.now();
      const limit = Math.max(1, Math.floor(max));
      const [pending, expired] = await Promise.all([this.due(runId, 'pending', now, limit), this.due(runId, 'inFlight', now, limit)]);
      const next = [...pending, ...expired].sort(byDueThenId).slice(0, limit);
      const leaseUntil = now + (options.leaseMs ?? this.leaseMs);
      const charge = options.charge ?? limit;
      const claimed = next.map((row, i): ClaimedJob => {
        const ahead = i >= charge;
        return {
          ...withoutLease(row), status: 'inFlight', attempts: row.attempts + (ahead ? 0 : 1), leaseId: crypto.randomUUID(), leaseOwner: owner,
          leaseUntil, nextAttemptAt: leaseUntil, updatedAt: now, ...(ahead ? { claimedAhead: true as const } : {}),
        };
      });
      if (claimed.length > 0) await this.db.jobs.bulkPut(claimed);
      return claimed;
    });
  }

  /** Extends a held lease (a long request); JOB_LEASE_LOST if the claim is gone. */
  async renewLease(job: ClaimedJob, leaseMs: number = this.leaseMs): Promise<ClaimedJob> {
    const [renewed] = await this.renewLeases([job], leaseMs);
    if (!renewed) throw leaseLost(job);
    return renewed;
  }

  /**
   * Extends every lease in `held` that is still this claim's, in one transaction; returns the renewed
   * jobs. A job missing from the result was lost (expired and claimed by someone else, or settled).
   */
  renewLeases(held: readonly ClaimedJob[], leaseMs: number = this.leaseMs): Promise<ClaimedJob[]> {
    if (held.length === 0) return Promise.resolve([]);
    return this.db.transaction('rw', this.db.jobs, async () => {
      const rows = await this.db.jobs.bulkGet(held.map((job) => job.id));
      const now = this.now();
      const renewed = held.flatMap((job, i): ClaimedJob[] => {
        const row = rows[i];
        return row && holds(row, job) ? [{ ...(row as ClaimedJob), leaseUntil: now + leaseMs, nextAttemptAt: now + leaseMs, updatedAt: now }] : [];
      });
      if (renewed.length > 0) await this.db.jobs.bulkPut(renewed);
      return renewed;
    });
  }

  /**
   * Gives claimed jobs back untouched: pending, due now, and the claim not counted as an attempt. For
   * jobs a drive claimed ahead and did not get to (its time budget ran out). Lost claims are skipped.
   */
  release(held: readonly ClaimedJob[]): Promise<number> {
    if (held.length === 0) return Promise.resolve(0);
    return this.db.transaction('rw', this.db.jobs, async () => {
      const rows = await this.db.jobs.bulkGet(held.map((job) => job.id));
      const now = this.now();
      const released = held.flatMap((job, i): JobRow[] => {
        const row = rows[i];
        return row && holds(row, job) ? [{ ...withoutLease(row), status: 'pending', attempts: row.claimedAhead ? row.attempts : Math.max(0, row.attempts - 1), nextAttemptAt: now, updatedAt: now }] : [];
      });
      if (released.length > 0) await this.db.jobs.bulkPut(released);
      return released.length;
    });
  }

  /** The batch was delivered. A done job is never claimed again. */
  markDone(job: ClaimedJob, options: SettleOptions & { outcome?: JobOutcome } = {}): Promise<void> {
    return this.settleOne({ job, to: { status: 'done', ...(options.outcome ? { outcome: options.outcome } : {}) }, ...counted(options) });
  }

  /** The batch failed for good (a final outcome such as validation_error). */
  markFailed(job: ClaimedJob, outcome: JobOutcome, options: SettleOptions = {}): Promise<void> {
    return this.settleOne({ job, to: { status: 'failed', outcome }, ...counted(options) });
  }

  /** Gives the job back to be claimed again no earlier than `at` (a backoff, Retry-After, an open circuit). */
  retryAt(job: ClaimedJob, at: number, outcome: JobOutcome, options: SettleOptions = {}): Promise<void> {
    return this.settleOne({ job, to: { status: 'pending', at, outcome }, ...counted(options) });
  }

  /**
   * Settles several claims in one transaction, with each run's counts added once. A claim that was
   * lost is not recorded; its entry in the result is false and the others still settle. Called inside
   * a wider transaction (jobs and runs in its scope), it becomes part of that one.
   */
  settleAll(settlements: readonly JobSettlement[]): Promise<boolean[]> {
    if (settlements.length === 0) return Promise.resolve([]);
    return this.db.transaction('rw', [this.db.jobs, this.db.runs], async () => {
      const rows = await this.db.jobs.bulkGet(settlements.map((s) => s.job.id));
      const now = this.now();
      const held = settlements.map((s, i) => rows[i] !== undefined && holds(rows[i]!, s.job));
      const changed = settlements.flatMap((s, i) => (held[i] ? [settledRow(rows[i]!, s.to, now)] : []));
      await this.db.jobs.bulkPut(changed);
      const totals = new Map<string, RunCountsDelta>();
      settlements.forEach((s, i) => {
        if (held[i] && hasCounts(s.counts)) totals.set(s.job.runId, sumCounts(totals.get(s.job.runId), s.counts));
      });
      for (const [runId, counts] of totals) await addRunCounts(this.db, runId, counts, now);
      return held;
    });
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
      // Due as of when they were enqueued, so they go before jobs enqueued later: the next drive's
      // first claim, which counts its jobs as attempts, reaches them (a batch that kills its worker
      // must use up its attempts, not ride along uncounted in claims taken ahead).
      await this.db.jobs.bulkPut(abandoned.map((job) => ({ ...withoutLease(job), status: 'pending' as const, nextAttemptAt: Math.min(job.createdAt, now), updatedAt: now })));
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

  private due(runId: string, status: JobStatus, now: number, limit: number): Promise<JobRow[]> {
    return this.byStatus(runId, status, -Infinity, now).limit(limit).toArray();
  }

  private byStatus(runId: string, status: JobStatus, from: number, to: number) {
    return this.db.jobs.where('[runId+status+nextAttemptAt]').between([runId, status, from], [runId, status, to], true, true);
  }

  private async settleOne(settlement: JobSettlement): Promise<void> {
    const [held] = await this.settleAll([settlement]);
    if (!held) throw leaseLost(settlement.job);
  }

  /**
   * Saves a paginated read's checkpoint on a claimed job, with its outcome so far and run counts, if
   * the claim still holds (checked as settleAll does); false when it was lost, and nothing is written.
   * `to.status` 'inFlight' keeps the job claimed under the same lease (its claimer reads on); the
   * other targets settle it as settleAll would, checkpoint kept. Called inside a wider transaction
   * (the page's results and audit entries, src/runs/save-page.ts), it becomes part of that one.
   */
  saveCheckpoint(job: ClaimedJob, checkpoint: NonNullable<JobRow['checkpoint']>, to: CheckpointTo, counts?: RunCountsDelta): Promise<boolean> {
    return this.db.transaction('rw', [this.db.jobs, this.db.runs], async () => {
      const row = await this.db.jobs.get(job.id);
      if (!row || !holds(row, job)) return false;
      const now = this.now();
      const saved: JobRow = { ...row, checkpoint, lastOutcome: to.outcome, updatedAt: now };
      await this.db.jobs.put(to.status === 'inFlight' ? saved : settledRow(saved, to, now));
      if (hasCounts(counts)) await addRunCounts(this.db, job.runId, counts, now);
      return true;
    });
  }
}

/** Where a settled job goes: done, failed for good, or back to pending until `at`. */
export type SettleTo = { status: 'done'; outcome?: JobOutcome } | { status: 'failed'; outcome: JobOutcome } | { status: 'pending'; at: number; outcome: JobOutcome };

export interface JobSettlement {
  job: ClaimedJob;
  to: SettleTo;
  /** Added to the run's counts in the same transaction. */
  counts?: RunCountsDelta;
}

function settledRow(row: JobRow, to: SettleTo, now: number): JobRow {
  const base = { ...withoutLease(row), ...(to.outcome ? { lastOutcome: to.outcome } : {}), updatedAt: now };
  return to.status === 'pending' ? { ...base, status: 'pending', nextAttemptAt: to.at } : { ...base, status: to.status };
}

function counted(options: SettleOptions): { counts?: RunCountsDelta } {
  return options.counts ? { counts: options.counts } : {};
}

function sumCounts(a: RunCountsDelta | undefined, b: RunCountsDelta): RunCountsDelta {
  const sum: RunCountsDelta = { ...a };
  for (const [field, n] of Object.entries(b) as [keyof RunCountsDelta, number | undefined][]) sum[field] = (sum[field] ?? 0) + (n ?? 0);
  return sum;
}

function byDueThenId(a: JobRow, b: JobRow): number {
  return a.nextAttemptAt - b.nextAttemptAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The job due first; equal times go to the one enqueued first. */
function earliest(a: JobRow | undefined, b: JobRow | undefined): JobRow | undefined {
  if (!a || !b) return a ?? b;
  if (a.nextAttemptAt !== b.nextAttemptAt) return a.nextAttemptAt < b.nextAttemptAt ? a : b;
  return a.id < b.id ? a : b;
}

/** Where a job goes with its read checkpoint: still in flight (reading on), or settled. */
export type CheckpointTo = { status: 'inFlight'; outcome: JobOutcome } | (SettleTo & { outcome: JobOutcome });
