import { useState } from 'react';
import type { DeadLetterRow } from '../../../storage/rows';
import { recordPreview } from '../../../storage/job-summaries';
import { errorMessage, type BackgroundSend } from '../../background';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { ConfirmButton } from '../../ConfirmButton';
import { Pager } from '../../Pager';
import { attemptsOf, formatFullTime, formatWhen, plural } from '../../runs/runFormat';
import { mutedClass } from '../../table';
import { useReloadOn, type Loaded } from '../../useLoader';
import { ListState } from './ListState';

const PER_PAGE = 20;

interface Notice {
  tone: 'info' | 'danger';
  text: string;
}

/** Batches that used up their attempts or met a final outcome: replay them (original keys) or discard them. */
export function DeadLettersCard({ runId, send, letters, version, onChanged }: { runId: string; send: BackgroundSend; letters: Loaded<DeadLetterRow[]>; version: string; onChanged(): void }) {
  const [page, setPage] = useState(0);
  const [busy, setBusy] = useState<string>();
  const [notice, setNotice] = useState<Notice>();
  const { reload } = letters;

  useReloadOn(version, reload);

  const act = async (key: string, work: () => Promise<Notice>) => {
    setBusy(key);
    setNotice(undefined);
    try {
      setNotice(await work());
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    } finally {
      setBusy(undefined);
      await reload();
      onChanged();
    }
  };
  const replay = (target: { ids: number[] } | { runId: string }, key: string) =>
    act(key, async () => {
      const { replayed } = await send('runs.replay', target);
      return { tone: 'info', text: replayed === 0 ? 'Nothing to replay: the dead letters were already gone.' : `Replayed ${plural(replayed, 'dead letter', 'dead letters')}; the run is queued again and sends with the original Idempotency-Keys.` };
    });
  const discard = (target: { ids: number[] } | { runId: string }, key: string) =>
    act(key, async () => {
      const { discarded } = await send('runs.discardDeadLetters', target);
      return { tone: 'info', text: `Discarded ${plural(discarded, 'dead letter', 'dead letters')}. The run keeps its failed count.` };
    });

  const list = letters.value ?? [];
  const shown = list.slice(page * PER_PAGE, (page + 1) * PER_PAGE);
  return (
    <Card
      title={`Dead letters${list.length > 0 ? ` (${list.length.toLocaleString('en-US')})` : ''}`}
      description="Batches that could not be delivered. Replay sends them again once the cause is fixed; discard drops them for good."
      aside={
        list.length > 1 ? (
          <div className="flex shrink-0 flex-wrap items-center justify-end gap-2">
            <Button variant="secondary" busy={busy === 'all-replay'} busyLabel="Replaying…" disabled={busy !== undefined} onClick={() => void replay({ runId }, 'all-replay')} data-testid="dead-replay-all">
              Replay all
            </Button>
            <ConfirmButton
              label="Discard all"
              question={`Discard all ${list.length} for good?`}
              confirmLabel="Discard all"
              busy={busy === 'all-discard'}
              onConfirm={() => void discard({ runId }, 'all-discard')}
              data-testid="dead-discard-all"
            />
          </div>
        ) : undefined
      }
      data-testid="dead-letters"
    >
      {notice && (
        <Callout tone={notice.tone} title={notice.text} className="mb-3" data-testid="dead-notice" />
      )}
      <ListState loaded={letters} empty="No dead letters: every batch was delivered, or is still being tried." testId="dead">
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="dead-list">
          {shown.map((letter) => (
            <DeadLetterItem
              key={letter.id}
              letter={letter}
              busy={busy}
              onReplay={() => void replay({ ids: [letter.id] }, `replay-${letter.id}`)}
              onDiscard={() => void discard({ ids: [letter.id] }, `discard-${letter.id}`)}
            />
          ))}
        </ul>
        <Pager page={page} pageSize={PER_PAGE} total={list.length} onPage={setPage} noun="dead letters" />
      </ListState>
    </Card>
  );
}

function DeadLetterItem({ letter, busy, onReplay, onDiscard }: { letter: DeadLetterRow; busy?: string; onReplay(): void; onDiscard(): void }) {
  const outcome = letter.lastOutcome;
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 py-3 first:pt-0 last:pb-0" data-testid="dead-item" data-id={letter.id}>
      <div className="min-w-0 flex-1 space-y-1">
        <p className="text-[13px] font-medium">
          <span className="font-mono text-red-700 dark:text-red-300" data-testid="dead-outcome">
            {outcome.label}
            {outcome.httpStatus !== undefined && ` · HTTP ${outcome.httpStatus}`}
          </span>
          <span className={`font-normal ${mutedClass}`}>
            {' '}
            · {plural(letter.records.length, 'record', 'records')} · {plural(attemptsOf(letter.attempts, outcome.details), 'attempt', 'attempts')} ·{' '}
            <time title={formatFullTime(letter.createdAt)}>{formatWhen(letter.createdAt)}</time>
          </span>
        </p>
        {outcome.message && (
          <p className="text-[13px] leading-snug break-words text-zinc-700 dark:text-zinc-300" data-testid="dead-message">
            {outcome.message}
          </p>
        )}
        <p className={`truncate font-mono text-[11px] ${mutedClass}`} title={recordPreview(letter.records[0], 2000)}>
          {recordPreview(letter.records[0])}
        </p>
      </div>
      <div className="flex shrink-0 items-center gap-2">
        <Button variant="secondary" busy={busy === `replay-${letter.id}`} busyLabel="Replaying…" disabled={busy !== undefined} onClick={onReplay} aria-label={`Replay dead letter ${letter.id}`} data-testid="dead-replay">
          Replay
        </Button>
        <ConfirmButton
          label="Discard"
          ariaLabel={`Discard dead letter ${letter.id}`}
          question="Discard for good?"
          confirmLabel="Discard"
          busy={busy === `discard-${letter.id}`}
          onConfirm={onDiscard}
          data-testid="dead-discard"
        />
      </div>
    </li>
  );
}
