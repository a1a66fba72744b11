/**
 * Pipelines assembled from the seed's blocks exactly as tests/fixtures/seed/ holds them (comments,
 * backtick strings and all), with https://api.example.com pointed at a local test server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText } from '../../../src/pipeline';

const SEED_DIR = join(__dirname, '../../fixtures/seed');

export function seedBlock(name: string, origin?: string): Record<string, unknown> {
  const text = readFileSync(join(SEED_DIR, `${name}.txt`), 'utf8');
  const pointed = origin ? text.replaceAll('https://api.example.com', origin) : text;
  return parseConfigText(pointed) as Record<string, unknown>;
}

/**
 * dataTransformation → HTTP request node with responseProcessing, retryStrategy, circuitBreaker and
 * resultProcessing beside it. `step` overrides or adds keys of the delivery step (e.g. batching).
 */
export function seedHttpPipeline(origin: string, step: Record<string, unknown> = {}, id = 'seed-http'): Record<string, unknown> {
  return {
    version: 1,
    id,
    name: 'Seed blocks to a local API',
    source: { type: 'supplied' },
    steps: [
      seedBlock('data-transformation'),
      {
        http: seedBlock('http-request', origin),
        ...seedBlock('response-processing'),
        ...seedBlock('retry-strategy'),
        ...seedBlock('circuit-breaker'),
        ...seedBlock('result-processing'),
        ...step,
      },
    ],
  };
}

/** A record the seed's mapping accepts (field1 required, field2 an email). */
export function goodRecord(i: number): { field1: string; field2: string } {
  return { field1: `item-${i}`, field2: `user${i}@example.test` };
}
