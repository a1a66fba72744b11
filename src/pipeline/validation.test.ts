import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { compileValidation, validateRecord } from './validation';
import type { ValidationRules } from './schema/data-transformation';

const check = (rules: ValidationRules, record: Record<string, unknown>) => validateRecord(compileValidation(rules), record);
const reasons = (rules: ValidationRules, record: Record<string, unknown>) => {
  const result = check(rules, record);
  return result.ok ? [] : result.reasons;
};

describe('validateRecord: required', () => {
  it('missing, null and blank text fail; 0, false and empty lists pass', () => {
    const rules = { required: ['a'] };
    expect(reasons(rules, {})).toEqual([{ field: 'a', rule: 'required', message: 'a is required' }]);
    expect(reasons(rules, { a: null })[0]?.message).toBe('a is required, got null');
    expect(reasons(rules, { a: '  ' })[0]?.message).toBe('a is required, got "  "');
    for (const a of [0, false, [], 'x']) expect(check(rules, { a })).toEqual({ ok: true });
  });

  it('nested fields by path', () => {
    expect(check({ required: ['address.city'] }, { address: { city: 'Oslo' } })).toEqual({ ok: true });
    expect(reasons({ required: ['address.city', 'items[0]'] }, { address: {}, items: [] }).map((r) => r.field)).toEqual(['address.city', 'items[0]']);
  });

  it('prefers a key that literally contains a dot', () => {
    expect(check({ required: ['a.b'] }, { 'a.b': 1 })).toEqual({ ok: true });
  });
});

describe('validateRecord: formats', () => {
  const ok = (format: NonNullable<ValidationRules['formats']>[string], value: unknown) => check({ formats: { f: format } }, { f: value }).ok;

  it('email', () => {
    for (const v of ['a@example.com', 'first.last+tag@sub.example.co.uk']) expect(ok('email', v), v).toBe(true);
    for (const v of ['a@b', 'no-at.example.com', 'a @example.com', 'a@-x.com', 5]) expect(ok('email', v), String(v)).toBe(false);
  });

  it('url: absolute http(s) only', () => {
    for (const v of ['https://example.com', 'http://localhost:8080/x?y=1']) expect(ok('url', v), v).toBe(true);
    for (const v of ['/relative', 'example.com', 'ftp://example.com', 'javascript:alert(1)']) expect(ok('url', v), v).toBe(false);
  });

  it('date-time and date: RFC 3339, real calendar days', () => {
    for (const v of ['2025-01-15T10:30:00Z', '2025-01-15t10:30:00.123+02:00', '2024-02-29 23:59:60Z']) expect(ok('date-time', v), v).toBe(true);
    for (const v of ['2025-01-15', '2025-01-15T10:30Z', '2025-02-30T10:30:00Z', '2025-01-15T24:00:00Z', 'yesterday']) expect(ok('date-time', v), v).toBe(false);
    expect(ok('date', '2024-02-29')).toBe(true);
    expect(ok('date', '2023-02-29')).toBe(false);
    expect(ok('date', '2025-13-01')).toBe(false);
  });

  it('number and integer accept numbers and numeric text', () => {
    for (const v of [1, -2.5, '3', ' 4.5 ', '1e3', '-.5']) expect(ok('number', v), String(v)).toBe(true);
    for (const v of ['N/A', '1,000', Infinity, NaN, '0x10', true]) expect(ok('number', v), String(v)).toBe(false);
    for (const v of [3, '-42']) expect(ok('integer', v), String(v)).toBe(true);
    for (const v of [3.5, '3.0', '1e3']) expect(ok('integer', v), String(v)).toBe(false);
  });

  it('uuid', () => {
    expect(ok('uuid', '123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(ok('uuid', '123e4567e89b12d3a456426614174000')).toBe(false);
  });

  it('absent optional fields are not checked; the message names the format and the value', () => {
    expect(check({ formats: { f: 'email' } }, {})).toEqual({ ok: true });
    expect(check({ formats: { f: 'email' } }, { f: '' })).toEqual({ ok: true });
    expect(reasons({ formats: { f: 'email' } }, { f: 'nope' })).toEqual([{ field: 'f', rule: 'format', message: 'f must be an email address, got "nope"' }]);
  });
});

describe('validateRecord: min, max, pattern', () => {
  it('numbers by value, text by characters, lists by items', () => {
    const rules = { min: { n: 1, s: 2, l: 1 }, max: { n: 10, s: 3, l: 2 } };
    expect(check(rules, { n: 5, s: 'héé', l: [1] })).toEqual({ ok: true });
    expect(reasons(rules, { n: 0, s: 'x', l: [1, 2, 3] }).map((r) => r.message)).toEqual([
      'n must be at least 1, got 0',
      's must be at least 2 characters long, got "x"',
      'l must be a list of at most 2 items, got a list of 3 items',
    ]);
  });

  it('numeric text compares by value when the field is declared a number', () => {
    expect(reasons({ formats: { p: 'number' }, min: { p: 10 } }, { p: '9.5' })[0]?.message).toBe('p must be at least 10, got "9.5"');
    expect(reasons({ min: { p: 10 } }, { p: '9.5' })[0]?.message).toBe('p must be at least 10 characters long, got "9.5"');
  });

  it('objects cannot be measured', () => {
    expect(reasons({ max: { o: 1 } }, { o: {} })[0]).toMatchObject({ rule: 'max', message: 'o must be a number, text or a list to compare with its limits, got an object' });
  });

  it('patterns: compiled once, with flags, on text and numbers', () => {
    const compiled = compileValidation({ pattern: { sku: '^[A-Z]{3}-\\d+$', code: { regex: '^ab', flags: 'i' } } });
    expect(validateRecord(compiled, { sku: 'ABC-12', code: 'ABx' })).toEqual({ ok: true });
    expect(validateRecord(compiled, { sku: 'abc-12', code: 5 })).toEqual({
      ok: false,
      reasons: [
        { field: 'sku', rule: 'pattern', message: 'sku must match the pattern ^[A-Z]{3}-\\d+$, got "abc-12"' },
        { field: 'code', rule: 'pattern', message: 'code must match the pattern ^ab, got 5' },
      ],
    });
  });

  it('an invalid pattern that bypassed the schema is a clear configuration error', () => {
    try {
      compileValidation({ pattern: { sku: '([A-Z' } });
      expect.unreachable();
    } catch (e) {
      expect(isFerryError(e, 'VALIDATION_PATTERN_INVALID')).toBe(true);
      expect((e as Error).message).toMatch(/^validation\.pattern\.sku: "\(\[A-Z" is not a valid regular expression \(.*\)\. Fix the pattern\.$/);
    }
  });

  it('every failing rule of every field is reported, one per field', () => {
    const result = check({ required: ['a', 'b'], formats: { c: 'integer' } }, { c: 'x' });
    expect(result.ok ? [] : result.reasons.map((r) => `${r.field}:${r.rule}`)).toEqual(['a:required', 'b:required', 'c:format']);
  });

  it('hidden fields are never quoted', () => {
    const result = validateRecord(compileValidation({ formats: { token: 'uuid' } }), { token: 'secret-value' }, { hiddenFields: new Set(['token']) });
    expect(result).toEqual({ ok: false, reasons: [{ field: 'token', rule: 'format', message: 'token must be a UUID' }] });
  });
});
