/**
 * Each saved integration's health: the state of the runs' circuit breaker for it, read from the
 * persisted breaker store (the registry saves every change, so this is what the next run will find),
 * and the last "Test connection". Read-only: nothing here loads a breaker or changes its state.
 */
import type { IntegrationRow } from '../../storage/rows';
import { breakerKeyOf, type RenderDeps } from './render';
import type { BreakerHealthState, IntegrationHealth } from './types';

export interface HealthDeps {
  env: RenderDeps['env'];
  /** The breaker store's raw rows (`breakerState` table): JSON text per host key. */
  breakerRow(key: string): Promise<{ state: string; updatedAt: number } | undefined>;
}

export async function integrationHealth(rows: readonly IntegrationRow[], deps: HealthDeps): Promise<IntegrationHealth[]> {
  return Promise.all(
    rows.map(async (row) => {
      const key = await breakerKeyOf(row, deps.env);
      const stored = key ? await deps.breakerRow(key) : undefined;
      const breaker: IntegrationHealth['breaker'] = key === undefined ? { state: 'unknown' } : stored ? { key, ...readBreakerState(stored.state), updatedAt: stored.updatedAt } : { key, state: 'closed' };
      return { id: row.id, name: row.name, kind: row.kind, breaker, ...(row.lastTest ? { lastTest: row.lastTest } : {}) };
    }),
  );
}

/**
 * The circuit's state in a persisted breaker (`HostBreaker.toJSON()`: cockatiel's policy state, whose
 * `ownState.value` is 0 closed, 1 open, 2 half-open). cockatiel writes a half-open circuit as open
 * with `openedAt` 0. Anything unreadable is "unknown": the registry itself starts such a breaker closed.
 */
export function readBreakerState(json: string): { state: BreakerHealthState; openedAt?: number } {
  try {
    const own = (JSON.parse(json) as { policy?: { ownState?: { value?: unknown; openedAt?: unknown } } }).policy?.ownState;
    if (own?.value === 0) return { state: 'closed' };
    if (own?.value === 2) return { state: 'halfOpen' };
    if (own?.value === 1) {
      const openedAt = typeof own.openedAt === 'number' ? own.openedAt : 0;
      return openedAt === 0 ? { state: 'halfOpen' } : { state: 'open', openedAt };
    }
  } catch {
    // unreadable: below
  }
  return { state: 'unknown' };
}
