import { useCallback, useEffect, useRef, useState } from 'react';
import type { StartFromTabResponse } from '../../messaging/contract';
import type { RunSummary } from '../../runs/run-service';
import type { PipelineSummary } from '../../runs/saved-pipelines';
import type { DeadLetterRow, RejectRow } from '../../storage/rows';
import { matchesAny } from '../../pipeline/match-pattern';
import { describeStartError, isFinished, type SendProblem } from './runStatusText';
import { backgroundSendClient, type SendPageClient } from './sendPageClient';

export const RUN_POLL_MS = 400;

export interface SentRun {
  started: StartFromTabResponse;
  /** The latest `runs.get`; undefined until the first answer. */
  summary?: RunSummary;
  /** The first rejected record, fetched once the run has rejects. */
  firstReject?: RejectRow;
  /** The first dead letter, fetched once a finished run has failures. */
  firstDeadLetter?: DeadLetterRow;
  /** The latest poll failed (the run goes on in the background). */
  pollProblem?: SendProblem;
}

export interface SendPageView {
  /** Saved pipelines: those made for this page (their `match` covers it, or they have none) first, then the others. */
  pipelines?: PipelineSummary[];
  /** How many of `pipelines`, from the start, are made for this page. */
  matching: number;
  loadProblem?: SendProblem;
  selectedId: string;
  select(id: string): void;
  sending: boolean;
  startProblem?: SendProblem;
  run?: SentRun;
  send(): Promise<void>;
}

/**
 * "Send this page": lists saved pipelines, starts a run over the popup's tab, then polls the run
 * until it finishes. Runs go on in the background whether or not the popup stays open.
 */
export function useSendPage(client: SendPageClient = backgroundSendClient, pollMs = RUN_POLL_MS): SendPageView {
  const [pipelines, setPipelines] = useState<PipelineSummary[]>();
  const [matching, setMatching] = useState(0);
  const [loadProblem, setLoadProblem] = useState<SendProblem>();
  const [chosenId, setChosenId] = useState<string>();
  const [sending, setSending] = useState(false);
  const [startProblem, setStartProblem] = useState<SendProblem>();
  const [run, setRun] = useState<SentRun>();
  const sendingRef = useRef(false);

  useEffect(() => {
    let live = true;
    Promise.all([client.listPipelines(), client.tabUrl().catch(() => undefined)]).then(
      ([list, url]) => {
        if (!live) return;
        // Without the tab's address every pipeline counts as made for it: none is hidden.
        const fits = (p: PipelineSummary) => url === undefined || matchesAny(url, p.match);
        setPipelines([...list.filter(fits), ...list.filter((p) => !fits(p))]);
        setMatching(list.filter(fits).length);
      },
      (error: unknown) => {
        if (!live) return;
        setPipelines([]);
        setLoadProblem({ ...describeStartError(error), title: 'Could not list the saved pipelines' });
      },
    );
    return () => {
      live = false;
    };
  }, [client]);

  const runId = run?.started.runId;
  useEffect(() => {
    if (runId === undefined) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let haveReject = false;
    const update = (patch: Partial<SentRun>) => !stopped && setRun((current) => (current?.started.runId === runId ? { ...current, ...patch } : current));
    const tick = async () => {
      let finished = false;
      try {
        const summary = await client.getRun(runId);
        if (summary) {
          finished = isFinished(summary.status);
          const extras: Partial<SentRun> = {};
          if (summary.counts.rejected > 0 && !haveReject) {
            extras.firstReject = (await client.rejects(runId, 1))[0];
            haveReject = extras.firstReject !== undefined;
          }
          if (finished && summary.status === 'failed') extras.firstDeadLetter = (await client.deadLetters(runId))[0];
          update({ summary, ...extras, pollProblem: undefined });
        }
      } catch (error) {
        update({ pollProblem: { ...describeStartError(error), title: 'Lost track of the run for a moment; it goes on in the background.' } });
      }
      if (!stopped && !finished) timer = setTimeout(() => void tick(), pollMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, pollMs, runId]);

  const selectedId = chosenId ?? pipelines?.[0]?.id ?? '';

  const send = useCallback(async () => {
    if (sendingRef.current || !selectedId) return;
    sendingRef.current = true;
    setSending(true);
    setStartProblem(undefined);
    setRun(undefined);
    try {
      const started = await client.startFromTab(selectedId);
      setRun({ started });
    } catch (error) {
      setStartProblem(describeStartError(error));
    } finally {
      sendingRef.current = false;
      setSending(false);
    }
  }, [client, selectedId]);

  return { pipelines, matching, loadProblem, selectedId, select: setChosenId, sending, startProblem, run, send };
}
