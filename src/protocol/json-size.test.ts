import { describe, expect, it } from 'vitest';
import { surelyFitsJson } from './json-size';

const utf8 = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).byteLength;

describe('surelyFitsJson', () => {
  const samples: unknown[] = [
    null,
    0,
    -1.2345678901234567e-308,
    true,
    '',
    'plain',
    'quotes " and \\ and \n and \u0001',
    'ü€😀 and a lone \ud800',
    [],
    {},
    [1, 'a', null, [[]], { a: { b: [false] } }],
    { 'k"ey': 'v', ü: [1.5, -2], empty: {} },
    { jsonrpc: '2.0', id: 1, method: 'db.batchInsert', params: { table: 't', data: { columns: ['a', 'b'], rows: [[1, 'x'], [2, 'y']] } } },
  ];

  it('never says a value fits when its JSON is larger than the budget', () => {
    for (const value of samples) {
      const size = utf8(value);
      for (let max = 0; max <= size + 200; max += 1) {
        if (surelyFitsJson(value, max)) expect(size, JSON.stringify(value)).toBeLessThanOrEqual(max);
      }
    }
  });

  it('says yes for ordinary messages well under the budget', () => {
    for (const value of samples) expect(surelyFitsJson(value, 10 * utf8(value) + 200)).toBe(true);
    const rows = Array.from({ length: 10_000 }, (_, i) => [i, `Customer ${i}`, `customer${i}@example.test`, i / 3, i % 2 === 0]);
    expect(surelyFitsJson({ data: { columns: ['a', 'b', 'c', 'd', 'e'], rows } }, 8 * 1024 * 1024)).toBe(true);
  });

  it('leaves toJSON, bigints, functions and cycles to JSON.stringify', () => {
    expect(surelyFitsJson({ at: new Date(0) }, 1e6)).toBe(false);
    expect(surelyFitsJson({ n: 1n }, 1e6)).toBe(false);
    expect(surelyFitsJson([() => 1], 1e6)).toBe(false);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(surelyFitsJson(cycle, 1e9)).toBe(false);
  });
});
