/**
 * Group commit for job settlements. Lanes hand in what a job came to (its queue change, the audit
 * entries of its requests, its processed results, a response to cache) and go on to their next
 * request; whatever arrives while one transaction commits goes into the next one. IndexedDB runs
 * readwrite transactions on the same stores one at a time and each costs about a millisecond
 * whatever it holds, so one transaction per handful of jobs instead of three per job is most of the
 * engine's throughput.
 *
 * Nothing about delivery guarantees changes: a settlement is durable when its promise resolves, and
 * a worker that stops before that leaves the job in flight, to be sent again with the same
 * Idempotency-Key once its lease is released. A job's audit entries commit in the same transaction
 * as its settlement, so the audit trail and the queue never disagree.
 *
 * A claim that turned out lost (someone else holds the job now) is skipped and its promise rejects
 * with JOB_LEASE_LOST; the others commit. If a whole transaction fails, each settlement is tried on
 * its own; one whose results or cache write fails (quota) is committed without them, the problem
 * noted on the job's outcome: a delivered batch must never be sent again because its result could
 * not be stored.
 */
import type { NewAuditEntry } from '../storage/audit';
import type { JobSettlement } from '../storage/job-queue';
import { leaseLost } from '../storage/job-lease';
import type { CacheableResponse } from '../storage/response-cache';
import type { JobOutcome } from '../storage/rows';
import type { RunRepositories } from './types';

export interface ResultWrite {
  key: string;
  value: unknown;
}

export interface Settlement {
  /** The job's queue change; absent when only audit entries (and results) are left to write. */
  job?: JobSettlement;
  audit: readonly NewAuditEntry[];
  /** resultProcessing's output; written only while the claim holds (or with no job). */
  results?: readonly ResultWrite[];
  /** A GET's response for the useCache fallback; written only while the claim holds. */
  cache?: { response: CacheableResponse; ttlMs: number };
}

interface Pending {
  settlement: Settlement;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SettleWriter {
  private waiting: Pending[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly repos: Pick<RunRepositories, 'db' | 'jobs' | 'audit' | 'results' | 'responseCache'>) {}

  /** Resolves once the settlement is committed. */
  submit(settlement: Settlement): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ settlement, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Settlements handed in and not yet committed. */
  get backlog(): number {
    return this.waiting.length;
  }

  /** Resolves when everything handed in so far has been committed or has failed. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    // Let the lanes whose responses arrived in this same turn join the first transaction.
    await Promise.resolve();
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting;
        this.waiting = [];
        await this.commit(batch);
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async commit(batch: readonly Pending[]): Promise<void> {
    let held: boolean[];
    try {
      held = await this.write(batch.map((p) => p.settlement));
    } catch (error) {
      if (batch.length > 1) {
        for (const pending of batch) await this.commit([pending]);
        return;
      }
      const [only] = batch;
      const reduced = only && withoutExtras(only.settlement, error);
      if (only && reduced) return this.commit([{ ...only, settlement: reduced }]);
      only?.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const job = pending.settlement.job;
      if (job && !held[i]) pending.reject(leaseLost(job.job));
      else pending.resolve();
    });
  }

  /** One transaction for all of them; returns, per settlement, whether its claim held (true with no job). */
  private write(settlements: readonly Settlement[]): Promise<boolean[]> {
    const { db, jobs, audit, results, responseCache } = this.repos;
    return db.transaction('rw', [db.jobs, db.runs, db.audit, db.results, db.responseCache], async () => {
      const withJob = settlements.flatMap((s) => (s.job ? [s.job] : []));
      const jobHeld = await jobs.settleAll(withJob);
      let next = 0;
      const held = settlements.map((s) => (s.job ? jobHeld[next++]! : true));
      await audit.appendAll(settlements.flatMap((s) => s.audit));
      await results.putAll(settlements.flatMap((s, i) => (held[i] ? (s.results ?? []) : [])));
      for (const [i, s] of settlements.entries()) if (held[i] && s.cache) await responseCache.put(s.cache.response, s.cache.ttlMs);
      return held;
    });
  }
}

/**
 * The settlement without its results and cache write, the reason noted on the job's outcome; undefined
 * when there was nothing to drop (the failure is the queue's or the audit's, and is the caller's).
 */
function withoutExtras(settlement: Settlement, error: unknown): Settlement | undefined {
  if (!settlement.results?.length && !settlement.cache) return undefined;
  const reason = error instanceof Error ? error.name : 'unknown error';
  const problems = [
    ...(settlement.results?.length ? [`the result was not stored: ${reason}`] : []),
    ...(settlement.cache ? [`the response was not cached: ${reason}`] : []),
  ];
  const { results: _results, cache: _cache, ...rest } = settlement;
  if (!rest.job) return rest;
  const outcome: JobOutcome = rest.job.to.outcome ?? { label: 'success' };
  const earlier = Array.isArray(outcome.details?.resultProblems) ? (outcome.details.resultProblems as unknown[]) : [];
  const noted: JobOutcome = { ...outcome, details: { ...outcome.details, resultProblems: [...earlier, ...problems] } };
  return { ...rest, job: { ...rest.job, to: { ...rest.job.to, outcome: noted } } as JobSettlement };
}
