import { describe, expect, it } from 'vitest';
import { recordLabel } from './record-label';

describe('recordLabel', () => {
  it('names a record by its place in the run, with its id when it has one', () => {
    expect(recordLabel({ records: [{ name: 'Bad' }], recordIndexes: [7] }, 0)).toBe('record 7');
    expect(recordLabel({ records: [{ id: 'rec-9' }, { id: 12 }], recordIndexes: [3, 9] }, 1)).toBe('record 9 (id 12)');
    expect(recordLabel({ records: [{ id: 'rec-9' }], recordIndexes: [4] }, 0)).toBe('record 4 (id "rec-9")');
  });

  it('without positions (older jobs, paginated reads) never claims a run position it does not know', () => {
    expect(recordLabel({ records: [{ name: 'x' }] }, 0)).toBe('the record');
    expect(recordLabel({ records: [{}, { id: 'b' }] }, 1)).toBe('record 1 of this batch (id "b")');
  });
});
