/** Every pipeline schema and its type; one file per seed block. */
export { AuthSchema, type Auth } from './auth';
export { CircuitBreakerSchema, FALLBACK_ACTIONS, type CircuitBreaker, type FallbackAction } from './circuit-breaker';
export { DataTransformationSchema, ValidationRulesSchema, VALUE_FORMATS, type DataTransformation, type ValidationRules, type ValueFormat } from './data-transformation';
export { GraphqlConfigSchema, type GraphqlConfig } from './graphql-config';
export { BODY_TYPES, HTTP_METHODS, HttpRequestSchema, MAX_TIMEOUT_MS, RESPONSE_TYPES, type HttpMethod, type HttpRequest } from './http-request';
export { CompleteWhenSchema, PaginationSchema, type CompleteWhen, type Pagination } from './pagination';
export { PIPELINE_VERSION, PipelineSchema, type Pipeline, type PipelineInput } from './pipeline';
export { OUTCOME_LABELS, ResponseProcessingSchema, RetryConfigSchema, type ResponseProcessing, type RetryConfig } from './response-processing';
export { DATE_FORMATS, RESULT_OPERATIONS, ResultProcessingSchema, ResultTransformationSchema, type ResultProcessing, type ResultTransformation } from './result-processing';
export { BACKOFF_STRATEGIES, RETRYABLE_ERRORS, RetryStrategySchema, type RetryableError, type RetryStrategy } from './retry-strategy';
export { ExtractedFieldSchema, SourceSchema, type ExtractedField, type Source } from './source';
export { CONFLICT_MODES, ConnectionPoolSchema, DATABASE_OPERATIONS, DatabaseBlockSchema, DatabaseConnectionConfigSchema, type DatabaseBlock, type DatabaseConnectionConfig } from './database';
export { FILE_ENCODINGS, FILE_FORMATS, FileBlockSchema, formatOfPath, type FileBlock } from './file';
export { BatchingSchema, DatabaseStepSchema, FileStepSchema, GraphqlStepSchema, HttpStepSchema, STEP_KINDS, StepSchema, TransformStepSchema, type Batching, type DatabaseStep, type FileStep, type GraphqlStep, type HttpStep, type Step, type StepKind, type TransformStep } from './step';
