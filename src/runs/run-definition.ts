/**
 * A run keeps the pipeline it was started with, so a worker that wakes hours later delivers the
 * remaining batches exactly as the first ones were, even if the saved pipeline was edited meanwhile.
 * It rides on the run's row as an extra field: the storage layer copies rows with spreads, so the
 * field survives status, count and replay updates. (RunRow could declare it; until it does, this
 * file is the only place that knows about it.)
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

type RunRowWithDefinition = RunRow & { definition?: RunDefinition };

/** Call inside the transaction that creates the run. */
export async function saveDefinition(db: FerryDB, run: RunRow, definition: RunDefinition): Promise<void> {
  const row: RunRowWithDefinition = { ...run, definition };
  await db.runs.put(row);
}

export function loadDefinition(run: RunRow): { pipeline: Pipeline; source: RunSource; env: RunEnv } {
  const definition = (run as RunRowWithDefinition).definition;
  if (!definition) {
    throw new FerryError('RUN_DEFINITION_MISSING', `Run ${run.id} has no pipeline stored with it, so its remaining batches cannot be sent; start the pipeline again.`, { runId: run.id });
  }
  return { pipeline: parsePipeline(definition.pipeline), source: definition.source, env: definition.env ?? {} };
}

/** The run as shown to pages: without the stored pipeline (large, and not theirs to read). */
export function withoutDefinition(run: RunRow): RunRow {
  const { definition: _definition, ...rest } = run as RunRowWithDefinition;
  return rest;
}
