import { describe, expect, it } from 'vitest';
import { recordPreview, toJobSummary } from './job-summaries';
import type { JobRow } from './rows';

const job: JobRow = {
  id: 7, runId: 'r', seq: 3, status: 'deadLettered', records: [{ email: 'a@b.test' }, { email: 'c@d.test' }], idempotencyKey: 'k-3', attempts: 4,
  nextAttemptAt: 0, leaseId: 'lease', leaseOwner: 'w1', leaseUntil: 9,
  lastOutcome: { label: 'not_found', httpStatus: 404, message: 'POST answered 404', details: { inserted: 2, path: '/x.csv', read: { pages: 3 } } },
  createdAt: 1, updatedAt: 2,
};

describe('toJobSummary', () => {
  it('keeps status, attempts, outcome and a preview; drops leases, records and nested details', () => {
    expect(toJobSummary(job)).toEqual({
      id: 7, seq: 3, status: 'deadLettered', attempts: 4, records: 2, preview: '{"email":"a@b.test"}', idempotencyKey: 'k-3',
      outcome: { label: 'not_found', httpStatus: 404, message: 'POST answered 404', details: { inserted: 2, path: '/x.csv' } },
      updatedAt: 2,
    });
  });

  it('cuts long previews and survives records JSON cannot write', () => {
    expect(recordPreview({ a: 'x'.repeat(500) })).toHaveLength(160);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(recordPreview(cyclic)).toBe('[object Object]');
    expect(recordPreview(undefined)).toBe('undefined');
  });
});
