import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { readPageResult } from './page-result';
import type { ExtractionLimits } from './types';

const limits: ExtractionLimits = { maxRecords: 3, maxBytes: 1024, truncate: false };
const answer = (overrides: Record<string, unknown> = {}) => ({ ok: true, mode: 'table', records: [{ a: '1' }], source: { url: 'https://shop.test/', title: 'Shop' }, warnings: [], ...overrides });

function refusal(raw: unknown): string {
  try {
    readPageResult(raw, limits);
  } catch (error) {
    if (!isFerryError(error, 'EXTRACTION_RESULT_INVALID')) throw error;
    return String(error.details?.reason);
  }
  throw new Error('expected EXTRACTION_RESULT_INVALID');
}

describe('readPageResult', () => {
  it('accepts a well-formed answer and returns a copy', () => {
    const raw = answer({ records: [{ a: '1', n: 2.5, ok: true, none: null, list: [1, { b: 'c' }] }], overflow: { limit: 'maxRecords', kept: 3, available: 9 }, matched: 9 });
    const read = readPageResult(raw, limits);
    expect(read).toEqual(raw);
    expect(read.ok && read.records[0]).not.toBe(raw.records[0]);
  });

  it('refuses anything that is not a list of plain JSON objects within the limits', () => {
    expect(refusal(undefined)).toBe('the answer is not an object');
    expect(refusal({ ok: 'yes' })).toBe('no "ok" flag');
    expect(refusal(answer({ mode: 'xpath' }))).toBe('an unknown mode');
    expect(refusal(answer({ records: { 0: {} } }))).toBe('records is not a list');
    expect(refusal(answer({ records: [{}, {}, {}, {}] }))).toBe('4 records, above the limit of 3');
    expect(refusal(answer({ records: ['text'] }))).toBe('record 0 is not an object');
    expect(refusal(answer({ records: [[1]] }))).toBe('record 0 is not an object');
    expect(refusal(answer({ records: [new Date(0)] }))).toBe('record 0 is not a plain object');
    expect(refusal(answer({ records: [{ n: Infinity }] }))).toBe('record 0.n is not a finite number');
    expect(refusal(answer({ records: [{ f: () => 1 }] }))).toBe('record 0.f is not an object');
    expect(refusal(answer({ records: [{ x: 'y'.repeat(2000) }] }))).toMatch(/^\d+ bytes of records, above the limit of 1024$/);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i += 1) deep = { deep };
    expect(refusal(answer({ records: [deep] }))).toMatch(/nested deeper than 32 levels$/);
    expect(refusal(answer({ source: { url: 3, title: '' } }))).toBe('source.url is not text');
    expect(refusal(answer({ overflow: { limit: 'everything', kept: 1 } }))).toBe('an unknown overflow limit');
  });

  it('drops "__proto__" keys rather than letting them set a prototype', () => {
    const read = readPageResult(answer({ records: [JSON.parse('{"__proto__": {"polluted": true}, "a": "1"}')] }), limits);
    expect(read.ok && read.records[0]).toEqual({ a: '1' });
    expect(read.ok && Object.getPrototypeOf(read.records[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bounds what is only for display: warnings and the title', () => {
    const read = readPageResult(answer({ warnings: Array.from({ length: 80 }, () => 'w'.repeat(900)), source: { url: 'https://shop.test/', title: 't'.repeat(5000) } }), limits);
    if (!read.ok) throw new Error('expected ok');
    expect(read.warnings).toHaveLength(50);
    expect(read.warnings[0]).toHaveLength(500);
    expect(read.source.title).toHaveLength(1024);
  });

  it('passes failures through as data, with a known code only', () => {
    expect(readPageResult({ ok: false, code: 'BAD_SELECTOR', field: 'fields.price', selector: 'span::(', message: 'bad' }, limits)).toEqual({
      ok: false,
      code: 'BAD_SELECTOR',
      field: 'fields.price',
      selector: 'span::(',
      message: 'bad',
    });
    expect(readPageResult({ ok: false, code: 'SOMETHING_ELSE', message: 'boom' }, limits)).toEqual({ ok: false, code: 'FAILED', message: 'boom' });
  });
});
