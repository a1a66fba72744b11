/**
 * Advances every active run by claiming and settling its due jobs, a few at a time (`concurrency`
 * lanes, each working on its own job: claims are leased, so two lanes never hold one job), round-robin
 * across runs so a large run does not starve a small one. Lanes asking for work at the same time share
 * one claim (claim-buffer.ts) and settlements commit in groups (settle-writer.ts), so storage costs a
 * few transactions per handful of jobs while the requests keep going. Everything it does is persisted before
 * and after each job, so a worker may stop at any point: a job it held is claimed again when its
 * lease expires (or when the next worker releases it) and sent with the same Idempotency-Key.
 *
 * Returns when nothing is due now, the time budget is spent, or the signal aborts, with the time a
 * run next has work, for the caller to schedule a wake-up (chrome.alarms; timers die with the worker).
 */
import type { CredentialResolver } from '../pipeline';
import { DEFAULT_LEASE_MS } from '../storage/job-queue';
import type { RunRow } from '../storage/rows';
import { ClaimBuffer } from './claim-buffer';
import { finalizeIfDone } from './finalize-run';
import { HeldLeases } from './held-leases';
import { processJob } from './process-job';
import { runContext, type RunContext } from './run-context';
import { SettleWriter } from './settle-writer';
import type { DriveOptions, DriveResult, RunDeps } from './types';

export const DEFAULT_MAX_WORK_MS = 20_000;
/** Jobs in flight at once per drive unless the caller asks for more (the background does). */
export const DEFAULT_CONCURRENCY = 1;
/** Jobs claimed at once per lane (claims cost a transaction each; the ones ahead cost no attempt). */
const CLAIM_BATCH_PER_LANE = 4;
/** Settlements waiting to commit before a lane waits for its own. */
const MAX_SETTLE_BACKLOG = 64;

export async function drive(deps: RunDeps, options: DriveOptions): Promise<DriveResult> {
  const { jobs, runs } = deps.repos;
  const deadline = performance.now() + (options.maxWorkMs ?? DEFAULT_MAX_WORK_MS);
  const stopped = () => options.signal?.aborted === true || performance.now() >= deadline;
  const resumable = await runs.listResumable();
  const contexts = new Map<string, Promise<RunContext | Error>>();
  const active = new Set(resumable.map((run) => run.id));
  const concurrency = Math.max(1, Math.floor(deps.concurrency ?? DEFAULT_CONCURRENCY));
  const held = new HeldLeases(jobs, deps.leaseMs ?? DEFAULT_LEASE_MS, deps.onError);
  const claims = new ClaimBuffer(jobs, held, { owner: options.owner, lanes: concurrency, batch: concurrency * CLAIM_BATCH_PER_LANE, ...(deps.leaseMs !== undefined ? { leaseMs: deps.leaseMs } : {}) });
  const writer = new SettleWriter(deps.repos);
  const settling = new Set<Promise<void>>();
  // Credentials are read from the vault once per drive, not once per job; they live in memory only
  // while this drive runs.
  // A credential renewed after a 401 (an OAuth access token) is read again by the next rendering.
  const credentials = memoizeCredentials(deps.resolveCredential);
  const { refreshCredential } = deps;
  const jobDeps: RunDeps = {
    ...deps,
    resolveCredential: credentials.resolve,
    ...(refreshCredential ? { refreshCredential: async (name: string, renderedAt: number) => credentials.forgetIf(name, await refreshCredential(name, renderedAt)) } : {}),
  };
  let processed = 0;
  let cursor = 0;

  /** The next run with work, round-robin; undefined when none is left. */
  const nextRun = (): RunRow | undefined => {
    for (let i = 0; i < resumable.length; i += 1) {
      const run = resumable[(cursor + i) % resumable.length]!;
      if (active.has(run.id)) {
        cursor = (cursor + i + 1) % resumable.length;
        return run;
      }
    }
    return undefined;
  };

  const lane = async (): Promise<void> => {
    while (!stopped()) {
      const run = nextRun();
      if (!run) return;
      const job = await claims.next(run.id);
      if (!job) {
        active.delete(run.id);
        continue;
      }
      let context = contexts.get(run.id);
      if (!context) contexts.set(run.id, (context = contextFor(deps, run)));
      const { settled } = await processJob(jobDeps, await context, job, { held, writer, ...(options.signal ? { signal: options.signal } : {}) });
      processed += 1;
      // The lane goes on to its next request while the settlement commits with others'. A lost lease
      // or a storage failure leaves the job to its lease: it is sent again with the same key.
      const tracked = settled.catch((error: unknown) => deps.onError?.(error)).finally(() => settling.delete(tracked));
      settling.add(tracked);
      // Bounded: a storage layer slower than the network must not pile up settlements in memory.
      if (writer.backlog >= MAX_SETTLE_BACKLOG) await tracked;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    await Promise.all(settling);
    const unstarted = await claims.unclaimed();
    for (const job of unstarted) held.drop(job);
    held.stop();
    if (unstarted.length > 0) await jobs.release(unstarted).catch((error: unknown) => deps.onError?.(error));
  }

  for (const run of resumable) {
    try {
      await finalizeIfDone(deps, run.id);
    } catch (error) {
      deps.onError?.(error);
    }
  }
  const nextDueAt = await earliestDue(deps);
  return nextDueAt === undefined ? { processed } : { processed, nextDueAt };
}

/** One vault read per credential name per drive; a failed read is not remembered (the vault may unlock). */
function memoizeCredentials(resolve: CredentialResolver): { resolve: CredentialResolver; forgetIf(name: string, renewed: boolean): boolean } {
  const known = new Map<string, Promise<string | undefined>>();
  return {
    resolve: (name) => {
      let value = known.get(name);
      if (!value) {
        value = resolve(name);
        known.set(name, value);
        value.catch(() => known.delete(name));
      }
      return value;
    },
    forgetIf: (name, renewed) => {
      if (renewed) known.delete(name);
      return renewed;
    },
  };
}

/** Compiled once per run; marks the run running on its first job. A pipeline that no longer loads dead-letters each job with the reason. */
async function contextFor(deps: RunDeps, run: RunRow): Promise<RunContext | Error> {
  let context: RunContext | Error;
  try {
    context = await runContext(deps.repos.db, run);
  } catch (error) {
    context = error instanceof Error ? error : new Error(String(error));
  }
  if (run.status === 'queued') {
    try {
      await deps.repos.runs.setStatus(run.id, 'running');
    } catch (error) {
      deps.onError?.(error);
    }
  }
  return context;
}

async function earliestDue(deps: RunDeps): Promise<number | undefined> {
  const due = await Promise.all((await deps.repos.runs.listResumable()).map((run) => deps.repos.jobs.nextDueAt(run.id)));
  const times = due.filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.min(...times) : undefined;
}
