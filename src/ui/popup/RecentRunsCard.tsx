import { useMemo } from 'react';
import type { RunRow } from '../../storage/rows';
import { backgroundSend, type BackgroundSend } from '../background';
import { Callout } from '../Callout';
import { Card } from '../Card';
import { RunCountsBar, RunCountsLegend } from '../runs/RunCounts';
import { formatAgo, formatFullTime } from '../runs/runFormat';
import { RunStatusBadge } from '../runs/RunStatusBadge';
import { Skeleton } from '../Skeleton';
import { useLoader, useReloadOn } from '../useLoader';
import { isFinished } from './runStatusText';

export const RECENT_RUNS = 5;

/** Opens the options page on a hash route (`#/runs/<id>`), then closes the popup. */
export async function openOptionsAt(hash: string): Promise<void> {
  await chrome.tabs.create({ url: chrome.runtime.getURL(`options.html${hash}`) });
  window.close();
}

const openRunInOptions = (runId: string) => openOptionsAt(`#/runs/${encodeURIComponent(runId)}`);
const openHistory = () => openOptionsAt('#/runs');

export interface RecentRunsCardProps {
  send?: BackgroundSend;
  /** Tests replace the navigation. */
  openRun?: (runId: string) => Promise<void>;
  openAll?: () => Promise<void>;
  /** Changes when the popup starts a run (its id), so the list shows it at once. */
  refreshKey?: string;
}

/** The last five runs with their outcome; running ones show live progress. A click opens the run in settings. */
export function RecentRunsCard({ send = backgroundSend, openRun = openRunInOptions, openAll = openHistory, refreshKey = '' }: RecentRunsCardProps) {
  const runs = useLoader('recent-runs', () => send('runs.list', { limit: RECENT_RUNS }), (list) => (list?.some((r) => !isFinished(r.status)) ? 400 : 3000));
  useReloadOn(refreshKey, runs.reload);
  const pipelines = useLoader('pipelines', () => send('pipelines.list', undefined));
  const names = useMemo(() => new Map((pipelines.value ?? []).map((p) => [p.id, p.name])), [pipelines.value]);

  return (
    <Card
      title="Recent runs"
      aria-label="Recent runs"
      data-testid="recent-runs"
      aside={
        runs.value && runs.value.length > 0 ? (
          <button
            type="button"
            onClick={() => void openAll().catch(() => undefined)}
            className="rounded text-xs font-medium text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-sky-400"
            data-testid="recent-runs-all"
          >
            All runs
          </button>
        ) : undefined
      }
    >
      {runs.loading ? (
        <div className="space-y-2" role="status" aria-label="Loading recent runs">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-full" />
        </div>
      ) : runs.error && !runs.value ? (
        <Callout tone="danger" title="Could not load recent runs" data-testid="recent-runs-error">
          {runs.error}
        </Callout>
      ) : !runs.value || runs.value.length === 0 ? (
        <p className="text-[13px] text-zinc-500 dark:text-zinc-400" data-testid="recent-runs-empty">
          No runs yet. Runs you start appear here.
        </p>
      ) : (
        <ul className="-mx-2 -mb-1 space-y-0.5" data-testid="recent-runs-list">
          {runs.value.map((run) => (
            <RecentRun key={run.id} run={run} name={run.pipelineName ?? names.get(run.pipelineId) ?? run.pipelineId} onOpen={() => void openRun(run.id).catch(() => undefined)} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function RecentRun({ run, name, onOpen }: { run: RunRow; name: string; onOpen(): void }) {
  const live = !isFinished(run.status);
  const started = run.startedAt ?? run.createdAt;
  return (
    <li data-testid="recent-run" data-run-id={run.id} data-status={run.status}>
      <button
        type="button"
        onClick={onOpen}
        className="block w-full rounded-lg px-2 py-1.5 text-left hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-sky-600 dark:hover:bg-zinc-800/60 dark:focus-visible:outline-sky-400"
        title="Open this run in Ferry’s settings"
      >
        <span className="flex items-center justify-between gap-2">
          <span className="min-w-0 truncate text-[13px] font-medium text-zinc-900 dark:text-zinc-100">{name}</span>
          <RunStatusBadge status={run.status} />
        </span>
        <span className="mt-1 flex items-center justify-between gap-2">
          <RunCountsLegend counts={run.counts} className="text-[11px]" />
          <time className="shrink-0 text-[11px] text-zinc-500 dark:text-zinc-400" title={formatFullTime(started)}>
            {formatAgo(started)}
          </time>
        </span>
        {live && <RunCountsBar counts={run.counts} className="mt-1.5 h-1.5" data-testid="recent-run-progress" />}
      </button>
    </li>
  );
}
