import { useId, useMemo, useState } from 'react';
import type { RunRow, RunStatus } from '../../../storage/rows';
import type { BackgroundSend } from '../../background';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { Pager } from '../../Pager';
import { isFinished, runStatusLabel } from '../../popup/runStatusText';
import { RunCountsBar } from '../../runs/RunCounts';
import { formatCount, formatDuration, formatFullTime, formatWhen, runDuration } from '../../runs/runFormat';
import { RunStatusBadge } from '../../runs/RunStatusBadge';
import { Skeleton } from '../../Skeleton';
import { labelClass } from '../../TextField';
import { linkClass, mutedClass, numClass, selectClass, tableClass, tdClass } from '../../table';
import { useLoader } from '../../useLoader';
import { runHref } from './useRunRoute';
import { TableHead } from '../../TableHead';

/** The newest runs the history loads; older ones are left out (and the page says so). */
export const RUN_HISTORY_LIMIT = 1000;
export const RUNS_PER_PAGE = 50;
const STATUSES: RunStatus[] = ['queued', 'running', 'paused', 'succeeded', 'nothingSent', 'failed', 'cancelled'];

/** Every run, newest first: filters, a page of 50 at a time, live while any run is going. */
export function RunHistory({ send }: { send: BackgroundSend }) {
  const runs = useLoader('runs', () => send('runs.list', { limit: RUN_HISTORY_LIMIT }), (list) => (list?.some((r) => !isFinished(r.status)) ? 2000 : 10_000));
  const pipelines = useLoader('pipelines', () => send('pipelines.list', undefined));
  const [pipelineId, setPipelineId] = useState('');
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [page, setPage] = useState(0);
  const pipelineFieldId = useId();
  const statusFieldId = useId();

  const names = useMemo(() => new Map((pipelines.value ?? []).map((p) => [p.id, p.name])), [pipelines.value]);
  const pipelineOptions = useMemo(() => {
    const ids = new Set([...(pipelines.value ?? []).map((p) => p.id), ...(runs.value ?? []).map((r) => r.pipelineId)]);
    const recorded = new Map((runs.value ?? []).map((r) => [r.pipelineId, r.pipelineName]));
    return [...ids].map((id) => ({ id, name: names.get(id) ?? recorded.get(id) ?? id })).sort((a, b) => a.name.localeCompare(b.name));
  }, [pipelines.value, runs.value, names]);
  const filtered = useMemo(
    () => (runs.value ?? []).filter((r) => (!pipelineId || r.pipelineId === pipelineId) && (!status || r.status === status)),
    [runs.value, pipelineId, status],
  );
  const pages = Math.max(1, Math.ceil(filtered.length / RUNS_PER_PAGE));
  const shownPage = Math.min(page, pages - 1);
  const visible = filtered.slice(shownPage * RUNS_PER_PAGE, (shownPage + 1) * RUNS_PER_PAGE);
  const filtering = pipelineId !== '' || status !== '';
  const active = runs.value?.filter((r) => !isFinished(r.status)).length ?? 0;

  const filters = (
    <div className="flex flex-wrap items-end gap-3" data-testid="runs-filters">
      <div className="w-56 max-w-full">
        <label htmlFor={pipelineFieldId} className={labelClass}>
          Pipeline
        </label>
        <select
          id={pipelineFieldId}
          className={`${selectClass} mt-1`}
          value={pipelineId}
          onChange={(e) => {
            setPipelineId(e.target.value);
            setPage(0);
          }}
          data-testid="runs-filter-pipeline"
        >
          <option value="">All pipelines</option>
          {pipelineOptions.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="w-40">
        <label htmlFor={statusFieldId} className={labelClass}>
          Status
        </label>
        <select
          id={statusFieldId}
          className={`${selectClass} mt-1`}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as RunStatus | '');
            setPage(0);
          }}
          data-testid="runs-filter-status"
        >
          <option value="">All statuses</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {runStatusLabel[s]}
            </option>
          ))}
        </select>
      </div>
      {filtering && (
        <Button
          variant="ghost"
          onClick={() => {
            setPipelineId('');
            setStatus('');
            setPage(0);
          }}
        >
          Clear filters
        </Button>
      )}
      <p className={`ml-auto self-center text-xs ${mutedClass}`} aria-live="polite" data-testid="runs-summary">
        {runs.value && (
          <>
            {formatCount(filtered.length)} {filtered.length === 1 ? 'run' : 'runs'}
            {filtering && ` of ${formatCount(runs.value.length)}`}
            {active > 0 && ` · ${active} in progress, updating live`}
          </>
        )}
      </p>
    </div>
  );

  return (
    <Card title="Run history" description="Newest first. Open a run for its rejected records, batches, audit trail and dead letters." data-testid="runs-history">
      {runs.loading ? (
        <LoadingRows />
      ) : runs.error && !runs.value ? (
        <Callout tone="danger" title="Could not load the run history" data-testid="runs-error">
          <p>{runs.error}</p>
          <Button variant="secondary" className="mt-2" onClick={() => void runs.reload()}>
            Try again
          </Button>
        </Callout>
      ) : runs.value?.length === 0 ? (
        <Callout tone="info" title="No runs yet" data-testid="runs-empty">
          A run starts when you send a page from Ferry’s toolbar popup (“Send this page”). Each one is listed here with its outcome.
        </Callout>
      ) : (
        <div className="space-y-3">
          {filters}
          {runs.error && (
            <Callout tone="warning" title="The list could not be refreshed; it shows the last answer." data-testid="runs-refresh-error">
              {runs.error}
            </Callout>
          )}
          {filtered.length === 0 ? (
            <p className={`py-6 text-center text-sm ${mutedClass}`} data-testid="runs-none-match">
              No runs match these filters.
            </p>
          ) : (
            <div className="-mx-4 overflow-x-auto px-4">
              <table className={tableClass} data-testid="runs-table">
                <TableHead columns={['Pipeline', 'Started', 'Status', { label: 'Records', className: 'w-28' }, { label: 'Sent', numeric: true }, { label: 'Rejected', numeric: true }, { label: 'Failed', numeric: true }, { label: 'Retried', numeric: true }, { label: 'Duration', numeric: true }]} />
                <tbody>
                  {visible.map((run) => (
                    <RunHistoryRow key={run.id} run={run} name={run.pipelineName ?? names.get(run.pipelineId)} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager page={shownPage} pageSize={RUNS_PER_PAGE} total={filtered.length} onPage={setPage} noun="runs" data-testid="runs-pager" />
          {runs.value && runs.value.length >= RUN_HISTORY_LIMIT && (
            <p className={`text-xs ${mutedClass}`}>Only the newest {formatCount(RUN_HISTORY_LIMIT)} runs are listed.</p>
          )}
        </div>
      )}
    </Card>
  );
}

function RunHistoryRow({ run, name }: { run: RunRow; name?: string }) {
  const { counts } = run;
  const started = run.startedAt ?? run.createdAt;
  return (
    <tr className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40" data-testid="runs-row" data-run-id={run.id} data-status={run.status}>
      <td className={`${tdClass} max-w-56`}>
        <a href={runHref(run.id)} className={`${linkClass} block truncate`} title={name ?? run.pipelineId} data-testid="runs-row-link">
          {name ?? run.pipelineId}
        </a>
        <span className={`block truncate font-mono text-[11px] ${mutedClass}`} title={run.id}>
          {run.id.slice(0, 8)}
        </span>
      </td>
      <td className={`${tdClass} whitespace-nowrap tabular-nums`} title={formatFullTime(started)}>
        {formatWhen(started)}
      </td>
      <td className={tdClass}>
        <RunStatusBadge status={run.status} />
      </td>
      <td className={`${tdClass} pt-3.5`}>
        <RunCountsBar counts={counts} className="h-1.5" />
        <span className={`mt-1 block text-[11px] tabular-nums ${mutedClass}`}>{formatCount(counts.extracted)} extracted</span>
      </td>
      <td className={`${tdClass} ${numClass}`}>{formatCount(counts.sent)}</td>
      <td className={`${tdClass} ${numClass} ${counts.rejected > 0 ? 'text-amber-700 dark:text-amber-300' : ''}`}>{formatCount(counts.rejected)}</td>
      <td className={`${tdClass} ${numClass} ${counts.failed > 0 ? 'font-semibold text-red-700 dark:text-red-300' : ''}`}>{formatCount(counts.failed)}</td>
      <td className={`${tdClass} ${numClass}`}>{formatCount(counts.retried)}</td>
      <td className={`${tdClass} ${numClass} whitespace-nowrap`}>{formatDuration(runDuration(run))}</td>
    </tr>
  );
}

function LoadingRows() {
  return (
    <div className="space-y-3" role="status" aria-label="Loading the run history" data-testid="runs-loading">
      {Array.from({ length: 6 }, (_, i) => (
        <Skeleton key={i} className="h-7 w-full" />
      ))}
    </div>
  );
}
