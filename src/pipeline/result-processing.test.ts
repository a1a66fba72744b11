import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { parseConfigText } from './config-text';
import { compileResultProcessing, processResult } from './result-processing';
import { parseDate } from './result-values';
import { ResultProcessingSchema } from './schema/result-processing';

const seedBlock = () => {
  const text = readFileSync(join(__dirname, '../../tests/fixtures/seed/result-processing.txt'), 'utf8');
  return ResultProcessingSchema.parse((parseConfigText(text) as { resultProcessing: unknown }).resultProcessing);
};

describe('processResult with the seed block', () => {
  const compiled = compileResultProcessing(seedBlock());

  it('extracts the fields, normalizes the date and renders the storage key', () => {
    const body = { id: 'rec_42', status: 'created', createdAt: '2025-01-15T10:30:00+02:00', extra: 'dropped' };
    expect(processResult(compiled, body)).toEqual({
      fields: { id: 'rec_42', status: 'created', createdAt: '2025-01-15T08:30:00.000Z' },
      storage: { type: 'local', key: 'api_results_rec_42' },
      problems: [],
    });
  });

  it('a field the response lacks and a date that does not parse are reported, not fatal', () => {
    const result = processResult(compiled, { id: 7, createdAt: 'last Tuesday' });
    expect(result.fields).toEqual({ id: 7, createdAt: 'last Tuesday' });
    expect(result.storage).toEqual({ type: 'local', key: 'api_results_7' });
    expect(result.problems).toEqual([
      { field: 'status', operation: 'extract', message: 'status: the response has no status' },
      { field: 'createdAt', operation: 'parseDate', message: 'createdAt: expected a date (ISO8601), got "last Tuesday"; kept as it was' },
    ]);
  });

  it('a storage key whose field is missing names the template', () => {
    expect(() => processResult(compiled, { status: 'x' })).toThrow(expect.objectContaining({ code: 'TEMPLATE_MISSING_PATH', message: expect.stringContaining('{{id}} in resultProcessing.storage.key') }));
  });
});

describe('compileResultProcessing', () => {
  it('refuses a storage key that reads a credential, naming its JSON path', () => {
    let error: unknown;
    try {
      compileResultProcessing({ storage: { type: 'local', key: 'r_{{credentials.apiToken}}' } }, 'steps[1].resultProcessing');
    } catch (e) {
      error = e;
    }
    expect(isFerryError(error, 'RESULT_READS_CREDENTIAL')).toBe(true);
    expect((error as Error).message).toBe(
      'steps[1].resultProcessing.storage.key reads {{credentials.apiToken}}; results are stored and shown, so a secret must never be rendered into them. Build the key from the result\'s fields instead, such as "api_results_{{id}}".',
    );
  });
});

describe('processResult', () => {
  it('nested paths are kept under their last field name, and transformations apply', () => {
    const compiled = compileResultProcessing({
      extractFields: ['data.record.id', 'data.record.total', 'data.record.name', 'data.record.code', 'data.items[-1].sku', 'data.when'],
      transformations: [
        { field: 'total', operation: 'number' },
        { field: 'name', operation: 'trim' },
        { field: 'code', operation: 'lowercase' },
        { field: 'sku', operation: 'uppercase' },
        { field: 'when', operation: 'parseDate', format: 'epochSeconds' },
      ],
      storage: { type: 'local', key: 'order_{{result.id}}_{{sku}}' },
    });
    const body = { data: { record: { id: 1, total: ' 12.50 ', name: '  Ann ', code: 'AbC' }, items: [{ sku: 'a1' }, { sku: 'b2' }], when: 1736937000 } };
    expect(processResult(compiled, body)).toEqual({
      fields: { id: 1, total: 12.5, name: 'Ann', code: 'abc', sku: 'B2', when: '2025-01-15T10:30:00.000Z' },
      storage: { type: 'local', key: 'order_1_B2' },
      problems: [],
    });
  });

  it('without extractFields the whole body is kept; null values skip transformations', () => {
    const compiled = compileResultProcessing({ transformations: [{ field: 'n', operation: 'number' }] });
    expect(processResult(compiled, { n: null, m: 1 })).toEqual({ fields: { n: null, m: 1 }, problems: [] });
    expect(processResult(compileResultProcessing({}), 'plain text')).toEqual({ fields: { value: 'plain text' }, problems: [] });
  });

  it('transformations that do not fit the value', () => {
    const compiled = compileResultProcessing({ transformations: [{ field: 'a', operation: 'trim' }, { field: 'b', operation: 'number' }] });
    expect(processResult(compiled, { a: 5, b: 'N/A' }).problems.map((p) => p.message)).toEqual([
      'a: expected text, got 5; kept as it was',
      'b: expected a number, got "N/A"; kept as it was',
    ]);
  });
});

describe('parseDate', () => {
  it('reads ISO 8601 dates and date-times, zones included, as UTC ISO strings', () => {
    expect(parseDate('2025-01-15', 'ISO8601')).toBe('2025-01-15T00:00:00.000Z');
    expect(parseDate('2025-01-15T10:30', 'ISO8601')).toBe('2025-01-15T10:30:00.000Z');
    expect(parseDate('2025-01-15T10:30:00.123456Z', 'ISO8601')).toBe('2025-01-15T10:30:00.123Z');
    expect(parseDate('2025-01-15T10:30:00-0530', 'ISO8601')).toBe('2025-01-15T16:00:00.000Z');
    expect(parseDate('2025-01-15 10:30:00+01', 'ISO8601')).toBe('2025-01-15T09:30:00.000Z');
  });

  it('refuses what is not a real ISO 8601 date', () => {
    for (const v of ['2025-02-30', '2025-01-15T25:00', '15/01/2025', 'Jan 15 2025', 1736937000, '2025-01-15T10:30:00+24:00']) expect(parseDate(v, 'ISO8601'), String(v)).toBeUndefined();
  });

  it('epoch seconds and milliseconds, as numbers or numeric text', () => {
    expect(parseDate(0, 'epochSeconds')).toBe('1970-01-01T00:00:00.000Z');
    expect(parseDate('1736937000000', 'epochMillis')).toBe('2025-01-15T10:30:00.000Z');
    expect(parseDate('soon', 'epochMillis')).toBeUndefined();
    expect(parseDate(1e20, 'epochMillis')).toBeUndefined();
  });
});
