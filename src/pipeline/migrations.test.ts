import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { migratePipeline, PIPELINE_MIGRATIONS, type PipelineMigration } from './migrations';
import { PipelineSchema } from './schema/pipeline';
import { validateConfig } from './issues';

/** A synthetic format 0: `requests` instead of `steps`, and a step's HTTP node under `request`. */
const V0_TO_V1: PipelineMigration = {
  from: 0,
  migrate(doc) {
    const { requests, ...rest } = doc;
    const steps = (requests as Record<string, unknown>[]).map(({ request, ...step }) => (request === undefined ? step : { ...step, http: request }));
    return { ...rest, steps };
  },
};

const v0 = () => ({
  version: 0,
  id: 'legacy',
  name: 'Legacy',
  source: { type: 'supplied' },
  requests: [{ dataTransformation: { mapping: { a: '{{extracted.a}}' } } }, { request: { method: 'POST', url: 'https://api.example.com/v1/data' } }],
});

function thrown(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isFerryError(e)) return e;
    throw e;
  }
  throw new Error('expected a FerryError');
}

describe('migratePipeline', () => {
  it('Ferry ships no migrations yet: version 1 is the first format', () => {
    expect(PIPELINE_MIGRATIONS).toEqual([]);
  });

  it('leaves a current document as it is (a copy)', () => {
    const doc = { version: 1, id: 'x' };
    const result = migratePipeline(doc);
    expect(result).toEqual({ document: doc, fromVersion: 1, migrated: false });
    expect(result.document).not.toBe(doc);
  });

  it('upgrades v0 to v1 through the chain, and the result validates', () => {
    const input = v0();
    const result = migratePipeline(input, [V0_TO_V1], 1);
    expect(result.fromVersion).toBe(0);
    expect(result.migrated).toBe(true);
    expect(result.document).toEqual({
      version: 1,
      id: 'legacy',
      name: 'Legacy',
      source: { type: 'supplied' },
      steps: [{ dataTransformation: { mapping: { a: '{{extracted.a}}' } } }, { http: { method: 'POST', url: 'https://api.example.com/v1/data' } }],
    });
    expect(input.version).toBe(0); // the caller's document is untouched
    expect(validateConfig(PipelineSchema, result.document).steps.map((s) => s.kind)).toEqual(['transform', 'http']);
  });

  it('runs several migrations in order', () => {
    const seen: number[] = [];
    const chain: PipelineMigration[] = [2, 0, 1].map((from) => ({ from, migrate: (doc) => (seen.push(from), { ...doc, [`m${from}`]: true }) }));
    const result = migratePipeline({ version: 0 }, chain, 3);
    expect(seen).toEqual([0, 1, 2]);
    expect(result.document).toEqual({ version: 3, m0: true, m1: true, m2: true });
  });

  it('refuses a version from a newer Ferry, saying what to do', () => {
    const e = thrown(() => migratePipeline({ version: 7 }));
    expect(e.code).toBe('PIPELINE_VERSION_UNSUPPORTED');
    expect(e.message).toBe('This pipeline is in format version 7, made by a newer Ferry; this Ferry reads versions up to 1. Update Ferry to use it.');
    expect(e.details).toEqual({ version: 7, supported: 1 });
  });

  it('refuses an old version with no migration path', () => {
    const e = thrown(() => migratePipeline(v0()));
    expect(e.code).toBe('PIPELINE_VERSION_UNSUPPORTED');
    expect(e.message).toContain('no migration from 0 to 1');
  });

  it('a missing or malformed version is an invalid pipeline at the path "version"', () => {
    expect(thrown(() => migratePipeline({ id: 'x' })).details).toEqual({
      issues: [{ path: 'version', expected: 'the pipeline format version (1 for this Ferry), but it is missing', message: 'version: expected the pipeline format version (1 for this Ferry), but it is missing' }],
    });
    expect(thrown(() => migratePipeline({ version: '1' })).message).toContain('version: expected a whole number (the pipeline format version, 1 for this Ferry), got "1"');
    expect(thrown(() => migratePipeline({ version: 1.5 })).code).toBe('PIPELINE_INVALID');
    expect(thrown(() => migratePipeline([1])).code).toBe('PIPELINE_INVALID');
  });
});
