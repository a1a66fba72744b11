import type { RunCounts } from '../../storage/rows';
import { cx } from '../cx';
import { ProgressBar } from '../ProgressBar';
import { runProgress } from '../popup/runStatusText';
import { formatCount } from './runFormat';

export const COUNT_COLOURS = { sent: 'bg-emerald-500', rejected: 'bg-amber-400', failed: 'bg-red-500' } as const;

/** The stacked bar of sent, rejected and failed records out of those extracted. */
export function RunCountsBar({ counts, className, 'data-testid': testId }: { counts: RunCounts; className?: string; 'data-testid'?: string }) {
  // Counts only grow: a record that failed and was then delivered by a replay is in both `failed` and
  // `sent`. The bar shows where each record ended up, so such records count once, as sent.
  const settled = { ...counts, failed: Math.min(counts.failed, Math.max(0, counts.extracted - counts.sent - counts.rejected)) };
  const progress = runProgress(settled);
  return (
    <ProgressBar
      label={`${formatCount(progress.settled)} of ${formatCount(progress.total)} records processed`}
      value={progress.percent}
      className={className}
      data-testid={testId}
      segments={[
        { percent: progress.segments.sent, className: COUNT_COLOURS.sent, label: `${counts.sent} sent` },
        { percent: progress.segments.rejected, className: COUNT_COLOURS.rejected, label: `${counts.rejected} rejected` },
        { percent: progress.segments.failed, className: COUNT_COLOURS.failed, label: `${counts.failed} failed` },
      ]}
    />
  );
}

/** The figures beside the bar: sent, rejected, failed, and retries when there were any. */
export function RunCountsLegend({ counts, className, testIdPrefix }: { counts: RunCounts; className?: string; testIdPrefix?: string }) {
  const id = (name: string) => (testIdPrefix ? `${testIdPrefix}-${name}` : undefined);
  return (
    <ul className={cx('flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400', className)} aria-label="Record counts">
      <Figure dot={COUNT_COLOURS.sent} value={counts.sent} label="sent" testId={id('sent')} />
      <Figure dot={COUNT_COLOURS.rejected} value={counts.rejected} label="rejected" testId={id('rejected')} />
      <Figure dot={COUNT_COLOURS.failed} value={counts.failed} label="failed" testId={id('failed')} />
      {counts.retried > 0 && <Figure value={counts.retried} label={counts.retried === 1 ? 'retry' : 'retries'} testId={id('retried')} />}
    </ul>
  );
}

function Figure({ dot, value, label, testId }: { dot?: string; value: number; label: string; testId?: string }) {
  return (
    <li className="flex items-center gap-1 whitespace-nowrap">
      {dot && <span aria-hidden="true" className={cx('size-2 rounded-full', dot)} />}
      <span className="font-semibold text-zinc-900 tabular-nums dark:text-zinc-50" data-testid={testId}>
        {formatCount(value)}
      </span>
      {label}
    </li>
  );
}
