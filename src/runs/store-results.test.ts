import { describe, expect, it } from 'vitest';
import { compileResultProcessing } from '../pipeline';
import type { DeliveryPlan } from './delivery-plan';
import { processAllDelivered, processDelivered } from './store-results';

const plan = (key: string, extractFields = ['id']) =>
  ({ resultProcessing: compileResultProcessing({ extractFields, storage: { type: 'local', key } }) }) as unknown as DeliveryPlan;

describe('processing a delivered response', () => {
  it('keeps the extracted fields under the templated key', () => {
    expect(processDelivered(plan('api_results_{{id}}'), { id: 7, other: 1 }, { now: 0 })).toEqual({ results: [{ key: 'api_results_7', value: { id: 7 } }], problems: [] });
  });

  it('reports a key that cannot be rendered as a problem instead of throwing (throwing would re-send a delivered batch)', () => {
    const processed = processDelivered(plan('api_results_{{missing}}'), { id: 7 }, { now: 0 });
    expect(processed.results).toEqual([]);
    expect(processed.problems).toHaveLength(1);
    expect(processed.problems[0]).toMatch(/missing/);
  });

  it('renders the run\'s env values into the key', () => {
    expect(processDelivered(plan('{{env.PREFIX}}_{{id}}'), { id: 7 }, { now: 0, env: { PREFIX: 'orders' } }).results).toEqual([{ key: 'orders_7', value: { id: 7 } }]);
  });

  it('gathers the results of every record of a batch', () => {
    const processed = processAllDelivered(plan('r_{{id}}'), [{ id: 1 }, { id: 2 }], { now: 0 });
    expect(processed.results.map((r) => r.key)).toEqual(['r_1', 'r_2']);
  });

  it('does nothing for a step without resultProcessing', () => {
    expect(processDelivered({} as DeliveryPlan, { id: 1 }, { now: 0 })).toEqual({ results: [], problems: [] });
  });
});
