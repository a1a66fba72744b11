import type { FerryDB } from './db';
import type { JobRow } from './rows';

export interface NewJobBatch {
  records: readonly unknown[];
  /** Positions among the run's extracted records, beside `records` (JobRow.recordIndexes). */
  recordIndexes?: readonly number[];
  /** Defaults to a fresh random UUID; a dead-letter replay passes the original batch's key. */
  idempotencyKey?: string;
}

/**
 * Appends batches to a run's jobs after its last seq, pending and due at once. Call it inside a
 * transaction over `jobs` so the seq read and the inserts cannot interleave with another append.
 */
export async function appendJobs(db: FerryDB, runId: string, batches: readonly NewJobBatch[], now: number): Promise<JobRow[]> {
  const last = await db.jobs.where('[runId+seq]').between([runId, -Infinity], [runId, Infinity]).last();
  const firstSeq = last ? last.seq + 1 : 0;
  const rows = batches.map((batch, i): Omit<JobRow, 'id'> => ({
    runId, seq: firstSeq + i, status: 'pending', records: [...batch.records],
    ...(batch.recordIndexes ? { recordIndexes: [...batch.recordIndexes] } : {}),
    idempotencyKey: batch.idempotencyKey ?? crypto.randomUUID(),
    attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now,
  }));
  const ids = await db.jobs.bulkAdd(rows, { allKeys: true });
  return rows.map((row, i) => ({ ...row, id: ids[i] as number }));
}
