import { useEffect, useRef, type ReactNode } from 'react';
import type { HostStatus } from '../messaging/contract';
import { Button } from './Button';
import { Callout } from './Callout';
import { Card } from './Card';
import { cx } from './cx';
import { formatClock, formatNodeVersion, formatRoundTrip, MISSING } from './format';
import { hostProblem, stateSummary, type Problem } from './hostStatusText';
import { HostStatusSkeleton } from './HostStatusSkeleton';
import { RichText } from './RichText';
import { Stat } from './Stat';
import { StatusBadge } from './StatusBadge';

export interface HostStatusCardProps {
  status?: HostStatus;
  /** A failed call to the background (shown above the host's own error). */
  failure?: Problem;
  loading?: boolean;
  reconnecting?: boolean;
  onReconnect(): void;
  /** One line of facts (version, Node, ping) instead of four boxes and a footer: the popup, where height is scarce. */
  compact?: boolean;
  className?: string;
}

/** The native host at a glance: state, versions, round trip, the latest problem and a Reconnect button. */
export function HostStatusCard({ status, failure, loading, reconnecting = false, onReconnect, compact = false, className }: HostStatusCardProps) {
  const button = useRef<HTMLButtonElement>(null);
  const wasReconnecting = useRef(false);

  // A disabled button drops keyboard focus; give it back once the reconnect finishes.
  useEffect(() => {
    if (wasReconnecting.current && !reconnecting && document.activeElement === document.body) button.current?.focus();
    wasReconnecting.current = reconnecting;
  }, [reconnecting]);

  if (loading && !status && !failure) return <HostStatusSkeleton className={className} />;

  const state = status?.state ?? 'unknown';
  const problem = failure ?? (status && hostProblem(status));
  const problemBox = problem && (
    <Callout tone={problem.tone} title={problem.message} className="mt-3" data-testid="host-problem">
      {problem.hint && (
        <p data-testid="host-hint">
          <span className="font-medium">Next step: </span>
          <RichText text={problem.hint} />
        </p>
      )}
    </Callout>
  );
  const reconnectButton = (
    <Button ref={button} variant="secondary" busy={reconnecting} busyLabel="Reconnecting…" onClick={onReconnect} data-testid="reconnect">
      Reconnect
    </Button>
  );

  if (compact) {
    const checked = `${status ? `Checked at ${formatClock(status.checkedAt)}` : 'Not checked yet'}; protocol ${status?.protocolVersion ?? MISSING}`;
    return (
      <Card title="Native host" aside={<StatusBadge state={state} />} aria-label="Native host status" className={className}>
        <div className="-mt-1 flex items-center justify-between gap-3">
          <dl className="flex min-w-0 flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-500 dark:text-zinc-400" title={checked} data-testid="host-facts">
            <Fact label="Host" value={status?.hostVersion ?? MISSING} mono testId="host-version" />
            <Fact label="Node" value={formatNodeVersion(status?.nodeVersion)} mono testId="host-node" />
            <Fact label="Ping" value={formatRoundTrip(status?.lastRoundTripMs)} testId="host-rtt" />
          </dl>
          {reconnectButton}
        </div>
        {problemBox}
      </Card>
    );
  }

  return (
    <Card
      title="Native host"
      description={stateSummary[state]}
      aside={<StatusBadge state={state} />}
      aria-label="Native host status"
      className={cx('@container', className)}
    >
      <dl className="grid grid-cols-2 gap-2 @lg:grid-cols-4">
        <Stat label="Host version" value={status?.hostVersion ?? MISSING} mono data-testid="host-version" />
        <Stat label="Protocol" value={status?.protocolVersion ?? MISSING} mono data-testid="host-protocol" />
        <Stat label="Node" value={formatNodeVersion(status?.nodeVersion)} mono data-testid="host-node" />
        <Stat label="Round trip" value={formatRoundTrip(status?.lastRoundTripMs)} data-testid="host-rtt" />
      </dl>

      {problemBox}

      <div className="mt-4 flex items-center justify-between gap-3 border-t border-zinc-100 pt-3 dark:border-zinc-800">
        <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="host-checked-at">
          {status ? (
            <>
              Checked at <time dateTime={status.checkedAt} className="tabular-nums">{formatClock(status.checkedAt)}</time>
            </>
          ) : (
            'Not checked yet'
          )}
        </p>
        {reconnectButton}
      </div>
    </Card>
  );
}

/** One fact of the compact card: a small label and its value, on one line. */
function Fact({ label, value, mono, testId }: { label: string; value: ReactNode; mono?: boolean; testId: string }) {
  return (
    <div className="flex items-baseline gap-1 whitespace-nowrap">
      <dt>{label}</dt>
      <dd data-testid={testId} className={cx('font-medium text-zinc-800 tabular-nums dark:text-zinc-200', mono && 'font-mono text-[11px]')}>
        {value}
      </dd>
    </div>
  );
}
