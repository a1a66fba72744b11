/**
 * Read-only pages of a run's jobs for run history: each job's status, attempts and outcome, with a
 * short preview of its first record. No lease fields, no idempotency machinery beyond the key, and
 * never more than a preview of the records (a run may hold 10,000 of them).
 */
import type { FerryDB } from './db';
import type { JobRow, JobStatus } from './rows';

const PREVIEW_CHARS = 160;
const MAX_PAGE = 500;

/** One job (a batch of records) as run history shows it. */
export interface JobSummary {
  id: number;
  seq: number;
  status: JobStatus;
  attempts: number;
  /** How many records the batch holds. */
  records: number;
  /** The first record as JSON, cut to 160 characters. Mapped records never hold credentials. */
  preview: string;
  idempotencyKey: string;
  /** The last attempt's outcome; `details` keeps only scalar facts (inserted, path, pages...). */
  outcome?: { label: string; httpStatus?: number; message?: string; details?: Record<string, string | number | boolean> };
  updatedAt: number;
}

export interface JobSummaryPage {
  /** All of the run's jobs, not only this page's. */
  total: number;
  offset: number;
  jobs: JobSummary[];
}

export function recordPreview(record: unknown, max = PREVIEW_CHARS): string {
  let text: string;
  try {
    text = JSON.stringify(record) ?? String(record);
  } catch {
    text = String(record);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function scalarDetails(details: Record<string, unknown> | undefined): Record<string, string | number | boolean> | undefined {
  if (!details) return undefined;
  const kept = Object.entries(details).filter((entry): entry is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof entry[1]));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

export function toJobSummary(job: JobRow): JobSummary {
  const outcome = job.lastOutcome;
  const details = scalarDetails(outcome?.details);
  return {
    id: job.id,
    seq: job.seq,
    status: job.status,
    attempts: job.attempts,
    records: job.records.length,
    preview: recordPreview(job.records[0]),
    idempotencyKey: job.idempotencyKey,
    ...(outcome
      ? {
          outcome: {
            label: outcome.label,
            ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
            ...(outcome.message !== undefined ? { message: outcome.message } : {}),
            ...(details ? { details } : {}),
          },
        }
      : {}),
    updatedAt: job.updatedAt,
  };
}

/** The run's jobs in seq order, `limit` (at most 500) from `offset`, with the run's total. */
export async function listJobSummaries(db: FerryDB, runId: string, options: { offset?: number; limit?: number } = {}): Promise<JobSummaryPage> {
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(options.limit ?? 100)));
  const range = () => db.jobs.where('[runId+seq]').between([runId, -Infinity], [runId, Infinity]);
  const [total, rows] = await Promise.all([range().count(), range().offset(offset).limit(limit).toArray()]);
  return { total, offset, jobs: rows.map(toJobSummary) };
}
