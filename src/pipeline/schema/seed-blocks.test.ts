/**
 * Every seed block of the pipeline kinds, read from tests/fixtures/seed/ exactly as the user's guide
 * writes it, parses with config-text and its schema, and drops into a pipeline step as written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config-text';
import { parseBlock, parsePipeline } from '../parse-pipeline';
import { CircuitBreakerSchema } from './circuit-breaker';
import { DataTransformationSchema } from './data-transformation';
import { GraphqlConfigSchema } from './graphql-config';
import { HttpRequestSchema } from './http-request';
import { ResponseProcessingSchema } from './response-processing';
import { ResultProcessingSchema } from './result-processing';
import { RetryStrategySchema } from './retry-strategy';
import { StepSchema } from './step';

const seedText = (name: string) => readFileSync(join(__dirname, '../../../tests/fixtures/seed', `${name}.txt`), 'utf8');
const seed = (name: string) => parseConfigText(seedText(name)) as Record<string, unknown>;

describe('seed blocks parse with their schemas as written', () => {
  it('dataTransformation', () => {
    expect(parseBlock(DataTransformationSchema, seed('data-transformation').dataTransformation, 'dataTransformation')).toEqual({
      mapping: { apiField1: '{{extracted.field1}}', apiField2: '{{extracted.field2}}', timestamp: '{{now()}}' },
      validation: { required: ['apiField1'], formats: { apiField2: 'email' } },
    });
  });

  it('the HTTP request node', () => {
    expect(parseBlock(HttpRequestSchema, seedText('http-request'), 'HTTP request')).toEqual({
      method: 'POST',
      url: 'https://api.example.com/v1/data',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer {{credentials.apiToken}}', 'X-Client-Version': '1.0.0' },
      body: { data: '{{transformedData}}', metadata: { source: 'browser-workflow', timestamp: '{{timestamp}}' } },
      timeout: 30_000,
      followRedirects: true,
    });
  });

  it('responseProcessing', () => {
    expect(parseBlock(ResponseProcessingSchema, seed('response-processing').responseProcessing, 'responseProcessing')).toEqual({
      successCodes: [200, 201, 202],
      errorHandling: { '400': 'validation_error', '401': 'authentication_error', '429': 'rate_limit_exceeded', '500': 'server_error' },
      retryConfig: { maxRetries: 3, backoffStrategy: 'exponential', retryableErrors: [429, 500, 502, 503, 504] },
    });
  });

  it('resultProcessing', () => {
    expect(parseBlock(ResultProcessingSchema, seed('result-processing').resultProcessing, 'resultProcessing')).toEqual({
      extractFields: ['id', 'status', 'createdAt'],
      transformations: [{ field: 'createdAt', operation: 'parseDate', format: 'ISO8601' }],
      storage: { type: 'local', key: 'api_results_{{id}}' },
    });
  });

  it('graphqlConfig, its backtick query kept as written', () => {
    const config = parseBlock(GraphqlConfigSchema, seed('graphql-config').graphqlConfig, 'graphqlConfig');
    expect(config.endpoint).toBe('https://api.example.com/graphql');
    expect(config.query).toContain('mutation CreateRecord($input: RecordInput!) {\ncreateRecord(input: $input) {');
    expect(config.variables).toEqual({ input: '{{preparedData}}' });
    expect(config.timeout).toBe(30_000);
  });

  it('retryStrategy', () => {
    expect(parseBlock(RetryStrategySchema, seed('retry-strategy').retryStrategy, 'retryStrategy')).toEqual({
      maxAttempts: 3,
      backoffType: 'exponential',
      baseDelay: 1000,
      maxDelay: 30_000,
      jitter: true,
      retryableErrors: ['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMIT'],
    });
  });

  it('circuitBreaker', () => {
    expect(parseBlock(CircuitBreakerSchema, seed('circuit-breaker').circuitBreaker, 'circuitBreaker')).toEqual({
      failureThreshold: 5,
      timeout: 60_000,
      resetTimeout: 300_000,
      monitoringWindow: 600_000,
      fallbackAction: 'useCache',
    });
  });
});

describe('seed blocks drop into steps as written', () => {
  it('the dataTransformation and graphqlConfig blocks are steps by themselves', () => {
    expect(StepSchema.parse(seed('data-transformation')).kind).toBe('transform');
    expect(StepSchema.parse(seed('graphql-config')).kind).toBe('graphql');
  });

  it('the HTTP node goes under "http", beside the policy blocks spread in as written', () => {
    const step = StepSchema.parse({
      http: seed('http-request'),
      ...seed('response-processing'),
      ...seed('result-processing'),
      ...seed('retry-strategy'),
      ...seed('circuit-breaker'),
    });
    expect(step.kind).toBe('http');
    if (step.kind !== 'http') return;
    expect(step.http.method).toBe('POST');
    expect(step.responseProcessing?.successCodes).toEqual([200, 201, 202]);
    expect(step.resultProcessing?.storage?.key).toBe('api_results_{{id}}');
    expect(step.retryStrategy?.retryableErrors).toEqual(['NETWORK_ERROR', 'TIMEOUT', 'RATE_LIMIT']);
    expect(step.circuitBreaker?.fallbackAction).toBe('useCache');
    expect(step.batching).toEqual({ mode: 'record' });
  });

  it('a pipeline pasted as text with the seed blocks inside, comments and backticks included', () => {
    const text = `// Orders to the CRM
{
  "version": 1,
  "id": "orders-to-crm",
  "name": "Orders to the CRM",
  "match": ["https://shop.example.com/*"],
  "source": { "type": "supplied" },
  "steps": [
${seedText('data-transformation')},
    {
      "id": "send",
      "http": ${seedText('http-request')},
      "batching": { "mode": "batch", "size": 50 },
    },
${seedText('graphql-config')},
  ],
}`;
    const pipeline = parsePipeline(text);
    expect(pipeline.steps.map((s) => s.kind)).toEqual(['transform', 'http', 'graphql']);
    expect(pipeline.steps[1]).toMatchObject({ id: 'send', batching: { mode: 'batch', size: 50 } });
  });
});
