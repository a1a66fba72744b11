import { Badge } from './Badge';
import { stateLabel, stateTone, type DisplayState } from './hostStatusText';

/** The native host's state as a coloured pill. `data-state` carries the raw state for tests. */
export function StatusBadge({ state }: { state: DisplayState }) {
  return (
    <Badge
      tone={stateTone[state]}
      dot={state === 'connecting' ? 'pulse' : true}
      data-testid="host-status"
      data-state={state}
      aria-label={`Native host: ${stateLabel[state]}`}
    >
      {stateLabel[state]}
    </Badge>
  );
}
