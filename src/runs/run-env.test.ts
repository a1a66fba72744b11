import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { parsePipeline } from '../pipeline';
import { planDelivery } from './delivery-plan';
import { pipelineShape } from './pipeline-shape';
import { pipelineEnvReferences, snapshotEnv } from './run-env';

const pipeline = parsePipeline({
  version: 1,
  id: 'orders',
  name: 'Orders',
  source: { type: 'supplied' },
  steps: [
    { dataTransformation: { mapping: { tenant: '{{env.TENANT}}', id: '{{extracted.id}}' } } },
    {
      http: { method: 'POST', url: '{{env.API_BASE}}/v1/orders', headers: { 'X-Region': '{{env.REGION | default: "eu"}}', 'X-Tenant': '{{env.TENANT}}' }, body: '{{transformedData}}' },
      resultProcessing: { storage: { type: 'local', key: '{{env.TENANT}}_{{id}}' } },
    },
  ],
});
const shape = pipelineShape(pipeline);
const refs = pipelineEnvReferences(shape, planDelivery(shape));

const failure = async (promise: Promise<unknown>): Promise<Error> => promise.then(() => expect.unreachable(), (e: unknown) => e as Error);

describe('the env a pipeline reads', () => {
  it('is found in transforms, the delivery step and the result storage key, each with where it is', () => {
    expect(refs.map((r) => [r.name, r.location, r.hasDefault])).toEqual([
      ['TENANT', 'steps[0].dataTransformation.mapping.tenant', false],
      ['API_BASE', 'steps[1].http.url', false],
      ['REGION', 'steps[1].http.headers["X-Region"]', true],
      ['TENANT', 'steps[1].http.headers["X-Tenant"]', false],
      ['TENANT', 'steps[1].resultProcessing.storage.key', false],
    ]);
  });
});

describe('snapshotEnv', () => {
  it('keeps exactly the referenced names that are set, asking the store once for them', async () => {
    const asked: string[][] = [];
    const env = await snapshotEnv(refs, async (names) => (asked.push(names), { API_BASE: 'https://api.test', TENANT: 'acme', UNRELATED: 'x' }));
    expect(env).toEqual({ API_BASE: 'https://api.test', TENANT: 'acme' });
    expect(asked).toEqual([['TENANT', 'API_BASE', 'REGION']]);
    expect(await snapshotEnv([], () => expect.unreachable())).toEqual({});
  });

  it('an override wins over the store (tests)', async () => {
    const env = await snapshotEnv(refs, async () => ({ API_BASE: 'https://api.test', TENANT: 'acme' }), { TENANT: 'override', REGION: 'us' });
    expect(env).toEqual({ API_BASE: 'https://api.test', TENANT: 'override', REGION: 'us' });
  });

  it('refuses a variable read without a default that is not set, naming the template, the variable and how to set it', async () => {
    const error = await failure(snapshotEnv(refs, async () => ({ API_BASE: 'https://api.test' })));
    expect(isFerryError(error, 'ENV_NOT_SET')).toBe(true);
    expect(error.message).toBe(
      'The run was not started: {{env.TENANT}} in steps[0].dataTransformation.mapping.tenant (and 2 more places) reads the environment variable TENANT, which is not set. ' +
        'Set it (env.set {"name": "TENANT", "value": ...}) and start again, or give the placeholder a default: {{env.TENANT | default: "..."}}.',
    );
    expect((error as unknown as { details: { variables: string[] } }).details.variables).toEqual(['TENANT']);
    // A placeholder with a default is fine unset; the same variable elsewhere without one is not.
    const all = await failure(snapshotEnv(refs, async () => ({})));
    expect(all.message).toContain('reads the environment variable TENANT');
    expect(all.message).toContain('{{env.API_BASE}} in steps[1].http.url reads the environment variable API_BASE');
    expect(all.message).not.toContain('REGION');
  });

  it('says so when a name could never be set', async () => {
    const lowerShape = pipelineShape(parsePipeline({ ...pipeline, steps: [{ http: { method: 'GET', url: '{{env.apiBase}}/x' } }] }));
    const lower = pipelineEnvReferences(lowerShape, planDelivery(lowerShape));
    const error = await failure(snapshotEnv(lower, async () => ({})));
    expect(isFerryError(error, 'ENV_NAME_INVALID')).toBe(true);
    expect(error.message).toContain('{{env.apiBase}} in steps[0].http.url reads the environment variable "apiBase", which can never be set');
  });
});
