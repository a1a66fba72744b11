/**
 * The words for a run that ended with nothing delivered and nothing failed (status `nothingSent`):
 * every record was rejected by the pipeline's checks, or the source gave no records at all. Not a
 * success (nothing reached the destination) and not a failure (nothing waits to be replayed), so it
 * has its own status; the background stores this sentence as the run's reason and the popup, the run
 * history and the right-click notification show the same words.
 */
import type { RunCounts } from '../storage/rows';

export const RUN_NOTHING_SENT = 'RUN_NOTHING_SENT';

export function nothingSentReason(counts: Pick<RunCounts, 'extracted' | 'rejected'>): string {
  if (counts.extracted === 0) return 'Nothing sent: the page gave no records.';
  if (counts.rejected >= counts.extracted) {
    return counts.extracted === 1 ? 'Nothing sent: the only record was rejected.' : `Nothing sent: all ${counts.extracted} records were rejected.`;
  }
  return `Nothing sent: none of the ${counts.extracted} records reached the destination.`;
}

/** What to do next, for the popup and the run detail. */
export function nothingSentAdvice(counts: Pick<RunCounts, 'extracted' | 'rejected'>): string {
  if (counts.extracted === 0) return 'Check that the page shows the records and that the pipeline’s extractor finds them, then send again.';
  return 'The rejected records and their reasons are in the run’s reject list: fix the page’s data or the pipeline’s mapping and validation, then send again.';
}
