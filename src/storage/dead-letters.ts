import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import { appendJobs } from './job-append';
import { requireLease, withoutLease, type ClaimedJob } from './job-lease';
import { addRunCounts, hasCounts, requireRun, type RunCountsDelta } from './run-counts';
import type { DeadLetterRow, JobOutcome, JobRow } from './rows';
import { isFinished } from './runs';

/** Batches that exhausted their retries, kept until the user replays or discards them. */
export class DeadLetters {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  /**
   * Moves a claimed job to the dead-letter list: the job becomes `deadLettered` and its records, key
   * and last outcome are copied, in one transaction (with optional run counts, e.g. failed).
   */
  add(job: ClaimedJob, lastOutcome: JobOutcome, options: { counts?: RunCountsDelta } = {}): Promise<DeadLetterRow> {
    return this.db.transaction('rw', [this.db.jobs, this.db.runs, this.db.deadLetters], async () => {
      const row = await requireLease(this.db, job);
      const run = await requireRun(this.db, row.runId);
      const now = this.now();
      await this.db.jobs.put({ ...withoutLease(row), status: 'deadLettered', lastOutcome, updatedAt: now });
      const letter: Omit<DeadLetterRow, 'id'> = {
        runId: row.runId, pipelineId: run.pipelineId, jobId: row.id, records: row.records,
        ...(row.recordIndexes ? { recordIndexes: row.recordIndexes } : {}),
        idempotencyKey: row.idempotencyKey, attempts: row.attempts, lastOutcome, createdAt: now,
      };
      const id = await this.db.deadLetters.add(letter);
      if (hasCounts(options.counts)) await addRunCounts(this.db, row.runId, options.counts, now);
      return { ...letter, id };
    });
  }

  /** Oldest first, for a run, a pipeline or everything. */
  list(filter: { runId?: string; pipelineId?: string } = {}): Promise<DeadLetterRow[]> {
    if (filter.runId !== undefined) return this.db.deadLetters.where('runId').equals(filter.runId).sortBy('createdAt');
    if (filter.pipelineId !== undefined) return this.db.deadLetters.where('pipelineId').equals(filter.pipelineId).sortBy('createdAt');
    return this.db.deadLetters.orderBy('createdAt').toArray();
  }

  /**
   * Moves dead letters back into their runs' queues as new jobs that keep their ORIGINAL idempotency
   * keys, so a server that did receive a batch before it was given up on can still drop the repeat.
   * A finished run is reopened (queued) so the waking worker picks the jobs up; reopening a cancelled
   * run also resumes whatever it had left pending. All or nothing: an unknown id changes nothing.
   */
  replay(ids: readonly number[]): Promise<JobRow[]> {
    const unique = [...new Set(ids)];
    return this.db.transaction('rw', [this.db.jobs, this.db.runs, this.db.deadLetters], async () => {
      const letters = await this.db.deadLetters.bulkGet(unique);
      const missing = unique.filter((_, i) => letters[i] === undefined);
      if (missing.length > 0) {
        throw new FerryError('DEAD_LETTER_NOT_FOUND', `No dead letter with id ${missing.join(', ')}; it may have been replayed or discarded already.`, { ids: missing });
      }
      const now = this.now();
      const jobs: JobRow[] = [];
      for (const letter of letters as DeadLetterRow[]) {
        const run = await requireRun(this.db, letter.runId);
        jobs.push(...await appendJobs(this.db, letter.runId, [{ records: letter.records, ...(letter.recordIndexes ? { recordIndexes: letter.recordIndexes } : {}), idempotencyKey: letter.idempotencyKey }], now));
        if (isFinished(run.status)) {
          const { finishedAt: _finished, error: _error, ...open } = run;
          await this.db.runs.put({ ...open, status: 'queued', updatedAt: now });
        }
      }
      await this.db.deadLetters.bulkDelete(unique);
      return jobs;
    });
  }

  /**
   * Drops dead letters for good, by id or all of a run's, in one transaction; returns how many went.
   * An id that is already gone (discarded or replayed before: a repeated message) is not counted.
   * The run's counts stay as they are: its `failed` records did fail, and nobody will retry them now.
   * Their jobs stay `deadLettered` in the queue, as the record of what happened to those batches.
   */
  discard(target: readonly number[] | { runId: string }): Promise<number> {
    return this.db.transaction('rw', this.db.deadLetters, async () => {
      let ids: number[];
      if (Array.isArray(target)) {
        const letters = await this.db.deadLetters.bulkGet([...new Set(target as readonly number[])]);
        ids = letters.filter((letter): letter is DeadLetterRow => letter !== undefined).map((letter) => letter.id);
      } else {
        ids = await this.db.deadLetters.where('runId').equals((target as { runId: string }).runId).primaryKeys();
      }
      await this.db.deadLetters.bulkDelete(ids);
      return ids.length;
    });
  }
}
