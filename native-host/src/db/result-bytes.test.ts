import { describe, expect, it } from 'vitest';
import { ErrorCode, isRpcError } from '../../../src/protocol';
import { jsonSize, ResultBudget } from './result-bytes';

describe('result bytes', () => {
  it('estimates JSON sizes near the real text', () => {
    for (const value of [null, 'abc', 12.5, true, [1, 'x', null], { a: 'b', nested: { c: [1, 2] } }, 'x'.repeat(10_000)]) {
      const real = JSON.stringify(value).length;
      expect(jsonSize(value)).toBeGreaterThanOrEqual(real * 0.9);
      expect(jsonSize(value)).toBeLessThanOrEqual(real + 64);
    }
    expect(jsonSize(Buffer.alloc(300))).toBe(Buffer.alloc(300).toString('base64').length + 2);
  });

  it('refuses the row that passes the limit, saying the limit and what to do', () => {
    const budget = new ResultBudget(1024 * 1024);
    expect(budget.rowsToFetch(5000)).toBe(16);
    budget.add({ a: 'x'.repeat(600_000) });
    expect(budget.rowsToFetch(5000)).toBe(1);
    let error: unknown;
    try {
      budget.add({ a: 'x'.repeat(600_000) });
    } catch (e) {
      error = e;
    }
    expect(isRpcError(error) && error.code).toBe(ErrorCode.DbQueryFailed);
    expect((error as Error).message).toMatch(/over 1 MiB after 1 rows.*FERRY_HOST_MAX_RESULT_BYTES.*lower maxRows, select fewer or smaller columns.*cursor/);
  });
});
