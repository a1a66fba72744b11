import type { RunStatus } from '../../storage/rows';
import { Badge } from '../Badge';
import { isFinished, runStatusLabel, runStatusTone } from '../popup/runStatusText';

/** A run's status as a pill; unfinished runs pulse. `data-status` carries the raw status for tests. */
export function RunStatusBadge({ status, 'data-testid': testId }: { status: RunStatus; 'data-testid'?: string }) {
  return (
    <Badge tone={runStatusTone[status]} dot={isFinished(status) ? true : 'pulse'} data-testid={testId} data-status={status} aria-label={`Run: ${runStatusLabel[status]}`}>
      {runStatusLabel[status]}
    </Badge>
  );
}
