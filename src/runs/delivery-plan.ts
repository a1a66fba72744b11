/**
 * The delivery step compiled once per run: its templates, its retry policy, its breaker block and
 * fallback, its result processing. Compiling at start as well as on every wake means a step that
 * cannot be sent (a GraphQL document whose records cannot be told apart) is refused before any
 * record is queued.
 */
import { FerryError } from '../errors/ferry-error';
import type { JsonValue } from '../protocol/jsonrpc';
import { compileResultProcessing, compileValue, type CircuitBreaker, type CompiledResultProcessing, type CompiledValue, type GraphqlStep, type HttpStep } from '../pipeline';
import { inferRecordLayout } from '../integrations';
import { resolveBreakerConfig, resolveRetryPolicy, type FallbackAction, type RetryPolicy } from '../resilience';
import { graphqlOperationInfo, type GraphqlOperationInfo } from './graphql-operation';
import type { PipelineShape } from './pipeline-shape';
import type { RunEnv } from './run-env';

interface PlanCommon {
  location: string;
  policy: RetryPolicy;
  breaker: CircuitBreaker | undefined;
  fallback: FallbackAction;
  /** record: `{{transformedData}}` is one record object; batch: the list of the batch's records. */
  batchMode: 'record' | 'batch';
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

export type DeliveryPlan = HttpPlan | GraphqlPlan;

export function planDelivery(shape: PipelineShape, env: RunEnv = {}): DeliveryPlan {
  const step = shape.delivery;
  const common = {
    env,
    policy: resolveRetryPolicy({ ...(step.responseProcessing ? { responseProcessing: step.responseProcessing } : {}), ...(step.retryStrategy ? { retryStrategy: step.retryStrategy } : {}) }),
    breaker: step.circuitBreaker,
    fallback: resolveBreakerConfig(step.circuitBreaker).fallback,
    batchMode: step.batching.mode,
    resultProcessing: step.resultProcessing ? compileResultProcessing(step.resultProcessing, `steps[${shape.deliveryIndex}].resultProcessing`) : undefined,
  };
  if (step.kind === 'http') {
    const location = `steps[${shape.deliveryIndex}].http`;
    const { url, headers, query, body, auth } = step.http;
    return { kind: 'http', step, location, ...common, templated: compileValue(defined({ url, headers, query, body, auth }), location) };
  }
  const location = `steps[${shape.deliveryIndex}].graphqlConfig`;
  const { endpoint, variables, headers, auth, query, operationName } = step.graphqlConfig;
  const size = step.batching.mode === 'batch' ? step.batching.size : 1;
  try {
    inferRecordLayout(query, size);
  } catch (error) {
    // The layout decides which part of the response is whose; without one, no record could be settled.
    throw new FerryError('PIPELINE_UNSUPPORTED_SHAPE', `${location}.query: ${(error as Error).message}`, { location });
  }
  return { kind: 'graphql', step, location, ...common, templated: compileValue(defined({ endpoint, variables, headers, auth }), location), operation: graphqlOperationInfo(query, operationName) };
}

/** Leaves absent fields out, so the rendered value has no `undefined` to send. */
function defined(fields: Record<string, unknown>): JsonValue {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as JsonValue;
}
