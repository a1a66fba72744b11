import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import { addRunCounts, requireRun, ZERO_COUNTS, type RunCountsDelta } from './run-counts';
import type { RunRow, RunStatus, StoredError } from './rows';

const FINISHED: ReadonlySet<RunStatus> = new Set(['succeeded', 'nothingSent', 'failed', 'cancelled']);

export function isFinished(status: RunStatus): boolean {
  return FINISHED.has(status);
}

export interface NewRun {
  pipelineId: string;
  /** The name it runs under, kept with the run (see RunRow.pipelineName). */
  pipelineName?: string;
  /** Defaults to a random UUID. */
  id?: string;
  checkpoint?: unknown;
}

/** Runs: their status, timings, counts and pagination checkpoint. */
export class Runs {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  async create(input: NewRun): Promise<RunRow> {
    const at = this.now();
    const run: RunRow = {
      id: input.id ?? crypto.randomUUID(), pipelineId: input.pipelineId, status: 'queued',
      createdAt: at, updatedAt: at, counts: { ...ZERO_COUNTS },
      ...(input.pipelineName !== undefined ? { pipelineName: input.pipelineName } : {}),
      ...(input.checkpoint !== undefined ? { checkpoint: input.checkpoint } : {}),
    };
    await this.db.runs.add(run);
    return run;
  }

  get(id: string): Promise<RunRow | undefined> {
    return this.db.runs.get(id);
  }

  /** The run, or FerryError('RUN_NOT_FOUND'). */
  require(id: string): Promise<RunRow> {
    return requireRun(this.db, id);
  }

  /**
   * Moves a run to `status`, stamping startedAt on its first start and finishedAt when it finishes.
   * `error` is stored with a failed or nothingSent run (the reason, cleared otherwise); it must already be free of secrets.
   * A finished run only moves again to `queued` (a dead-letter replay), never straight to running.
   */
  setStatus(id: string, status: RunStatus, options: { error?: StoredError } = {}): Promise<RunRow> {
    return this.db.transaction('rw', this.db.runs, async () => {
      const run = await requireRun(this.db, id);
      if (isFinished(run.status) && status !== 'queued' && status !== run.status) {
        throw new FerryError('RUN_FINISHED', `Run ${id} has already ${run.status}; it cannot become ${status}.`, { runId: id, status: run.status });
      }
      const at = this.now();
      const updated: RunRow = { ...run, status, updatedAt: at };
      if (status === 'running' && updated.startedAt === undefined) updated.startedAt = at;
      if (isFinished(status)) updated.finishedAt = at;
      else delete updated.finishedAt;
      if (options.error) updated.error = options.error;
      else delete updated.error;
      await this.db.runs.put(updated);
      return updated;
    });
  }

  addCounts(id: string, delta: RunCountsDelta): Promise<RunRow> {
    return this.db.transaction('rw', this.db.runs, () => addRunCounts(this.db, id, delta, this.now()));
  }

  /** Saves the pagination cursor alone; JobQueue.enqueue saves it together with a page's batches. */
  saveCheckpoint(id: string, checkpoint: unknown): Promise<RunRow> {
    return this.db.transaction('rw', this.db.runs, async () => {
      const updated: RunRow = { ...(await requireRun(this.db, id)), checkpoint, updatedAt: this.now() };
      await this.db.runs.put(updated);
      return updated;
    });
  }

  /** A pipeline's runs, newest first. */
  listByPipeline(pipelineId: string, limit = 50): Promise<RunRow[]> {
    return this.db.runs.where('[pipelineId+createdAt]').between([pipelineId, -Infinity], [pipelineId, Infinity]).reverse().limit(limit).toArray();
  }

  /** Runs a waking worker should continue: queued or running when the last worker stopped. */
  listResumable(): Promise<RunRow[]> {
    return this.db.runs.where('status').anyOf('queued', 'running').sortBy('createdAt');
  }
}
