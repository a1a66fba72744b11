/**
 * The pipeline shapes the run engine can run today: zero or more transform steps, then exactly one
 * delivery step (http, graphql, database or file) at the end; an http step with `pagination` is a paginated read. Anything else is refused before a run is created, with
 * a message that says what is supported, rather than half-running it.
 */
import { FerryError } from '../errors/ferry-error';
import type { DatabaseStep, FileStep, GraphqlStep, HttpStep, Pipeline, TransformStep } from '../pipeline';

export type DeliveryStep = HttpStep | GraphqlStep | DatabaseStep | FileStep;

export interface PipelineShape {
  transforms: readonly { step: TransformStep; index: number }[];
  delivery: DeliveryStep;
  /** Its position in `steps`, for messages and template locations (`steps[1].http.url`). */
  deliveryIndex: number;
}

const SUPPORTED = 'zero or more "dataTransformation" steps followed by exactly one "http", "graphqlConfig", "database" or "file" delivery step, last';

export function pipelineShape(pipeline: Pipeline): PipelineShape {
  const transforms = pipeline.steps.flatMap((step, index) => (step.kind === 'transform' ? [{ step, index }] : []));
  const deliveries = pipeline.steps.flatMap((step, index) => (step.kind === 'transform' ? [] : [{ step, index }]));
  const last = pipeline.steps.length - 1;
  const delivery = deliveries[0];
  if (deliveries.length !== 1 || !delivery || delivery.index !== last) {
    const found = pipeline.steps.map((s) => s.kind).join(' → ');
    throw unsupported(pipeline, `Pipeline "${pipeline.id}" has the steps ${found}; a run supports ${SUPPORTED}.`, found);
  }
  if (delivery.step.kind === 'http') refuseUnreadablePages(pipeline, delivery.step, delivery.index);
  return { transforms, delivery: delivery.step, deliveryIndex: delivery.index };
}

/**
 * A step with `pagination` is a paginated read (read-pages.ts): each job's request is the first page
 * and the pages after it follow. Two combinations cannot work, and are refused naming their path:
 * - a method other than GET or POST (POST: search APIs that take the query in a body): PUT, PATCH
 *   and DELETE would repeat a write for every page, and HEAD has no body to read pages from;
 * - a text or binary responseType with a pagination that reads the body (items, next link or cursor
 *   path, a complete-when rule on the body): those paths are read from JSON.
 * Batching is no conflict: a batch's records render the first request as they would any request.
 */
function refuseUnreadablePages(pipeline: Pipeline, step: HttpStep, index: number): void {
  const { pagination, method, responseType } = step.http;
  if (!pagination) return;
  const at = `steps[${index}].http`;
  if (method !== 'GET' && method !== 'POST') {
    throw unsupported(pipeline, `${at}.method: a step with "pagination" reads pages, with GET (or POST, for search APIs that take the query in the body); "${method}" would repeat a write for every page. Use GET or POST, or remove "pagination".`, `pagination with ${method}`);
  }
  const rules = pagination.completeWhen ?? {};
  const readsBody =
    pagination.type !== 'nextLink' || pagination.nextPath !== undefined || pagination.itemsPath !== undefined ||
    rules.emptyItems === true || rules.truePath !== undefined || rules.falsePath !== undefined || rules.totalPagesPath !== undefined;
  if ((responseType === 'text' || responseType === 'binary') && readsBody) {
    throw unsupported(pipeline, `${at}.responseType: "${responseType}" cannot be read by ${at}.pagination, which reads paths of a JSON body (items, the next link or cursor, its complete-when rules). Remove "responseType" (or use "json").`, `pagination with responseType ${responseType}`);
  }
}

function unsupported(pipeline: Pipeline, message: string, found: string): FerryError {
  return new FerryError('PIPELINE_UNSUPPORTED_SHAPE', message, { pipelineId: pipeline.id, supported: SUPPORTED, found });
}
