/**
 * Names one record of a job in a message the user reads (a GraphQL per-record error, a dead letter):
 * by its position among the run's extracted records, the number the reject list and template errors
 * use, and by its `id` when it has one. A job's own position (0 for every job in one-record mode)
 * would name the wrong record.
 */
import type { JobRow } from '../storage/rows';

export function recordLabel(job: Pick<JobRow, 'records' | 'recordIndexes'>, batchIndex: number): string {
  const position = job.recordIndexes?.[batchIndex];
  const id = idOf(job.records[batchIndex]);
  // Jobs stored before positions were kept, and a paginated read's jobs, know only the batch.
  const where = position !== undefined ? `record ${position}` : job.records.length === 1 ? 'the record' : `record ${batchIndex} of this batch`;
  return id === undefined ? where : `${where} (id ${JSON.stringify(id)})`;
}

function idOf(record: unknown): string | number | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const id = (record as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}
