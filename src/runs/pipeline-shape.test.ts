import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { parsePipeline } from '../pipeline';
import { graphqlOperationInfo } from './graphql-operation';
import { pipelineShape } from './pipeline-shape';
import { splitIntoBatches } from './start-run';

const transform = { dataTransformation: { mapping: { a: '{{extracted.a}}' } } };
const http = { http: { method: 'POST', url: 'https://api.example.test/v1' } };
const graphql = { graphqlConfig: { endpoint: 'https://api.example.test/graphql', query: 'mutation { ping }' } };
const pipeline = (steps: unknown[], extra: Record<string, unknown> = {}) => parsePipeline({ version: 1, id: 'p', name: 'p', source: { type: 'supplied' }, steps, ...extra });

describe('pipelineShape', () => {
  it('accepts transforms followed by one delivery step', () => {
    expect(pipelineShape(pipeline([http]))).toMatchObject({ transforms: [], deliveryIndex: 0, delivery: { kind: 'http' } });
    expect(pipelineShape(pipeline([transform, transform, graphql]))).toMatchObject({ transforms: [{ index: 0 }, { index: 1 }], deliveryIndex: 2, delivery: { kind: 'graphql' } });
  });

  it.each([
    ['no delivery step', [transform], 'transform'],
    ['two delivery steps', [http, graphql], 'http → graphql'],
    ['a transform after the delivery', [http, transform], 'http → transform'],
  ])('refuses %s, saying what is supported', (_name, steps, found) => {
    try {
      pipelineShape(pipeline(steps));
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error, 'PIPELINE_UNSUPPORTED_SHAPE')).toBe(true);
      expect((error as Error).message).toContain(`has the steps ${found}; a run supports zero or more "dataTransformation" steps followed by exactly one "http", "graphqlConfig", "database" or "file" delivery step, last`);
    }
  });

  it('accepts a paginated read with GET or POST, in record or batch mode', () => {
    const read = (method: string, extra: Record<string, unknown> = {}) => ({ http: { method, url: 'https://api.example.test/v1', pagination: { type: 'page' } }, ...extra });
    expect(pipelineShape(pipeline([transform, read('GET')]))).toMatchObject({ deliveryIndex: 1, delivery: { http: { pagination: { type: 'page', param: 'page' } } } });
    expect(pipelineShape(pipeline([read('POST', { batching: { mode: 'batch', size: 5 } })]))).toMatchObject({ delivery: { http: { method: 'POST' } } });
  });

  it.each(['PUT', 'PATCH', 'DELETE', 'HEAD'])('refuses pagination with %s, naming the method\'s path', (method) => {
    const paginated = { http: { method, url: 'https://api.example.test/v1', pagination: { type: 'nextLink' } } };
    expect(() => pipelineShape(pipeline([transform, paginated]))).toThrow(new RegExp(`^steps\\[1\\]\\.http\\.method: a step with "pagination" reads pages, with GET \\(or POST, for search APIs that take the query in the body\\); "${method}" would repeat a write`));
  });

  it('refuses a text or binary response when the pagination reads the body, and allows it for Link headers alone', () => {
    const paginated = (responseType: string, pagination: Record<string, unknown>) => ({ http: { method: 'GET', url: 'https://api.example.test/v1', responseType, pagination } });
    for (const [responseType, pagination] of [['text', { type: 'cursor', cursorPath: 'next' }], ['binary', { type: 'page' }], ['text', { type: 'nextLink', itemsPath: 'data' }], ['text', { type: 'nextLink', completeWhen: { truePath: 'last' } }]] as const) {
      try {
        pipelineShape(pipeline([paginated(responseType, pagination)]));
        expect.unreachable();
      } catch (error) {
        expect(isFerryError(error, 'PIPELINE_UNSUPPORTED_SHAPE')).toBe(true);
        expect((error as Error).message).toMatch(new RegExp(`^steps\\[0\\]\\.http\\.responseType: "${responseType}" cannot be read by steps\\[0\\]\\.http\\.pagination`));
      }
    }
    expect(pipelineShape(pipeline([paginated('text', { type: 'nextLink', completeWhen: { maxPages: 3 } })])).delivery.kind).toBe('http');
  });
});

describe('splitIntoBatches', () => {
  it('one record per batch in record mode; N per batch, the rest last, in batch mode', () => {
    expect(splitIntoBatches([1, 2, 3], { mode: 'record' })).toEqual([[1], [2], [3]]);
    expect(splitIntoBatches([1, 2, 3, 4, 5], { mode: 'batch', size: 2 })).toEqual([[1, 2], [3, 4], [5]]);
    expect(splitIntoBatches([], { mode: 'batch', size: 2 })).toEqual([]);
  });
});

describe('graphqlOperationInfo', () => {
  it('tells mutations from queries and finds the payload errors list the seed selects', () => {
    expect(graphqlOperationInfo('mutation M($input: RecordInput!) { createRecord(input: $input) { id status errors { field message } } }')).toEqual({ isMutation: true, payloadErrorsField: 'errors' });
    expect(graphqlOperationInfo('query { records { id } }')).toEqual({ isMutation: false });
    expect(graphqlOperationInfo('query A { a } mutation B { b { errors { message } } }', 'B')).toEqual({ isMutation: true, payloadErrorsField: 'errors' });
  });
});
