/**
 * Says how a run started from the right-click menu went, once it is finished: a notification with
 * the counts (and the first failure's reason), so the user learns the outcome without opening Ferry.
 * It follows the run while the worker lives (a drive in progress keeps it alive); a run that outlives
 * the worker is still in the options page's history.
 */
import { nothingSentReason } from '../../runs/nothing-sent';
import type { RunSummary } from '../../runs/run-service';
import { isFinished } from '../../storage/runs';

const POLL_MS = 1000;
const MAX_WAIT_MS = 10 * 60_000;

export interface NotifierDeps {
  getRun(runId: string): Promise<RunSummary | null>;
  notify(id: string, options: { title: string; message: string }): Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

export function runOutcomeText(run: RunSummary, pipelineName: string): { title: string; message: string } {
  // The words ("Nothing sent: all 50 records were rejected"), not "0 sent" under a success.
  if (run.status === 'nothingSent') return { title: `“${pipelineName}”: nothing sent`, message: nothingSentReason(run.counts) };
  const { sent, rejected, failed } = run.counts;
  const parts = [`${sent} sent`, ...(rejected > 0 ? [`${rejected} rejected`] : []), ...(failed > 0 ? [`${failed} failed`] : [])];
  const title = run.status === 'succeeded' ? `Sent with “${pipelineName}”` : `“${pipelineName}” finished with problems`;
  const why = run.status !== 'succeeded' && run.error?.message ? ` ${run.error.message}` : '';
  return { title, message: `${parts.join(', ')}.${why}` };
}

export async function notifyWhenFinished(deps: NotifierDeps, runId: string, pipelineName: string): Promise<void> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let waited = 0; waited < MAX_WAIT_MS; waited += POLL_MS) {
    const run = await deps.getRun(runId);
    if (!run) return;
    if (isFinished(run.status)) return deps.notify(`ferry-run:${runId}`, runOutcomeText(run, pipelineName));
    await sleep(POLL_MS);
  }
}
