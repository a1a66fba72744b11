/**
 * Retries, Retry-After, backoff and per-host circuit breakers for Ferry's HTTP and GraphQL steps,
 * configured by the seed's responseProcessing, retryStrategy and circuitBreaker blocks.
 */
export { AttemptError, isAttemptError, toAttemptError, type AttemptErrorCode } from './attempt-error';
export { backoffDelay, retryDelay, type BackoffSchedule, type RandomSource } from './backoff';
export { circuitOpenError, HostBreaker, type BreakerDecision, type BreakerExecution, type BreakerRefusal, type BreakerSnapshot, type BreakerState } from './breaker';
export { BREAKER_DEFAULTS, resolveBreakerConfig, type BreakerConfig, type BreakerKind, type CircuitBreakerBlock, type FallbackAction } from './breaker-config';
export type { PersistedBreakerState } from './breaker-persistence';
export { BreakerRegistry, breakerHost, type BreakerRegistryOptions } from './breaker-registry';
export { MemoryBreakerStateStore, type BreakerStateStore } from './breaker-state-store';
export { getHeader, type HeadersLike } from './headers';
export { isSafeToRepeat, type RetryRequest } from './idempotency';
export { nextRetry, type NextRetryInput, type RetryDecision, type RetryStopReason } from './next-retry';
export { classifyError, classifyResponse, isRetryableStatus, type AttemptOutcome, type AttemptResponse, type OutcomePolicy } from './outcome';
export { RETRY_DEFAULTS, resolveRetryPolicy, type BackoffType, type ResponseProcessingBlock, type RetryableErrorName, type RetryPolicy, type RetryStrategyBlock } from './policy';
export { runWithRetry, type AttemptContext, type RetryEvent, type RetryResult, type RunWithRetryOptions } from './retry';
export { parseHttpDate, parseRetryAfter } from './retry-after';
