/** The seed's blocks exactly as written in integration-patterns.txt, for tests. */
export const SEED_RESPONSE_PROCESSING = {
  successCodes: [200, 201, 202],
  errorHandling: { '400': 'validation_error', '401': 'authentication_error', '429': 'rate_limit_exceeded', '500': 'server_error' },
  retryConfig: { maxRetries: 3, backoffStrategy: 'exponential', retryableErrors: [429, 500, 502, 503, 504] },
};
export const SEED_RETRY_STRATEGY = {
  maxAttempts: 3,
  backoffType: 'exponential',
  baseDelay: 1000,
  maxDelay: 30000,
  jitter: true,
  retryableErrors: ['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMIT'],
};

export const SEED_CIRCUIT_BREAKER = {
  failureThreshold: 5,
  timeout: 60000,
  resetTimeout: 300000,
  monitoringWindow: 600000,
  fallbackAction: 'useCache',
} as const;
