import { useId } from 'react';
import type { RunStatus } from '../../storage/rows';
import { Badge } from '../Badge';
import { Button } from '../Button';
import { Callout } from '../Callout';
import { Card } from '../Card';
import { ProgressBar } from '../ProgressBar';
import { RichText } from '../RichText';
import { Skeleton } from '../Skeleton';
import { cx } from '../cx';
import { isFinished, rejectNote, runFailure, runProgress, runStatusLabel, runStatusTone, type SendProblem } from './runStatusText';
import type { SendPageView, SentRun } from './useSendPage';

/** "Send this page": pick a saved pipeline, send the tab's records through it, watch the run. */
export function SendPageCard({ view }: { view: SendPageView }) {
  const selectId = useId();
  const { pipelines, matching, loadProblem, selectedId, select, sending, startProblem, run, send } = view;
  return (
    <Card title="Send this page" description="Send this tab’s records through a pipeline." aria-label="Send this page" data-testid="send-page">
      {pipelines === undefined ? (
        <Skeleton className="h-8 w-full" />
      ) : loadProblem ? (
        <ProblemBox problem={loadProblem} testId="send-load-problem" />
      ) : pipelines.length === 0 ? (
        <Callout tone="info" title="No saved pipelines yet" data-testid="send-no-pipelines">
          <RichText text="`npm start` saves a demo pipeline; make your own under Pipelines in Ferry's settings." />
        </Callout>
      ) : (
        <div className="flex items-end gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor={selectId} className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
              Pipeline
            </label>
            <select
              id={selectId}
              value={selectedId}
              onChange={(e) => select(e.target.value)}
              disabled={sending}
              data-testid="send-pipeline"
              className="mt-1 block h-8 w-full truncate rounded-md bg-white px-2 text-sm text-zinc-900 shadow-sm ring-1 ring-zinc-300 ring-inset focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:opacity-60 dark:bg-zinc-800 dark:text-zinc-100 dark:ring-zinc-700"
            >
              {matching === pipelines.length ? (
                options(pipelines)
              ) : (
                <>
                  {matching > 0 && <optgroup label="Made for this page">{options(pipelines.slice(0, matching))}</optgroup>}
                  <optgroup label="Other pipelines">{options(pipelines.slice(matching))}</optgroup>
                </>
              )}
            </select>
          </div>
          <Button onClick={() => void send()} busy={sending} busyLabel="Starting…" disabled={!selectedId} data-testid="send-button">
            Send
          </Button>
        </div>
      )}
      {startProblem && <ProblemBox problem={startProblem} testId="send-problem" className="mt-3" />}
      {run && <RunPanel run={run} />}
    </Card>
  );
}

function options(pipelines: readonly { id: string; name: string }[]) {
  return pipelines.map((p) => (
    <option key={p.id} value={p.id}>
      {p.name}
    </option>
  ));
}

function RunPanel({ run }: { run: SentRun }) {
  const { started, summary } = run;
  const status: RunStatus = summary?.status ?? 'queued';
  const counts = summary?.counts ?? { extracted: started.extracted, rejected: 0, sent: 0, failed: 0, retried: 0 };
  const progress = runProgress(counts);
  const failure = summary && runFailure(summary, run.firstDeadLetter);
  const rejects = summary && rejectNote(summary, run.firstReject);
  const active = !isFinished(status);
  return (
    <div className="mt-3 space-y-2.5 border-t border-zinc-100 pt-3 dark:border-zinc-800" data-testid="send-run" data-status={status}>
      <div className="flex items-center justify-between gap-3">
        <p className="text-[13px] text-zinc-600 dark:text-zinc-400" data-testid="run-progress-text">
          <span className="font-semibold text-zinc-900 tabular-nums dark:text-zinc-50">{progress.settled}</span> of{' '}
          <span className="font-semibold text-zinc-900 tabular-nums dark:text-zinc-50" data-testid="run-extracted">
            {progress.total}
          </span>{' '}
          records processed
        </p>
        <Badge tone={runStatusTone[status]} dot={active ? 'pulse' : true} data-testid="run-status" data-status={status} aria-label={`Run: ${runStatusLabel[status]}`}>
          {runStatusLabel[status]}
        </Badge>
      </div>
      <ProgressBar
        label="Records processed"
        value={progress.percent}
        data-testid="run-progress"
        segments={[
          { percent: progress.segments.sent, className: 'bg-emerald-500', label: `${counts.sent} sent` },
          { percent: progress.segments.rejected, className: 'bg-amber-400', label: `${counts.rejected} rejected` },
          { percent: progress.segments.failed, className: 'bg-red-500', label: `${counts.failed} failed` },
        ]}
      />
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400" aria-label="Record counts">
        <Count dot="bg-emerald-500" value={counts.sent} label="sent" testId="run-sent" />
        <Count dot="bg-amber-400" value={counts.rejected} label="rejected" testId="run-rejected" />
        <Count dot="bg-red-500" value={counts.failed} label="failed" testId="run-failed" />
        {counts.retried > 0 && <Count value={counts.retried} label={counts.retried === 1 ? 'retry' : 'retries'} testId="run-retried" />}
      </ul>
      {started.warnings.length > 0 && (
        <ul className="list-disc space-y-0.5 pl-4 text-xs text-zinc-500 dark:text-zinc-400" data-testid="run-warnings">
          {started.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {failure && <ProblemBox problem={failure} testId="run-failure" />}
      {rejects && <ProblemBox problem={rejects} testId="run-rejects" />}
      {run.pollProblem && <ProblemBox problem={run.pollProblem} testId="run-poll-problem" />}
    </div>
  );
}

/** One figure of the legend under the bar; the dot matches its segment's colour. */
function Count({ dot, value, label, testId }: { dot?: string; value: number; label: string; testId: string }) {
  return (
    <li className="flex items-center gap-1.5">
      {dot && <span aria-hidden="true" className={cx('size-2 rounded-full', dot)} />}
      <span className="font-semibold text-zinc-900 tabular-nums dark:text-zinc-50" data-testid={testId}>
        {value}
      </span>
      {label}
    </li>
  );
}

function ProblemBox({ problem, testId, className }: { problem: SendProblem; testId: string; className?: string }) {
  return (
    <Callout tone={problem.tone} title={problem.title} className={className} data-testid={testId}>
      {problem.detail && <RichText text={problem.detail} />}
    </Callout>
  );
}
