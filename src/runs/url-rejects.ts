/**
 * Records whose values cannot go into the delivery step's URL as written (a path segment of "..",
 * an empty one, a list) are rejected when the run starts, naming the field, instead of failing
 * their batch at send time. Rendering checks again when it sends (template/url.ts), since a batch
 * may read values this per-record check cannot foresee.
 */
import { urlValueProblem, type RenderOptions } from '../pipeline';
import type { DeliveryPlan } from './delivery-plan';
import { deliveryScope } from './render-delivery';
import type { RunSource } from './types';

export function urlRejectCheck(plan: DeliveryPlan, source: RunSource, options: Pick<RenderOptions, 'now' | 'env'>) {
  const urls = [...plan.templated.urls];
  if (urls.length === 0) return undefined;
  return (record: unknown, index: number) => {
    const scope = deliveryScope(plan, [record], source);
    for (const [key, url] of urls) {
      const problem = urlValueProblem(url, scope, { ...options, record: { index } });
      if (problem) return { path: problem.field, rule: 'url', message: `{{${problem.field}}} ${problem.message}, so ${plan.location}.${key} cannot be sent for this record.` };
    }
    return undefined;
  };
}
