import { describe, expect, it } from 'vitest';
import { isMethodName, methods } from './catalogue';
import { formatPath, summarizeIssues } from './zod-issues';

describe('catalogue', () => {
  it('names every method namespace.verb', () => {
    for (const name of Object.keys(methods)) expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
    expect(isMethodName('system.ping')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
  });

  it('accepts omitted, empty-object and empty-array params for methods without params', () => {
    const params = methods['system.ping'].params;
    expect(params.safeParse(undefined).success).toBe(true);
    expect(params.safeParse({}).success).toBe(true);
    expect(params.safeParse([]).success).toBe(true);
    expect(params.safeParse({ extra: 1 }).success).toBe(false);
    expect(params.safeParse([1]).success).toBe(false);
  });

  it('requires system.echo payload, accepting any JSON value including null and false', () => {
    const params = methods['system.echo'].params;
    for (const payload of [null, false, 0, '', [], { a: [1] }]) expect(params.safeParse({ payload }).success).toBe(true);
    const missing = params.safeParse({});
    expect(missing.success).toBe(false);
    expect(summarizeIssues(missing.error!)[0]).toMatchObject({ path: 'params.payload', code: 'custom' });
  });

  it('does not copy a large payload while validating it', () => {
    const payload = { big: 'x'.repeat(1_000_000) };
    const parsed = methods['system.echo'].params.parse({ payload });
    expect(parsed.payload).toBe(payload);
  });
});

describe('zod issue paths', () => {
  it('formats identifiers, indexes and awkward keys', () => {
    expect(formatPath('params', [])).toBe('params');
    expect(formatPath('params', ['items', 2, 'name'])).toBe('params.items[2].name');
    expect(formatPath('result', ['a-b', 'ok_1', '1x'])).toBe('result["a-b"].ok_1["1x"]');
  });
});
