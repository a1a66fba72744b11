import { describe, expect, it } from 'vitest';
import { compileResultProcessing } from '../pipeline';
import type { DeliveryPlan } from './delivery-plan';
import { storeResult } from './store-results';
import type { RunDeps } from './types';

const plan = (key: string) =>
  ({ resultProcessing: compileResultProcessing({ extractFields: ['id'], storage: { type: 'local', key } }) }) as unknown as DeliveryPlan;
const depsWith = (put: () => Promise<void>) => ({ repos: { results: { put } } }) as unknown as RunDeps;

describe('storeResult after a delivery', () => {
  it('stores the extracted fields under the templated key', async () => {
    const stored: unknown[] = [];
    const problems = await storeResult(plan('api_results_{{id}}'), { id: 7 }, depsWith(async (...args: unknown[]) => void stored.push(args)));
    expect(problems).toEqual([]);
    expect(stored).toEqual([['api_results_7', { id: 7 }]]);
  });

  it('reports a storage failure as a problem instead of throwing (throwing would re-send a delivered batch)', async () => {
    const quota = Object.assign(new Error('https://api.test/v1?key=SECRET quota exceeded'), { name: 'QuotaExceededError' });
    const problems = await storeResult(plan('api_results_{{id}}'), { id: 7 }, depsWith(() => Promise.reject(quota)));
    expect(problems).toEqual(['the result was not stored: QuotaExceededError']);
    expect(problems.join()).not.toContain('SECRET');
  });
});
