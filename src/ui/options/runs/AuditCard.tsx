import { useState } from 'react';
import type { BackgroundSend } from '../../background';
import { Button } from '../../Button';
import { Card } from '../../Card';
import { downloadText } from '../settings/download';
import { MISSING } from '../../format';
import { Pager } from '../../Pager';
import { formatCount, formatDuration, formatFullTime, formatWhen } from '../../runs/runFormat';
import { cx } from '../../cx';
import { mutedClass, numClass, tableClass, tdClass } from '../../table';
import { useLoader, useReloadOn } from '../../useLoader';
import { ListState } from './ListState';
import { TableHead } from '../../TableHead';

export const AUDIT_LIMIT = 1000;
const PER_PAGE = 25;

/** Every request the run made: method, where, status, time taken, attempt. Never headers or query strings; bodies only if the user turned that on. */
export function AuditCard({ runId, send, version, download = downloadText }: { runId: string; send: BackgroundSend; version: string; download?: typeof downloadText }) {
  const audit = useLoader(`audit:${runId}`, () => send('runs.audit', { runId, limit: AUDIT_LIMIT }));
  const [page, setPage] = useState(0);
  useReloadOn(version, audit.reload);
  const list = audit.value ?? [];
  return (
    <Card
      title={`Audit trail${list.length > 0 ? ` (${formatCount(list.length)}${list.length >= AUDIT_LIMIT ? '+' : ''})` : ''}`}
      description="One entry per request or host call. Headers and query strings are never recorded; request bodies only when turned on in Settings."
      aside={
        list.length > 0 ? (
          <Button
            variant="ghost"
            data-testid="audit-export-run"
            onClick={() => void send('audit.export', { runId }).then((result) => download(result.fileName, result.jsonl))}
          >
            Export (JSON Lines)
          </Button>
        ) : undefined
      }
      data-testid="audit"
    >
      <ListState loaded={audit} empty="No requests yet." testId="audit">
        <div className="-mx-4 overflow-x-auto px-4">
          <table className={tableClass} data-testid="audit-table">
            <TableHead columns={['Time', 'Request', { label: 'Status', numeric: true }, 'Outcome', { label: 'Attempt', numeric: true }, { label: 'Took', numeric: true }]} />
            <tbody>
              {list.slice(page * PER_PAGE, (page + 1) * PER_PAGE).map((entry) => (
                <tr key={entry.id} data-testid="audit-row">
                  <td className={`${tdClass} whitespace-nowrap tabular-nums ${mutedClass}`} title={formatFullTime(entry.at)}>
                    {formatWhen(entry.at)}
                  </td>
                  <td className={`${tdClass} max-w-72`}>
                    <span className="block truncate font-mono text-xs" title={`${entry.method} ${entry.host}${entry.path}`}>
                      <span className="font-semibold">{entry.method}</span> {entry.host}
                      {entry.path}
                    </span>
                  </td>
                  <td className={cx(tdClass, numClass, 'font-mono text-xs', entry.status === undefined ? mutedClass : entry.status >= 400 ? 'text-red-700 dark:text-red-300' : 'text-emerald-700 dark:text-emerald-300')}>
                    {entry.status ?? MISSING}
                  </td>
                  <td className={`${tdClass} font-mono text-[11px]`}>{entry.outcome}</td>
                  <td className={`${tdClass} ${numClass}`}>{entry.attempt}</td>
                  <td className={`${tdClass} ${numClass} whitespace-nowrap`}>{formatDuration(entry.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager page={page} pageSize={PER_PAGE} total={list.length} onPage={setPage} noun="audit entries" />
        {list.length >= AUDIT_LIMIT && <p className={`pt-2 text-xs ${mutedClass}`}>The first {formatCount(AUDIT_LIMIT)} requests are shown.</p>}
      </ListState>
    </Card>
  );
}
