/**
 * resultProcessing for a delivered batch: keep and normalize the listed fields of the response and
 * store them under the step's templated key. The request already succeeded, so nothing here may fail
 * the job (that would invite a duplicate send): problems, a storage key whose field is missing
 * included, are returned as messages for the job's outcome.
 */
import { isFerryError } from '../errors/ferry-error';
import { processResult } from '../pipeline';
import type { DeliveryPlan } from './delivery-plan';
import type { RunDeps } from './types';

export async function storeResult(plan: DeliveryPlan, body: unknown, deps: RunDeps): Promise<string[]> {
  if (!plan.resultProcessing) return [];
  try {
    const env = deps.env ? { ...plan.env, ...deps.env } : plan.env;
    const processed = processResult(plan.resultProcessing, body, { now: (deps.now ?? Date.now)(), ...(env ? { env } : {}) });
    if (processed.storage) await deps.repos.results.put(processed.storage.key, processed.fields);
    return processed.problems.map((p) => p.message);
  } catch (error) {
    // Whatever went wrong (a missing key field, a storage quota), the batch was delivered: report it,
    // never throw, or the job would stay in flight and be sent again. Only a FerryError's message is
    // quoted; others may carry a URL with a key in it.
    return [`the result was not stored: ${isFerryError(error) ? error.message : error instanceof Error ? error.name : 'unknown error'}`];
  }
}
