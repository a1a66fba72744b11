/** A run's stored pipeline, compiled for sending: built once per run per drive. */
import type { FerryDB } from '../storage/db';
import type { RunRow } from '../storage/rows';
import { planDelivery, type DeliveryPlan } from './delivery-plan';
import { pipelineShape } from './pipeline-shape';
import { loadDefinition } from './run-definition';
import type { RunEnv } from './run-env';
import type { RunSource } from './types';

export interface RunContext {
  runId: string;
  pipelineId: string;
  source: RunSource;
  /** The env values stored with the run at start; the plan carries them to rendering. */
  env: RunEnv;
  plan: DeliveryPlan;
}

export async function runContext(db: FerryDB, run: RunRow): Promise<RunContext> {
  const { pipeline, source, env } = await loadDefinition(db, run);
  return { runId: run.id, pipelineId: run.pipelineId, source, env, plan: planDelivery(pipelineShape(pipeline), env) };
}
