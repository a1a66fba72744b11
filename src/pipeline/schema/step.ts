/**
 * A pipeline step. Each seed block drops into a step as written: `{ "dataTransformation": {...} }`
 * is a transform step; `{ "graphqlConfig": {...} }` a GraphQL step; the seed's HTTP request node
 * goes under `"http"`, beside the policy blocks (`responseProcessing`, `resultProcessing`,
 * `retryStrategy`, `circuitBreaker`) exactly as the seed writes them. `kind` may be given; when it
 * is not, the block present says what the step is, and the parsed step always carries it.
 */
import { z } from 'zod';
import { CircuitBreakerSchema } from './circuit-breaker';
import { integer, strict, text } from './common';
import { DataTransformationSchema } from './data-transformation';
import { DatabaseBlockSchema } from './database';
import { FileBlockSchema } from './file';
import { GraphqlConfigSchema } from './graphql-config';
import { HttpRequestSchema } from './http-request';
import { ResponseProcessingSchema } from './response-processing';
import { ResultProcessingSchema } from './result-processing';
import { RetryStrategySchema } from './retry-strategy';

export const STEP_KINDS = { dataTransformation: 'transform', http: 'http', graphqlConfig: 'graphql', database: 'database', file: 'file' } as const;
export type StepKind = (typeof STEP_KINDS)[keyof typeof STEP_KINDS];

const STEP = 'a step containing one of "dataTransformation", "http", "graphqlConfig", "database" or "file"';

/** record: one request per record; batch: one request per `size` records (`{{transformedData}}` is then the list). */
export const BatchingSchema = z.discriminatedUnion(
  'mode',
  [strict({ mode: z.literal('record') }), strict({ mode: z.literal('batch'), size: integer(1, 10_000, 'a whole number of records per request from 1 to 10000') })],
  { error: '{"mode": "record"} or {"mode": "batch", "size": 100}' },
);

const identity = {
  /** Names the step in runs, audit entries and messages; `steps[i]` when absent. */
  id: text('a step id').regex(/^[A-Za-z0-9][\w.-]*$/, { error: 'a step id of letters, digits, ".", "_" and "-"' }).optional(),
  name: text('a step name').optional(),
};

const sending = {
  responseProcessing: ResponseProcessingSchema.optional(),
  resultProcessing: ResultProcessingSchema.optional(),
  retryStrategy: RetryStrategySchema.optional(),
  circuitBreaker: CircuitBreakerSchema.optional(),
  batching: BatchingSchema.default({ mode: 'record' }),
};

/**
 * The native host's steps: the same policies, but `batching` has no default here, because the
 * useful default depends on the operation (delivery-plan.ts: a batchInsert takes its batchSize,
 * other writes 100 records per call, a query one record per call).
 */
const { responseProcessing: _statusRules, ...hostPolicies } = sending;
/** No `responseProcessing`: its rules read HTTP statuses, and the host answers with typed errors instead. */
const hostSending = { ...hostPolicies, batching: BatchingSchema.optional() };

export const TransformStepSchema = strict({ kind: z.literal('transform'), ...identity, dataTransformation: DataTransformationSchema });
export const HttpStepSchema = strict({ kind: z.literal('http'), ...identity, http: HttpRequestSchema, ...sending });
export const GraphqlStepSchema = strict({ kind: z.literal('graphql'), ...identity, graphqlConfig: GraphqlConfigSchema, ...sending });

export const DatabaseStepSchema = strict({ kind: z.literal('database'), ...identity, database: DatabaseBlockSchema, ...hostSending });
export const FileStepSchema = strict({ kind: z.literal('file'), ...identity, file: FileBlockSchema, ...hostSending });

export const StepSchema = z.preprocess(
  inferKind,
  z.discriminatedUnion('kind', [TransformStepSchema, HttpStepSchema, GraphqlStepSchema, DatabaseStepSchema, FileStepSchema], { error: STEP }),
);

/** Adds `kind` from the first block key present; a second block key is then reported as unknown. */
function inferKind(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || 'kind' in value) return value;
  for (const [key, kind] of Object.entries(STEP_KINDS)) if (Object.hasOwn(value, key)) return { kind, ...value };
  return value;
}

export type Batching = z.output<typeof BatchingSchema>;
export type TransformStep = z.output<typeof TransformStepSchema>;
export type HttpStep = z.output<typeof HttpStepSchema>;
export type GraphqlStep = z.output<typeof GraphqlStepSchema>;
export type DatabaseStep = z.output<typeof DatabaseStepSchema>;
export type FileStep = z.output<typeof FileStepSchema>;
export type Step = z.output<typeof StepSchema>;
