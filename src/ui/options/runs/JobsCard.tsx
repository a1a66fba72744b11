import { useState } from 'react';
import type { JobSummary } from '../../../storage/job-summaries';
import type { JobStatus } from '../../../storage/rows';
import type { BackgroundSend } from '../../background';
import { Badge, type BadgeTone } from '../../Badge';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { Pager } from '../../Pager';
import { attemptsOf, formatCount } from '../../runs/runFormat';
import { mutedClass, numClass, tableClass, tdClass } from '../../table';
import { useLoader, useReloadOn } from '../../useLoader';
import { ListState } from './ListState';
import { TableHead } from '../../TableHead';

const PER_PAGE = 25;

const jobLabel: Record<JobStatus, string> = { pending: 'Waiting', inFlight: 'Sending', done: 'Delivered', failed: 'Failed', deadLettered: 'Dead letter' };
const jobTone: Record<JobStatus, BadgeTone> = { pending: 'neutral', inFlight: 'blue', done: 'green', failed: 'red', deadLettered: 'red' };

/** What happened to each batch (one record each unless the pipeline batches): per-record outcomes. */
export function JobsCard({ runId, send, version }: { runId: string; send: BackgroundSend; version: string }) {
  const [page, setPage] = useState(0);
  const jobs = useLoader(`jobs:${runId}:${page}`, () => send('runs.jobs', { runId, offset: page * PER_PAGE, limit: PER_PAGE }));
  useReloadOn(version, jobs.reload);
  const total = jobs.value?.total ?? 0;
  const list = { ...jobs, value: jobs.value?.jobs };
  return (
    <Card
      title={`Batches${total > 0 ? ` (${formatCount(total)})` : ''}`}
      description="Each batch of records and the outcome of its last attempt."
      data-testid="jobs"
    >
      <ListState loaded={list} empty="No batches: every record was rejected before sending." testId="jobs">
        <RoleWarnings jobs={jobs.value?.jobs ?? []} />
        <div className="-mx-4 overflow-x-auto px-4">
          <table className={tableClass} data-testid="jobs-table">
            <TableHead columns={[{ label: '#', numeric: true }, 'Outcome', 'Records', { label: 'Attempts', numeric: true }]} />
            <tbody>
              {(jobs.value?.jobs ?? []).map((job) => (
                <tr key={job.id} data-testid="job-row" data-status={job.status}>
                  <td className={`${tdClass} ${numClass} ${mutedClass}`}>{job.seq + 1}</td>
                  <td className={`${tdClass} min-w-52`}>
                    <div className="flex flex-wrap items-center gap-1.5">
                      <Badge tone={jobTone[job.status]}>{jobLabel[job.status]}</Badge>
                      {job.outcome && (
                        <span className="font-mono text-[11px] text-zinc-600 dark:text-zinc-400">
                          {job.outcome.label}
                          {job.outcome.httpStatus !== undefined && ` · ${job.outcome.httpStatus}`}
                        </span>
                      )}
                    </div>
                    {job.outcome?.message && <p className="mt-1 text-xs leading-snug break-words text-zinc-700 dark:text-zinc-300">{job.outcome.message}</p>}
                    <Facts details={job.outcome?.details} />
                  </td>
                  <td className={`${tdClass} max-w-64`}>
                    <span className={`block truncate font-mono text-[11px] ${mutedClass}`} title={job.preview}>
                      {job.records > 1 && <span className="font-sans font-medium text-zinc-700 dark:text-zinc-300">{formatCount(job.records)} records · </span>}
                      {job.preview}
                    </span>
                  </td>
                  <td className={`${tdClass} ${numClass}`}>{attemptsOf(job.attempts, job.outcome?.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager page={page} pageSize={PER_PAGE} total={total} onPage={setPage} noun="batches" data-testid="jobs-pager" />
      </ListState>
    </Card>
  );
}

/**
 * A database step that logged in as a role with rights beyond its tables (settle-job.ts keeps the
 * host's warning as the batch's message and the rights as `roleRisks`): said once above the list.
 */
function RoleWarnings({ jobs }: { jobs: readonly JobSummary[] }) {
  const warnings = [...new Set(jobs.flatMap((job) => (job.outcome?.details?.roleRisks !== undefined && job.outcome.message ? [job.outcome.message] : [])))];
  if (warnings.length === 0) return null;
  return (
    <Callout tone="warning" title="The database role can do more than this pipeline needs" className="mb-3" data-testid="jobs-role-warning">
      {warnings.map((text) => (
        <p key={text} data-testid="jobs-role-warning-text">{text}</p>
      ))}
    </Callout>
  );
}

/** Bookkeeping the engine keeps for itself; the rest (inserted, path, pages...) says what landed where. */
const INTERNAL = new Set(['attemptsMade', 'claims']);

function Facts({ details }: { details?: Record<string, string | number | boolean> }) {
  const facts = Object.entries(details ?? {}).filter(([k]) => !INTERNAL.has(k));
  if (facts.length === 0) return null;
  return <p className={`mt-0.5 font-mono text-[11px] break-all ${mutedClass}`}>{facts.map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}</p>;
}
