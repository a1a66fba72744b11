import { useState } from 'react';
import { recordPreview } from '../../../storage/job-summaries';
import type { BackgroundSend } from '../../background';
import { Card } from '../../Card';
import { Pager } from '../../Pager';
import { formatCount } from '../../runs/runFormat';
import { mutedClass } from '../../table';
import { useLoader, useReloadOn } from '../../useLoader';
import { ListState } from './ListState';

/** The most rejects one page loads; a run that rejected more says so. */
export const REJECTS_LIMIT = 1000;
const PER_PAGE = 20;

/** Records the pipeline's validation kept back, each with its reasons. */
export function RejectsCard({ runId, send, version, count }: { runId: string; send: BackgroundSend; version: string; count: number }) {
  const rejects = useLoader(`rejects:${runId}`, () => send('runs.rejects', { runId, limit: REJECTS_LIMIT }));
  const [page, setPage] = useState(0);
  useReloadOn(version, rejects.reload);
  const list = rejects.value ?? [];
  return (
    <Card
      title={`Rejected records${count > 0 ? ` (${formatCount(count)})` : ''}`}
      description="Records that failed the pipeline’s validation. They were not sent; fix the page or the pipeline’s rules and run it again."
      data-testid="rejects"
    >
      <ListState loaded={rejects} empty="No records were rejected." testId="rejects">
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="rejects-list">
          {list.slice(page * PER_PAGE, (page + 1) * PER_PAGE).map((reject) => (
            <li key={reject.id} className="space-y-1 py-2.5 first:pt-0 last:pb-0" data-testid="reject-item">
              <ul className="space-y-0.5">
                {reject.reasons.map((reason, i) => (
                  <li key={i} className="text-[13px] leading-snug">
                    <code className="rounded bg-amber-50 px-1 text-amber-900 dark:bg-amber-500/10 dark:text-amber-200">{reason.path || '(record)'}</code>{' '}
                    <span data-testid="reject-reason">{reason.message}</span>
                  </li>
                ))}
              </ul>
              <p className={`truncate font-mono text-[11px] ${mutedClass}`} title={recordPreview(reject.record, 2000)}>
                {recordPreview(reject.record)}
              </p>
            </li>
          ))}
        </ul>
        <Pager page={page} pageSize={PER_PAGE} total={list.length} onPage={setPage} noun="rejected records" />
        {count > list.length && list.length >= REJECTS_LIMIT && (
          <p className={`pt-2 text-xs ${mutedClass}`}>The first {formatCount(REJECTS_LIMIT)} of {formatCount(count)} are shown.</p>
        )}
      </ListState>
    </Card>
  );
}
