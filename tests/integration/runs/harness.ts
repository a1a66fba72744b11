/**
 * The run engine's real pieces over a fresh fake-indexeddb database per test: repositories and a
 * breaker registry on one injected clock, credentials from a map, jitter pinned, and every retry
 * wait persisted (deferAfterMs 0) so tests move time by setting the clock, never by sleeping.
 */
import { BreakerRegistry } from '../../../src/resilience';
import { createRunService, drive, type DriveResult, type RunDeps, type RunService } from '../../../src/runs';
import { createRepositories, type Repositories } from '../../../src/storage/repositories';
import { testClock, testDb } from '../../../src/storage/test-db.test-support';

export const API_TOKEN = 'tok_live_5ecret_value';

export interface Harness {
  clock: ReturnType<typeof testClock>;
  repos: Repositories;
  deps: RunDeps;
  errors: unknown[];
  service(owner?: string): RunService;
}

export async function harness(options: { credentials?: Record<string, string>; deps?: Partial<RunDeps>; leaseMs?: number } = {}): Promise<Harness> {
  // Starts at the real time: the circuit breaker (cockatiel) reads Date.now for its open period.
  const clock = testClock(Date.now());
  const repos = createRepositories(await testDb(), { now: clock.now, ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}) });
  const credentials = options.credentials ?? { apiToken: API_TOKEN };
  const errors: unknown[] = [];
  const deps: RunDeps = {
    repos,
    breakers: new BreakerRegistry({ store: repos.breakerStates }),
    resolveCredential: async (name) => credentials[name],
    now: clock.now,
    random: () => 0.5,
    deferAfterMs: 0,
    onError: (error) => void errors.push(error),
    ...options.deps,
  };
  return { clock, repos, deps, errors, service: (owner) => createRunService({ ...deps, ...(owner ? { owner } : {}) }) };
}

/** Drives until no run has work left, moving the clock to each next due time; returns every result. */
export async function driveUntilIdle(h: Harness, owner = 'worker-1', maxRounds = 50): Promise<DriveResult[]> {
  const results: DriveResult[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const result = await drive(h.deps, { owner });
    results.push(result);
    if (result.nextDueAt === undefined) return results;
    if (result.nextDueAt > h.clock.now()) h.clock.set(result.nextDueAt);
  }
  throw new Error(`runs still had work after ${maxRounds} drives`);
}
