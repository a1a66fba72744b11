/**
 * Ferry's integrations: single attempts against external services. Each function makes exactly one
 * attempt and reports what happened; retries, breakers and outcome labels wrap them (src/resilience).
 */
export { sendHttpRequest, redact, DEFAULT_TIMEOUT_MS } from './http/request';
export type { AttemptOptions, BodyType, FilePart, HttpAttempt, HttpAuth, HttpMethod, HttpRequestNode, QueryValue, ResponseType } from './http/types';
export { paginate } from './http/pagination';
export type { CompleteWhen, Page, PageCheckpoint, PaginateOptions, PaginationConfig, SendAttempt } from './http/pagination';
export { sendGraphQLRequest } from './graphql/client';
export type { GraphQLAttempt, GraphQLErrorEntry, GraphQLRequestOptions } from './graphql/types';
export { inferRecordLayout, recordResults } from './graphql/record-results';
export type { RecordLayout, RecordResult, RecordResultOptions } from './graphql/record-results';
export type { AttemptFailureCode } from './shared/attempt-errors';
export { HOST_DELIVERY_TIMEOUT_MS, isHostAttempt, sendHostRequest } from './host/call';
export type { HostAttempt, HostCaller } from './host/call';
