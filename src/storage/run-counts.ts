import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import type { RunCounts, RunRow } from './rows';

export const ZERO_COUNTS: Readonly<RunCounts> = Object.freeze({ extracted: 0, rejected: 0, sent: 0, failed: 0, retried: 0 });

export type RunCountsDelta = Partial<RunCounts>;

export function runNotFound(runId: string): FerryError {
  return new FerryError('RUN_NOT_FOUND', `Run ${runId} does not exist (it may have been deleted).`, { runId });
}

/** The run, or RUN_NOT_FOUND. Inside a transaction that includes `runs`, the read is part of it. */
export async function requireRun(db: FerryDB, runId: string): Promise<RunRow> {
  const run = await db.runs.get(runId);
  if (!run) throw runNotFound(runId);
  return run;
}

/**
 * Adds `delta` to a run's counts. Callers run it in the same transaction as the change being counted
 * (a job settling, rejects being stored), so a worker that stops between the two can neither lose
 * nor double a count.
 */
export async function addRunCounts(db: FerryDB, runId: string, delta: RunCountsDelta, now: number): Promise<RunRow> {
  const run = await requireRun(db, runId);
  const counts = { ...run.counts };
  for (const field of Object.keys(ZERO_COUNTS) as (keyof RunCounts)[]) counts[field] += delta[field] ?? 0;
  const updated: RunRow = { ...run, counts, updatedAt: now };
  await db.runs.put(updated);
  return updated;
}

export function hasCounts(delta: RunCountsDelta | undefined): delta is RunCountsDelta {
  return delta !== undefined && Object.values(delta).some((n) => n !== 0 && n !== undefined);
}
