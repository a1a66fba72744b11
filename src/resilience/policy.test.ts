import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { resolveRetryPolicy } from './policy';
import { SEED_RESPONSE_PROCESSING, SEED_RETRY_STRATEGY } from './seed-blocks.fixture';

describe('resolveRetryPolicy', () => {
  it('defaults without any block', () => {
    expect(resolveRetryPolicy({})).toEqual({ errorLabels: {}, maxAttempts: 3, backoff: 'exponential', baseDelayMs: 1000, maxDelayMs: 30000, jitter: true, retryAfterCeilingMs: 300000 });
  });

  it('reads responseProcessing alone: maxRetries + 1 attempts, its statuses, network errors and timeouts still retried', () => {
    const policy = resolveRetryPolicy({ responseProcessing: SEED_RESPONSE_PROCESSING });
    expect(policy.maxAttempts).toBe(4);
    expect(policy.successCodes).toEqual([200, 201, 202]);
    expect(policy.retryableStatuses).toEqual([429, 500, 502, 503, 504]);
    expect(policy.retryableNames).toEqual(['NETWORK_ERROR', 'TIMEOUT']);
  });

  it('reads retryStrategy alone', () => {
    const policy = resolveRetryPolicy({ retryStrategy: SEED_RETRY_STRATEGY });
    expect(policy).toMatchObject({ maxAttempts: 3, backoff: 'exponential', baseDelayMs: 1000, maxDelayMs: 30000, jitter: true, retryableStatuses: [], retryableNames: ['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMIT'] });
  });

  it('with both blocks: retryStrategy wins for attempts and backoff, retryable lists are united', () => {
    const policy = resolveRetryPolicy({
      responseProcessing: { ...SEED_RESPONSE_PROCESSING, retryConfig: { ...SEED_RESPONSE_PROCESSING.retryConfig, backoffStrategy: 'linear' } },
      retryStrategy: SEED_RETRY_STRATEGY,
    });
    expect(policy.maxAttempts).toBe(3);
    expect(policy.backoff).toBe('exponential');
    expect(policy.retryableStatuses).toEqual([429, 500, 502, 503, 504]);
    expect(policy.retryableNames).toEqual(['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMIT']);
  });

  it('accepts statuses among names and names among statuses, case-insensitively', () => {
    const policy = resolveRetryPolicy({ retryStrategy: { retryableErrors: ['server_error', 503, '409'] } });
    expect(policy.retryableNames).toEqual(['SERVER_ERROR']);
    expect(policy.retryableStatuses).toEqual([503, 409]);
  });

  it("takes retryConfig's delays when retryStrategy has none", () => {
    expect(resolveRetryPolicy({ responseProcessing: { retryConfig: { baseDelay: 200, maxDelay: 5000 } } })).toMatchObject({ baseDelayMs: 200, maxDelayMs: 5000 });
    expect(resolveRetryPolicy({ responseProcessing: { retryConfig: { baseDelay: 200 } }, retryStrategy: { baseDelay: 500 } })).toMatchObject({ baseDelayMs: 500, maxDelayMs: 30000 });
  });

  it('keeps Retry-After ceiling at least maxDelay', () => {
    expect(resolveRetryPolicy({ retryStrategy: { maxDelay: 600000 } }).retryAfterCeilingMs).toBe(600000);
  });

  it.each([
    [{ retryStrategy: { retryableErrors: ['CONNECTION_RESET'] } }, 'retryStrategy.retryableErrors[0]'],
    [{ retryStrategy: { maxAttempts: 0 } }, 'retryStrategy.maxAttempts'],
    [{ retryStrategy: { backoffType: 'fibonacci' } }, 'retryStrategy.backoffType'],
    [{ retryStrategy: { baseDelay: -1 } }, 'retryStrategy.baseDelay'],
    [{ responseProcessing: { retryConfig: { maxRetries: 1.5 } } }, 'responseProcessing.retryConfig.maxRetries'],
    [{ responseProcessing: { retryConfig: { retryableErrors: [700] } } }, 'responseProcessing.retryConfig.retryableErrors[0]'],
    [{ responseProcessing: { retryConfig: { backoffStrategy: 'random' } } }, 'responseProcessing.retryConfig.backoffStrategy'],
    [{ responseProcessing: { successCodes: [2000] } }, 'responseProcessing.successCodes[0]'],
  ])('refuses %j naming the path', (blocks, path) => {
    try {
      resolveRetryPolicy(blocks);
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error, 'RETRY_POLICY_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`^${path.replace(/[[\].]/g, '\\$&')} must be`));
    }
  });
});
