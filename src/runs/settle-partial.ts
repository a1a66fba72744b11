/**
 * A GraphQL batch in which some records failed (per-record errors in a 200 response): the job is
 * done for the records that went through, and the failed ones become ONE dead letter of their own,
 * all in one transaction. The letter gets a key derived from the batch's (`<key>:failed`), fixed
 * here once: it carries different records than the batch did, so a server that remembers the
 * batch's key must not answer its replay with the batch's old response.
 *
 * DeadLetters.add only moves whole jobs, so this writes the rows itself with the storage layer's own
 * lease check and count helpers (a candidate for a DeadLetters method).
 */
import type { FerryDB } from '../storage/db';
import { requireLease, withoutLease, type ClaimedJob } from '../storage/job-lease';
import { addRunCounts, requireRun, type RunCountsDelta } from '../storage/run-counts';
import type { DeadLetterRow, JobOutcome } from '../storage/rows';

export interface PartialSettlement {
  doneOutcome: JobOutcome;
  failedRecords: unknown[];
  /** The failed records' positions in the run, beside failedRecords (when the job knows them). */
  failedRecordIndexes?: number[];
  failedOutcome: JobOutcome;
  counts: RunCountsDelta;
}

export function settlePartially(db: FerryDB, now: () => number, job: ClaimedJob, settlement: PartialSettlement): Promise<void> {
  return db.transaction('rw', [db.jobs, db.runs, db.deadLetters], async () => {
    const row = await requireLease(db, job);
    const run = await requireRun(db, row.runId);
    const at = now();
    await db.jobs.put({ ...withoutLease(row), status: 'done', lastOutcome: settlement.doneOutcome, updatedAt: at });
    const letter: Omit<DeadLetterRow, 'id'> = {
      runId: row.runId, pipelineId: run.pipelineId, jobId: row.id, records: settlement.failedRecords,
      ...(settlement.failedRecordIndexes ? { recordIndexes: settlement.failedRecordIndexes } : {}),
      idempotencyKey: `${row.idempotencyKey}:failed`, attempts: row.attempts, lastOutcome: settlement.failedOutcome, createdAt: at,
    };
    await db.deadLetters.add(letter as DeadLetterRow);
    await addRunCounts(db, row.runId, settlement.counts, at);
  });
}
