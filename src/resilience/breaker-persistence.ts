import { CircuitState } from 'cockatiel';
import type { BreakerKind } from './breaker-config';
import { isWindowedConsecutiveState } from './windowed-consecutive-breaker';

/** What a BreakerStateStore holds for one host. `policy` is cockatiel's `CircuitBreakerPolicy.toJSON()`. */
export interface PersistedBreakerState {
  version: 1;
  kind: BreakerKind;
  policy: unknown;
}

/** cockatiel 3.2's serialized shape (`toJSON` writes a half-open circuit as open with openedAt 0). */
interface CockatielState {
  ownState: { value: CircuitState.Closed } | { value: CircuitState.Open; openedAt: number; attemptNo: number };
  breakerState: unknown;
}

export type RestoreResult = { initialState?: CockatielState; status: 'none' | 'restored' | 'invalid' };

/**
 * Turns stored state back into cockatiel's `initialState`, checking its shape first: it comes from
 * IndexedDB, possibly written by an older Ferry, and cockatiel trusts it blindly. The circuit's
 * open/closed state is kept whenever it is readable; the breaker's counters only when they were
 * written by the same kind of breaker with the same window layout, else they start over.
 */
export function restoreInitialState(persisted: unknown, kind: BreakerKind, freshBreakerState: unknown): RestoreResult {
  if (persisted === undefined || persisted === null) return { status: 'none' };
  const envelope = persisted as Partial<PersistedBreakerState>;
  const policy = envelope.policy as Partial<CockatielState> | undefined;
  const own = policy?.ownState as Record<string, unknown> | undefined;
  if (envelope.version !== 1 || typeof own !== 'object' || own === null) return { status: 'invalid' };

  let ownState: CockatielState['ownState'];
  if (own.value === CircuitState.Closed) ownState = { value: CircuitState.Closed };
  else if (own.value === CircuitState.Open && Number.isFinite(own.openedAt) && Number.isInteger(own.attemptNo) && (own.attemptNo as number) >= 1) {
    ownState = { value: CircuitState.Open, openedAt: own.openedAt as number, attemptNo: own.attemptNo as number };
  } else return { status: 'invalid' };

  const countersFit = envelope.kind === kind && breakerStateFits(kind, policy?.breakerState, freshBreakerState);
  return { initialState: { ownState, breakerState: countersFit ? policy?.breakerState : freshBreakerState }, status: 'restored' };
}

function breakerStateFits(kind: BreakerKind, state: unknown, fresh: unknown): boolean {
  if (kind === 'consecutive') return Number.isInteger(state) && (state as number) >= 0;
  if (kind === 'windowed-consecutive') return isWindowedConsecutiveState(state);
  // SamplingBreaker: the same number of windows (a changed monitoringWindow changes it), all numeric.
  const s = state as { windows?: unknown; currentWindow?: unknown; currentFailures?: unknown; currentSuccesses?: unknown } | null;
  const f = fresh as { windows: unknown[] };
  return (
    typeof s === 'object' &&
    s !== null &&
    Array.isArray(s.windows) &&
    s.windows.length === f.windows.length &&
    s.windows.every((w: { startedAt?: unknown; failures?: unknown; successes?: unknown } | null) => typeof w === 'object' && w !== null && [w.startedAt, w.failures, w.successes].every(Number.isFinite)) &&
    Number.isInteger(s.currentWindow) &&
    (s.currentWindow as number) >= 0 &&
    (s.currentWindow as number) < f.windows.length &&
    [s.currentFailures, s.currentSuccesses].every(Number.isFinite)
  );
}
