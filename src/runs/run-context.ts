/** A run's stored pipeline, compiled for sending: built once per run per drive. */
import type { RunRow } from '../storage/rows';
import { planDelivery, type DeliveryPlan } from './delivery-plan';
import { pipelineShape } from './pipeline-shape';
import { loadDefinition } from './run-definition';
import type { RunSource } from './types';

export interface RunContext {
  runId: string;
  pipelineId: string;
  source: RunSource;
  plan: DeliveryPlan;
}

export function runContext(run: RunRow): RunContext {
  const { pipeline, source } = loadDefinition(run);
  return { runId: run.id, pipelineId: run.pipelineId, source, plan: planDelivery(pipelineShape(pipeline)) };
}
