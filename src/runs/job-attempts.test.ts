import { describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../storage/job-queue';
import { attemptBook, attemptsBefore } from './job-attempts';

function claimed(attempts: number, details?: Record<string, unknown>): ClaimedJob {
  return {
    id: 1, runId: 'r', seq: 0, status: 'inFlight', records: [], idempotencyKey: 'r:0', attempts, nextAttemptAt: 0, createdAt: 0, updatedAt: 0,
    leaseId: 'l', leaseOwner: 'w', leaseUntil: 0, ...(details ? { lastOutcome: { label: 'x', details } } : {}),
  };
}

describe('attemptsBefore', () => {
  it('a fresh job has made no attempt', () => {
    expect(attemptsBefore(claimed(1))).toBe(0);
  });

  it('continues the count the last settlement stored, whatever the number of claims', () => {
    // Claim 1 made 3 attempts (two short retries in memory), then was deferred.
    expect(attemptsBefore(claimed(2, { ...attemptBook(claimed(1), 3) }))).toBe(3);
    // A circuit refusal settled claim 2 without an attempt.
    expect(attemptsBefore(claimed(3, { attemptsMade: 3, claims: 2 }))).toBe(3);
  });

  it('counts each claim that never settled (its worker died mid-request) as one attempt', () => {
    expect(attemptsBefore(claimed(2))).toBe(1);
    expect(attemptsBefore(claimed(5, { attemptsMade: 1, claims: 1 }))).toBe(4);
  });
});
