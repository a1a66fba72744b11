import { useEffect, useId, useRef } from 'react';
import { Button } from '../../Button';
import type { SaveConflict } from './saveConflict';

/**
 * Asked when a save would land on a saved pipeline's id: replace that pipeline (named, so the user
 * knows what goes), or keep both, this one under a new id. Nothing is saved until one is chosen.
 */
export function SaveConflictDialog({ conflict, busy, onReplace, onKeepBoth, onCancel }: { conflict: SaveConflict; busy: boolean; onReplace(): void; onKeepBoth(): void; onCancel(): void }) {
  const titleId = useId();
  const keepRef = useRef<HTMLButtonElement>(null);
  // The safe choice has the focus: Enter keeps both, nothing is lost by accident.
  useEffect(() => keepRef.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-labelledby={titleId}
      className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-[13px] text-zinc-800 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-zinc-200"
      data-testid="pipeline-conflict"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <p id={titleId} className="font-medium">
        Replace “{conflict.name}”, or keep both (saved as {conflict.freeId})?
      </p>
      <p className="mt-1">
        A pipeline named “{conflict.name}” is already saved under the id <code className="font-mono">{conflict.id}</code>. Replacing it changes what its next runs do; its past runs keep their name.
      </p>
      <div className="mt-3 flex flex-wrap items-center justify-end gap-2">
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button variant="danger" onClick={onReplace} disabled={busy} data-testid="pipeline-conflict-replace">
          Replace “{conflict.name}”
        </Button>
        <Button ref={keepRef} onClick={onKeepBoth} busy={busy} busyLabel="Saving…" data-testid="pipeline-conflict-keep">
          Keep both (saved as {conflict.freeId})
        </Button>
      </div>
    </div>
  );
}
