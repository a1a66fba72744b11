import { useEffect, useRef } from 'react';
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
  className?: string;
}

/** The native host at a glance: state, versions, round trip, the latest problem and a Reconnect button. */
export function HostStatusCard({ status, failure, loading, reconnecting = false, onReconnect, className }: HostStatusCardProps) {
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

      {problem && (
        <Callout tone={problem.tone} title={problem.message} className="mt-3" data-testid="host-problem">
          {problem.hint && (
            <p data-testid="host-hint">
              <span className="font-medium">Next step: </span>
              <RichText text={problem.hint} />
            </p>
          )}
        </Callout>
      )}

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
        <Button
          ref={button}
          variant="secondary"
          busy={reconnecting}
          busyLabel="Reconnecting…"
          onClick={onReconnect}
          data-testid="reconnect"
        >
          Reconnect
        </Button>
      </div>
    </Card>
  );
}
