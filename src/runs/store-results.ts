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
    const processed = processResult(plan.resultProcessing, body, { now: (deps.now ?? Date.now)() });
    if (processed.storage) await deps.repos.results.put(processed.storage.key, processed.fields);
    return processed.problems.map((p) => p.message);
  } catch (error) {
    if (isFerryError(error, 'TEMPLATE_MISSING_PATH')) return [`the result was not stored: ${error.message}`];
    throw error;
  }
}
