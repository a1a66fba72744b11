/**
 * The benchmark's pipeline, composed from the seed's blocks as tests/fixtures/seed/ holds them (as
 * tests/e2e/pipeline-run.spec.ts does): dataTransformation, then the HTTP request node with
 * responseProcessing, retryStrategy and circuitBreaker beside it. Only https://api.example.com is
 * pointed at the bench's server. Record mode: one request per record.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const SEED_BLOCKS = ['data-transformation', 'http-request', 'response-processing', 'retry-strategy', 'circuit-breaker'];

/** @param {string} root repository root  @param {string} origin the server's origin */
export function benchPipelineText(root, origin) {
  const seed = (name) => readFileSync(path.join(root, 'tests/fixtures/seed', `${name}.txt`), 'utf8').replaceAll('https://api.example.com', origin);
  // A policy block's keys go beside `http` in the delivery step: drop its comment line and outer braces.
  const inner = (name) => seed(name).replace(/^\s*\/\/.*\n\s*\{/, '').replace(/\}\s*$/, '');
  return `{
    "version": 1, "id": "bench-http", "name": "bench:http seed pipeline",
    "source": { "type": "supplied" },
    "steps": [
      ${seed('data-transformation')},
      {
        "http": ${seed('http-request')},
        ${inner('response-processing')},
        ${inner('retry-strategy')},
        ${inner('circuit-breaker')}
      }
    ]
  }`;
}

export { SEED_BLOCKS };
