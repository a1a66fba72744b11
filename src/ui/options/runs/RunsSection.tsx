import { backgroundSend, type BackgroundSend } from '../../background';
import { RunDetail } from './RunDetail';
import { RunHistory } from './RunHistory';
import { useRunRoute } from './useRunRoute';

/** Options → Runs: the history (#/runs), or one run in detail (#/runs/<runId>). */
export function RunsSection({ send = backgroundSend }: { send?: BackgroundSend }) {
  const runId = useRunRoute();
  return runId ? <RunDetail key={runId} runId={runId} send={send} /> : <RunHistory send={send} />;
}
