/** Words and figures for "Send this page": run states, progress, and failures in plain words. */
import { nothingSentAdvice, nothingSentReason } from '../../runs/nothing-sent';
import type { RunSummary } from '../../runs/run-service';
import type { DeadLetterRow, RejectRow, RunCounts, RunStatus } from '../../storage/rows';
import type { BadgeTone } from '../Badge';
import type { CalloutTone } from '../Callout';

export const runStatusLabel: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  succeeded: 'Succeeded',
  nothingSent: 'Nothing sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const runStatusTone: Record<RunStatus, BadgeTone> = {
  queued: 'neutral',
  running: 'blue',
  paused: 'amber',
  succeeded: 'green',
  nothingSent: 'amber',
  failed: 'red',
  cancelled: 'neutral',
};

/** A run that will not change again unless the user replays its dead letters. */
export function isFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'nothingSent' || status === 'failed' || status === 'cancelled';
}

export interface RunProgress {
  /** Records that reached an end: sent, failed or rejected. */
  settled: number;
  total: number;
  /** 0–100, whole numbers. */
  percent: number;
  /** Each kind's share of the bar, in percent. */
  segments: { sent: number; rejected: number; failed: number };
}

export function runProgress(counts: RunCounts): RunProgress {
  const total = Math.max(0, counts.extracted);
  const share = (n: number) => (total === 0 ? 0 : (Math.min(n, total) / total) * 100);
  const settled = Math.min(total, counts.sent + counts.failed + counts.rejected);
  return {
    settled,
    total,
    percent: total === 0 ? 0 : Math.floor((settled / total) * 100),
    segments: { sent: share(counts.sent), rejected: share(counts.rejected), failed: share(counts.failed) },
  };
}

/** Something to tell the user: what happened, and (in `detail`) what to do about it. */
export interface SendProblem {
  title: string;
  detail?: string;
  tone: CalloutTone;
}

const START_TITLES: Record<string, string> = {
  EXTRACTION_TAB_ACCESS_DENIED: 'Ferry may not read this tab',
  EXTRACTION_TAB_NOT_SCRIPTABLE: 'Ferry can’t read this page',
  EXTRACTION_NO_TAB: 'There is no tab to read',
  EXTRACTION_EMPTY: 'No records found on this page',
  EXTRACTION_TOO_LARGE: 'This page has too many records',
  EXTRACTION_TIMEOUT: 'The page did not answer',
  EXTRACTION_RESULT_INVALID: 'The page answered with something unexpected',
  EXTRACTOR_INVALID: 'The pipeline’s extractor needs fixing',
  PIPELINE_INVALID: 'The pipeline needs fixing',
  CONFIG_SYNTAX: 'The pipeline needs fixing',
  PIPELINE_UNSUPPORTED_SHAPE: 'Ferry can’t run this pipeline yet',
  PIPELINE_NOT_FOUND: 'This pipeline no longer exists',
  ENV_NOT_SET: 'A variable the pipeline reads is not set',
};

/** The FerryError code a failed message carries (`data.code`), if any. */
export function errorCode(error: unknown): string | undefined {
  const data = typeof error === 'object' && error !== null ? (error as { data?: unknown }).data : undefined;
  const code = typeof data === 'object' && data !== null ? (data as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** A failed `runs.startFromTab`: a short title, and the background's message, which says what to do next. */
export function describeStartError(error: unknown): SendProblem {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (/receiving end does not exist|could not establish connection/i.test(message)) {
    return { title: 'Ferry’s background service did not answer', detail: 'Reload Ferry on the browser’s extensions page, then try again.', tone: 'danger' };
  }
  const code = errorCode(error);
  const title = (code && START_TITLES[code]) ?? 'Could not send this page';
  const tone = code === 'EXTRACTION_EMPTY' || code === 'EXTRACTION_TAB_ACCESS_DENIED' ? 'warning' : 'danger';
  return { title, ...(message ? { detail: message } : {}), tone };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Why a finished run failed (how many records, and the first dead letter's outcome: what was tried,
 * what to do), or why it delivered nothing although nothing failed.
 */
export function runFailure(run: RunSummary, deadLetter?: DeadLetterRow): SendProblem | undefined {
  if (run.status === 'cancelled') return { title: 'The run was cancelled.', tone: 'warning' };
  if (run.status === 'nothingSent') return { title: nothingSentReason(run.counts), detail: nothingSentAdvice(run.counts), tone: 'warning' };
  if (run.status !== 'failed') return undefined;
  const { failed, sent } = run.counts;
  const title = failed > 0 ? `${plural(failed, 'record', 'records')} could not be delivered${sent > 0 ? ` (${sent} ${sent === 1 ? 'was' : 'were'})` : ''}` : 'The run failed';
  const outcome = deadLetter?.lastOutcome;
  const detail = outcome?.message ?? (outcome ? `Last outcome: ${outcome.label}${outcome.httpStatus ? ` (HTTP ${outcome.httpStatus})` : ''}.` : run.error?.message);
  return { title, ...(detail ? { detail } : {}), tone: 'danger' };
}

/** Records the pipeline's validation kept back, with the first one's reasons. */
export function rejectNote(run: RunSummary, first?: RejectRow): SendProblem | undefined {
  const count = run.counts.rejected;
  if (count === 0) return undefined;
  const title = `${plural(count, 'record was', 'records were')} rejected and not sent`;
  const reasons = first?.reasons.map((r) => r.message).join('; ');
  return { title, ...(reasons ? { detail: count === 1 ? reasons : `First: ${reasons}` } : {}), tone: 'warning' };
}
