/**
 * A run keeps the pipeline it was started with, so a worker that wakes hours later delivers the
 * remaining batches exactly as the first ones were, even if the saved pipeline was edited meanwhile.
 * It lives in the `runDefinitions` table, one row per run, written once in the transaction that
 * creates the run; the run's own row stays small because it is rewritten on every settlement.
 */
import { FerryError } from '../errors/ferry-error';
import { parsePipeline, type Pipeline } from '../pipeline';
import type { FerryDB } from '../storage/db';
import type { RunRow } from '../storage/rows';
import type { RunEnv } from './run-env';
import type { RunSource } from './types';

export interface RunDefinition {
  /** The parsed pipeline (plain JSON); parsed again when loaded, so a later Ferry can migrate it. */
  pipeline: Pipeline;
  source: RunSource;
  /**
   * The `{{env.NAME}}` values the pipeline reads, as they were at start (run-env.ts). Absent on runs
   * started before Ferry kept them: those render with no env values, as they did then.
   */
  env?: RunEnv;
}

/** Call inside the transaction that creates the run (runDefinitions in its scope). */
export async function saveDefinition(db: FerryDB, run: RunRow, definition: RunDefinition): Promise<void> {
  await db.runDefinitions.put({ runId: run.id, pipeline: definition.pipeline, source: definition.source, ...(definition.env ? { env: { ...definition.env } } : {}) });
}

export async function loadDefinition(db: FerryDB, run: RunRow): Promise<{ pipeline: Pipeline; source: RunSource; env: RunEnv }> {
  const definition = await db.runDefinitions.get(run.id);
  if (!definition) {
    throw new FerryError('RUN_DEFINITION_MISSING', `Run ${run.id} has no pipeline stored with it, so its remaining batches cannot be sent; start the pipeline again.`, { runId: run.id });
  }
  return { pipeline: parsePipeline(definition.pipeline), source: definition.source, env: definition.env ?? {} };
}
