import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { deadLetterTarget } from './dead-letter-target';

describe('deadLetterTarget', () => {
  it('reads { ids } or { runId }', () => {
    expect(deadLetterTarget({ ids: [1, 2] }, 'runs.discardDeadLetters')).toEqual([1, 2]);
    expect(deadLetterTarget({ ids: [] }, 'runs.discardDeadLetters')).toEqual([]);
    expect(deadLetterTarget({ runId: 'r1' }, 'runs.discardDeadLetters')).toEqual({ runId: 'r1' });
  });

  it('refuses both, neither, and ids or a run id of the wrong kind', () => {
    for (const input of [{}, null, 'r1', { ids: [1], runId: 'r1' }, { ids: '1' }, { ids: [1.5] }, { ids: [0] }, { ids: [{}] }, { runId: '' }, { runId: 7 }]) {
      let error: unknown;
      try {
        deadLetterTarget(input, 'runs.discardDeadLetters');
      } catch (e) {
        error = e;
      }
      expect(isFerryError(error, 'DEAD_LETTER_TARGET_INVALID'), JSON.stringify(input)).toBe(true);
      expect((error as Error).message).toContain('runs.discardDeadLetters needs either "ids"');
    }
  });
});
