/**
 * What the background wires up: one run service per worker start. It owns this worker's lease
 * identity, releases jobs its dead predecessors held (once, on the first drive), never runs two drives
 * at once (a drive asked for meanwhile runs right after the current one), and asks the scheduler for
 * a wake-up whenever work remains.
 */
import type { DeadLetterRow, RejectRow, AuditRow, RunRow } from '../storage/rows';
import type { JobStatusCounts } from '../storage/job-queue';
import { drive } from './drive';
import { startRun } from './start-run';
import type { DriveResult, DriveScheduler, RunDeps, StartRunInput } from './types';

export interface RunServiceDeps extends RunDeps {
  /** This worker instance's lease owner id; default a fresh UUID (one per service, one service per worker start). */
  owner?: string;
  scheduler?: DriveScheduler;
}

/** A run as pages see it: its row without the stored pipeline, plus where its jobs stand. */
export type RunSummary = RunRow & { jobs: JobStatusCounts; deadLetters: number };

export interface RunService {
  readonly owner: string;
  /** Starts a run and schedules a wake-up; call `drive()` next to start sending at once. */
  start(input: StartRunInput): Promise<string>;
  drive(options?: { signal?: AbortSignal; maxWorkMs?: number }): Promise<DriveResult>;
  getRun(runId: string): Promise<RunSummary | undefined>;
  /** Newest first. */
  listRuns(options?: { pipelineId?: string; limit?: number }): Promise<RunRow[]>;
  listDeadLetters(filter?: { runId?: string; pipelineId?: string }): Promise<DeadLetterRow[]>;
  listRejects(runId: string, limit?: number): Promise<RejectRow[]>;
  listAudit(runId: string, limit?: number): Promise<AuditRow[]>;
  /** Requeues dead letters (by id, or all of a run's) with their original keys; reopens finished runs. */
  replayDeadLetters(target: readonly number[] | { runId: string }): Promise<{ replayed: number }>;
  /** Drops dead letters (by id, or all of a run's) for good; the run's counts stay as they are. */
  discardDeadLetters(target: readonly number[] | { runId: string }): Promise<{ discarded: number }>;
}

export function createRunService(deps: RunServiceDeps): RunService {
  const owner = deps.owner ?? crypto.randomUUID();
  const now = deps.now ?? Date.now;
  const { repos } = deps;
  let released: Promise<number> | undefined;
  let running: Promise<DriveResult> | undefined;
  let again = false;

  const schedule = async (atMs: number) => {
    try {
      await deps.scheduler?.schedule(atMs);
    } catch (error) {
      deps.onError?.(error);
    }
  };

  const drives = async (options: { signal?: AbortSignal; maxWorkMs?: number }): Promise<DriveResult> => {
    // Only one background runs at a time, so jobs other owners hold died with their workers.
    released ??= repos.jobs.releaseAbandoned(owner).catch((error: unknown) => {
      released = undefined;
      throw error;
    });
    await released;
    let processed = 0;
    let result: DriveResult;
    do {
      again = false;
      result = await drive(deps, { owner, ...options });
      processed += result.processed;
    } while (again && !options.signal?.aborted);
    if (result.nextDueAt !== undefined) await schedule(result.nextDueAt);
    return { ...result, processed };
  };

  return {
    owner,
    async start(input) {
      const runId = await startRun(deps, input);
      await schedule(now()); // a worker that stops before driving still wakes up for it
      return runId;
    },
    drive(options = {}) {
      if (running) {
        again = true;
        return running;
      }
      running = drives(options).finally(() => {
        running = undefined;
      });
      return running;
    },
    async getRun(runId) {
      const run = await repos.runs.get(runId);
      if (!run) return undefined;
      const [jobs, deadLetters] = await Promise.all([repos.jobs.countsByRun(runId), repos.db.deadLetters.where('runId').equals(runId).count()]);
      return { ...run, jobs, deadLetters };
    },
    async listRuns({ pipelineId, limit = 50 } = {}) {
      const rows = pipelineId !== undefined ? await repos.runs.listByPipeline(pipelineId, limit) : (await repos.db.runs.toArray()).sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
      return rows;
    },
    listDeadLetters: (filter = {}) => repos.deadLetters.list(filter),
    listRejects: (runId, limit) => repos.rejects.listByRun(runId, limit),
    listAudit: (runId, limit) => repos.audit.listByRun(runId, limit),
    async replayDeadLetters(target) {
      const ids = 'runId' in target ? (await repos.deadLetters.list({ runId: target.runId })).map((letter) => letter.id) : [...target];
      if (ids.length === 0) return { replayed: 0 };
      await repos.deadLetters.replay(ids);
      await schedule(now());
      return { replayed: ids.length };
    },
    async discardDeadLetters(target) {
      return { discarded: await repos.deadLetters.discard(target) };
    },
  };
}
