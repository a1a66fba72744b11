/**
 * Ends a run once it has nothing pending or in flight. The final status says whether everything is
 * where it should be NOW:
 * - `succeeded`: something was delivered and every accepted record was (rejects, which were never
 *   meant to be sent, do not fail a run; they are in `counts.rejected` and the reject list);
 * - `nothingSent` with `error.code` `RUN_NOTHING_SENT`: nothing failed, but nothing was delivered
 *   either (every record rejected, or none extracted): not a success to show in green;
 * - `failed` with `error.code` `RUN_COMPLETED_WITH_FAILURES`: this is "succeeded with failures" —
 *   some records were delivered and some wait in the dead-letter list (`error.details` says how many);
 * - `failed` with `error.code` `RUN_NOTHING_DELIVERED`: dead letters and no delivery at all.
 * Replaying the dead letters reopens the run, and it is judged again when they settle. Counts are
 * events and only grow: a replayed record that gets through adds to `sent` but stays in `failed`.
 * The check and the status change are one transaction, so a replay cannot slip between them.
 */
import type { RunRow } from '../storage/rows';
import { nothingSentReason, RUN_NOTHING_SENT } from './nothing-sent';
import type { RunDeps } from './types';

export function finalizeIfDone(deps: RunDeps, runId: string): Promise<RunRow | undefined> {
  const { db, jobs, runs } = deps.repos;
  return db.transaction('rw', [db.jobs, db.runs, db.deadLetters], async () => {
    const run = await runs.get(runId);
    if (!run || (run.status !== 'queued' && run.status !== 'running')) return undefined;
    const counts = await jobs.countsByRun(runId);
    if (counts.pending + counts.inFlight > 0) return undefined;
    const letters = await db.deadLetters.where('runId').equals(runId).toArray();
    if (letters.length === 0 && counts.failed === 0) {
      if (run.counts.sent > 0) return runs.setStatus(runId, 'succeeded');
      const { extracted, rejected } = run.counts;
      return runs.setStatus(runId, 'nothingSent', { error: { code: RUN_NOTHING_SENT, message: nothingSentReason(run.counts), details: { extracted, rejected } } });
    }
    const records = letters.reduce((sum, letter) => sum + letter.records.length, 0);
    const delivered = run.counts.sent > 0;
    return runs.setStatus(runId, 'failed', {
      error: {
        code: delivered ? 'RUN_COMPLETED_WITH_FAILURES' : 'RUN_NOTHING_DELIVERED',
        message: `${records} record${records === 1 ? '' : 's'} could not be delivered${delivered ? ` (${run.counts.sent} were)` : ''}; they are in the dead-letter list. Replay them once the cause is fixed.`,
        details: { deadLetters: letters.length, records, sent: run.counts.sent },
      },
    });
  });
}
