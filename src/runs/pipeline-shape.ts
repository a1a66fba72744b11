/**
 * The pipeline shapes the run engine can run today: zero or more transform steps, then exactly one
 * delivery step (http or graphql) at the end. Anything else is refused before a run is created, with
 * a message that says what is supported, rather than half-running it.
 */
import { FerryError } from '../errors/ferry-error';
import type { GraphqlStep, HttpStep, Pipeline, TransformStep } from '../pipeline';

export type DeliveryStep = HttpStep | GraphqlStep;

export interface PipelineShape {
  transforms: readonly { step: TransformStep; index: number }[];
  delivery: DeliveryStep;
  /** Its position in `steps`, for messages and template locations (`steps[1].http.url`). */
  deliveryIndex: number;
}

const SUPPORTED = 'zero or more "dataTransformation" steps followed by exactly one "http" or "graphqlConfig" delivery step, last';

export function pipelineShape(pipeline: Pipeline): PipelineShape {
  const transforms = pipeline.steps.flatMap((step, index) => (step.kind === 'transform' ? [{ step, index }] : []));
  const deliveries = pipeline.steps.flatMap((step, index) => (step.kind === 'transform' ? [] : [{ step, index }]));
  const last = pipeline.steps.length - 1;
  const delivery = deliveries[0];
  if (deliveries.length !== 1 || !delivery || delivery.index !== last) {
    const found = pipeline.steps.map((s) => s.kind).join(' → ');
    throw unsupported(pipeline, `Pipeline "${pipeline.id}" has the steps ${found}; a run supports ${SUPPORTED}.`, found);
  }
  if (delivery.step.kind === 'http' && delivery.step.http.pagination) {
    throw unsupported(pipeline, `steps[${delivery.index}].http.pagination: a delivery step sends each batch once; pagination is for reading pages, which runs do not do yet. Remove "pagination".`, 'pagination');
  }
  return { transforms, delivery: delivery.step, deliveryIndex: delivery.index };
}

function unsupported(pipeline: Pipeline, message: string, found: string): FerryError {
  return new FerryError('PIPELINE_UNSUPPORTED_SHAPE', message, { pipelineId: pipeline.id, supported: SUPPORTED, found });
}
