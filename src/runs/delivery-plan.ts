/**
 * The delivery step compiled once per run: its templates, its retry policy, its breaker block and
 * fallback, its result processing. Compiling at start as well as on every wake means a step that
 * cannot be sent (a GraphQL document whose records cannot be told apart) is refused before any
 * record is queued.
 */
import { FerryError } from '../errors/ferry-error';
import { compileResultProcessing, compileValue, type Batching, type CircuitBreaker, type CompiledResultProcessing, type CompiledValue, type DatabaseStep, type FileStep, type GraphqlStep, type HttpStep } from '../pipeline';
import { inferRecordLayout } from '../integrations';
import { resolveBreakerConfig, resolveRetryPolicy, type FallbackAction, type RetryPolicy } from '../resilience';
import { graphqlOperationInfo, type GraphqlOperationInfo } from './graphql-operation';
import { compileDatabaseStep, compileFileStep, defined, type DatabaseTemplates, type FileTemplates } from './host-plan';
import type { PipelineShape } from './pipeline-shape';
import type { RunEnv } from './run-env';

interface PlanCommon {
  location: string;
  policy: RetryPolicy;
  breaker: CircuitBreaker | undefined;
  fallback: FallbackAction;
  /** record: `{{transformedData}}` is one record object; batch: the list of the batch's records. */
  batchMode: 'record' | 'batch';
  /** How the run's records are cut into jobs: the step's `batching`, or its kind's default (host-plan.ts). */
  batching: Batching;
  /** The step's templated parts (url or endpoint, headers, query, body or variables, auth). */
  templated: CompiledValue;
  resultProcessing: CompiledResultProcessing | undefined;
  /**
   * The run's `{{env.NAME}}` values, stored with it at start (run-env.ts). They ride on the plan
   * because the plan is what reaches rendering and result storage for every batch of the run.
   */
  env: RunEnv;
}

export interface HttpPlan extends PlanCommon {
  kind: 'http';
  step: HttpStep;
}

export interface GraphqlPlan extends PlanCommon {
  kind: 'graphql';
  step: GraphqlStep;
  operation: GraphqlOperationInfo;
}

/** A `database` step: one `db.*` call per job, through the native host. */
export interface DatabasePlan extends PlanCommon, Omit<DatabaseTemplates, 'templated' | 'batching'> {
  kind: 'database';
  step: DatabaseStep;
}

/** A `file` step: one `fs.write` per job, through the native host. */
export interface FilePlan extends PlanCommon, Omit<FileTemplates, 'templated' | 'batching'> {
  kind: 'file';
  step: FileStep;
}

export type DeliveryPlan = HttpPlan | GraphqlPlan | DatabasePlan | FilePlan;
/** The plans whose requests go to the native host rather than over the network. */
export type HostPlan = DatabasePlan | FilePlan;

export function isHostPlan(plan: DeliveryPlan): plan is HostPlan {
  return plan.kind === 'database' || plan.kind === 'file';
}

export function planDelivery(shape: PipelineShape, env: RunEnv = {}): DeliveryPlan {
  const step = shape.delivery;
  const location = `steps[${shape.deliveryIndex}]`;
  const host = step.kind === 'database' ? compileDatabaseStep(step, location) : step.kind === 'file' ? compileFileStep(step, location) : undefined;
  const batching = host?.batching ?? (step.kind === 'http' || step.kind === 'graphql' ? step.batching : { mode: 'record' as const });
  const common = {
    env,
    batching,
    policy: resolveRetryPolicy({ ...('responseProcessing' in step && step.responseProcessing ? { responseProcessing: step.responseProcessing } : {}), ...(step.retryStrategy ? { retryStrategy: step.retryStrategy } : {}) }),
    breaker: step.circuitBreaker,
    fallback: resolveBreakerConfig(step.circuitBreaker).fallback,
    batchMode: batching.mode,
    resultProcessing: step.resultProcessing ? compileResultProcessing(step.resultProcessing, `steps[${shape.deliveryIndex}].resultProcessing`) : undefined,
  };
  if (step.kind === 'database' && host && 'method' in host) {
    const { templated, batching: _, ...rest } = host;
    return { kind: 'database', step, location: `${location}.database`, ...common, ...rest, templated };
  }
  if (step.kind === 'file' && host && 'singleJob' in host) {
    const { templated, batching: _, ...rest } = host;
    return { kind: 'file', step, location: `${location}.file`, ...common, ...rest, templated };
  }
  if (step.kind === 'http') {
    const { url, headers, query, body, auth } = step.http;
    return { kind: 'http', step, location: `${location}.http`, ...common, templated: compileValue(defined({ url, headers, query, body, auth }), `${location}.http`, { urlKeys: ['url'] }) };
  }
  if (step.kind !== 'graphql') throw new FerryError('PIPELINE_UNSUPPORTED_SHAPE', `${location}: not a delivery step.`, { location });
  const graphqlLocation = `${location}.graphqlConfig`;
  const { endpoint, variables, headers, auth, query, operationName } = step.graphqlConfig;
  const size = step.batching.mode === 'batch' ? step.batching.size : 1;
  try {
    inferRecordLayout(query, size);
  } catch (error) {
    // The layout decides which part of the response is whose; without one, no record could be settled.
    throw new FerryError('PIPELINE_UNSUPPORTED_SHAPE', `${graphqlLocation}.query: ${(error as Error).message}`, { location: graphqlLocation });
  }
  return { kind: 'graphql', step, location: graphqlLocation, ...common, templated: compileValue(defined({ endpoint, variables, headers, auth }), graphqlLocation, { urlKeys: ['endpoint'] }), operation: graphqlOperationInfo(query, operationName) };
}
