import { useEffect, useRef } from 'react';
import type { RunSummary } from '../../../runs/run-service';
import type { BackgroundSend } from '../../background';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { MISSING } from '../../format';
import { isFinished, runFailure } from '../../popup/runStatusText';
import { RichText } from '../../RichText';
import { RunCountsBar, RunCountsLegend } from '../../runs/RunCounts';
import { formatCount, formatDuration, formatFullTime, formatWhen, plural, runDuration } from '../../runs/runFormat';
import { RunStatusBadge } from '../../runs/RunStatusBadge';
import { Skeleton } from '../../Skeleton';
import { Stat } from '../../Stat';
import { linkClass, mutedClass } from '../../table';
import { useLoader, type Loaded } from '../../useLoader';
import type { DeadLetterRow } from '../../../storage/rows';
import { AuditCard } from './AuditCard';
import { DeadLettersCard } from './DeadLettersCard';
import { JobsCard } from './JobsCard';
import { RejectsCard } from './RejectsCard';

/** How often an unfinished run is read again. */
export const RUN_DETAIL_POLL_MS = 1000;

/** One run: its counts, its error in plain words, dead letters (replay, discard), rejects, batches, audit. */
export function RunDetail({ runId, send }: { runId: string; send: BackgroundSend }) {
  const run = useLoader(`run:${runId}`, () => send('runs.get', { runId }), (r) => (r && !isFinished(r.status) ? RUN_DETAIL_POLL_MS : undefined));
  const pipelines = useLoader('pipelines', () => send('pipelines.list', undefined));
  const letters = useLoader(`dead:${runId}`, () => send('runs.deadLetters', { runId }));
  const heading = useRef<HTMLHeadingElement>(null);
  const summary = run.value ?? undefined;
  const live = summary !== undefined && !isFinished(summary.status);
  // The run's row changes with every settled batch: the lists below are read again when it does.
  const version = summary ? `${summary.status}:${summary.updatedAt}:${summary.deadLetters}:${summary.jobs.total}` : '';
  // The name it ran under; runs from before names were recorded show the pipeline's current one.
  const name = summary?.pipelineName ?? pipelines.value?.find((p) => p.id === summary?.pipelineId)?.name;

  // Opening a run moves focus to its heading, as switching sections does.
  useEffect(() => {
    if (summary) heading.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [summary !== undefined]);

  const back = (
    <a href="#/runs" className={`${linkClass} inline-flex items-center gap-1 text-sm`} data-testid="run-back">
      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5" fill="none">
        <path d="M10 3.5 5.5 8 10 12.5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      All runs
    </a>
  );

  if (run.loading) {
    return (
      <div className="space-y-4" data-testid="run-detail-loading" role="status" aria-label="Loading the run">
        {back}
        <Skeleton className="h-40 w-full rounded-xl" />
        <Skeleton className="h-24 w-full rounded-xl" />
      </div>
    );
  }
  if (!summary) {
    return (
      <div className="space-y-4">
        {back}
        {run.error ? (
          <Callout tone="danger" title="Could not load this run" data-testid="run-detail-error">
            <p>{run.error}</p>
            <Button variant="secondary" className="mt-2" onClick={() => void run.reload()}>
              Try again
            </Button>
          </Callout>
        ) : (
          <Callout tone="warning" title="This run no longer exists" data-testid="run-detail-missing">
            No run has the id <code>{runId}</code>. Pick one from the run history.
          </Callout>
        )}
      </div>
    );
  }

  return (
    <div className="space-y-4" data-testid="run-detail" data-status={summary.status}>
      {back}
      <Card data-testid="run-overview">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h2 ref={heading} tabIndex={-1} className="truncate text-base font-semibold tracking-tight outline-none" data-testid="run-pipeline">
              {name ?? summary.pipelineId}
            </h2>
            <p className={`mt-0.5 font-mono text-[11px] break-all ${mutedClass}`} data-testid="run-id">
              Run {summary.id}
            </p>
          </div>
          <div className="flex items-center gap-2">
            {live && <span className={`text-xs ${mutedClass}`}>Updating live</span>}
            <RunStatusBadge status={summary.status} data-testid="run-detail-status" />
          </div>
        </div>
        <dl className="mt-4 grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
          <Stat label="Extracted" value={formatCount(summary.counts.extracted)} data-testid="run-count-extracted" />
          <Stat label="Sent" value={formatCount(summary.counts.sent)} data-testid="run-count-sent" />
          <Stat label="Rejected" value={formatCount(summary.counts.rejected)} data-testid="run-count-rejected" />
          <Stat label="Failed" value={formatCount(summary.counts.failed)} data-testid="run-count-failed" />
          <Stat label="Retried" value={formatCount(summary.counts.retried)} data-testid="run-count-retried" />
          <Stat label="Duration" value={formatDuration(runDuration(summary))} data-testid="run-duration" />
        </dl>
        <div className="mt-4 space-y-2">
          <RunCountsBar counts={summary.counts} data-testid="run-detail-progress" />
          <div className="flex flex-wrap items-center justify-between gap-2">
            <RunCountsLegend counts={summary.counts} />
            <p className={`text-xs ${mutedClass}`}>
              Started <time title={formatFullTime(summary.startedAt)}>{summary.startedAt ? formatWhen(summary.startedAt) : MISSING}</time>
              {summary.finishedAt !== undefined && (
                <>
                  {' · '}finished <time title={formatFullTime(summary.finishedAt)}>{formatWhen(summary.finishedAt)}</time>
                </>
              )}
            </p>
          </div>
          <p className={`text-xs ${mutedClass}`} data-testid="run-jobs">
            {jobsLine(summary)}
          </p>
        </div>
        <RunProblem summary={summary} letters={letters} />
        {run.error && (
          <Callout tone="warning" title="Lost track of the run for a moment; showing the last answer." className="mt-3">
            {run.error}
          </Callout>
        )}
      </Card>
      <DeadLettersCard runId={runId} send={send} letters={letters} version={version} onChanged={() => void run.reload()} />
      <RejectsCard runId={runId} send={send} version={version} count={summary.counts.rejected} />
      <JobsCard runId={runId} send={send} version={version} />
      <AuditCard runId={runId} send={send} version={version} />
    </div>
  );
}

function jobsLine(summary: RunSummary): string {
  const { jobs } = summary;
  if (jobs.total === 0) return 'No batches: nothing was left to send after validation.';
  const parts = [
    jobs.done > 0 && `${formatCount(jobs.done)} done`,
    jobs.pending > 0 && `${formatCount(jobs.pending)} waiting`,
    jobs.inFlight > 0 && `${formatCount(jobs.inFlight)} sending`,
    jobs.failed > 0 && `${formatCount(jobs.failed)} failed`,
    jobs.deadLettered > 0 && `${formatCount(jobs.deadLettered)} dead-lettered`,
  ].filter(Boolean);
  return `${plural(jobs.total, 'batch', 'batches')}: ${parts.join(', ')}.`;
}

/** The run's error in plain words, with the next step. */
function RunProblem({ summary, letters }: { summary: RunSummary; letters: Loaded<DeadLetterRow[]> }) {
  // The first dead letter's outcome names the cause (what was sent where, what came back).
  const failure = runFailure(summary, letters.value?.[0]);
  if (summary.status === 'succeeded' && summary.counts.failed > 0) {
    // Counts only grow: records that failed and were delivered by a replay stay in `failed`.
    return (
      <Callout tone="info" title="Every record was delivered in the end" className="mt-4" data-testid="run-recovered">
        {plural(summary.counts.failed, 'record', 'records')} failed at first and went through when replayed.
      </Callout>
    );
  }
  if (!failure && !summary.error) return null;
  const detail = failure?.detail ?? summary.error?.message;
  const next =
    summary.deadLetters > 0
      ? `Fix the cause, then replay the ${summary.deadLetters === 1 ? 'dead letter' : 'dead letters'} below: each is sent again with its original Idempotency-Key.`
      : undefined;
  return (
    <Callout tone={failure?.tone ?? 'danger'} title={failure?.title ?? 'The run reported a problem'} className="mt-4" data-testid="run-error">
      {detail && <RichText text={detail} />}
      {next && (
        <p className="mt-1">
          <span className="font-medium">Next step: </span>
          {next}
        </p>
      )}
    </Callout>
  );
}
