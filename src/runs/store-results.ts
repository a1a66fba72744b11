/**
 * resultProcessing for a delivered batch: keep and normalize the listed fields of the response, to be
 * stored under the step's templated key with the job's settlement (settle-writer.ts). The request
 * already succeeded, so nothing here may fail the job (that would invite a duplicate send): problems,
 * a storage key whose field is missing included, are returned as messages for the job's outcome.
 */
import { isFerryError } from '../errors/ferry-error';
import { processResult } from '../pipeline';
import type { DeliveryPlan } from './delivery-plan';
import type { ResultWrite } from './settle-writer';
import type { RunDeps } from './types';

export interface ProcessedResult {
  results: ResultWrite[];
  problems: string[];
}

/** What a storage key's templates may read besides the response: the clock and the run's env values. */
export interface ResultScope {
  now: number;
  env?: Readonly<Record<string, string | undefined>>;
}

/** The run's env values (stored with it at start; a test's deps.env overrides them) and the clock now. */
export function resultScope(plan: DeliveryPlan, deps: Pick<RunDeps, 'env' | 'now'>): ResultScope {
  const env = deps.env ? { ...plan.env, ...deps.env } : plan.env;
  return { now: (deps.now ?? Date.now)(), env };
}

export function processDelivered(plan: DeliveryPlan, body: unknown, scope: ResultScope): ProcessedResult {
  if (!plan.resultProcessing) return { results: [], problems: [] };
  try {
    const processed = processResult(plan.resultProcessing, body, { now: scope.now, ...(scope.env ? { env: scope.env } : {}) });
    return {
      results: processed.storage ? [{ key: processed.storage.key, value: processed.fields }] : [],
      problems: processed.problems.map((p) => p.message),
    };
  } catch (error) {
    // Only a FerryError's message is quoted; others may carry a URL with a key in it.
    return { results: [], problems: [`the result was not stored: ${isFerryError(error) ? error.message : error instanceof Error ? error.name : 'unknown error'}`] };
  }
}

/** Several response bodies (a GraphQL batch's records), their results and problems together. */
export function processAllDelivered(plan: DeliveryPlan, bodies: readonly unknown[], scope: ResultScope): ProcessedResult {
  const all: ProcessedResult = { results: [], problems: [] };
  for (const body of bodies) {
    const one = processDelivered(plan, body, scope);
    all.results.push(...one.results);
    all.problems.push(...one.problems);
  }
  return all;
}
