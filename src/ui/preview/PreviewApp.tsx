import { useEffect, useState } from 'react';
import type { SendPreview } from '../../background/context-send/preview-data';
import { Badge } from '../Badge';
import { Button } from '../Button';
import { Callout } from '../Callout';
import { Card } from '../Card';
import { Skeleton } from '../Skeleton';
import { backgroundPreviewClient, type PreviewClient } from './previewClient';

/**
 * The window a right-click send opens before anything leaves: where the records go, the mapped
 * payload of the first ones, the rejected ones with their reasons. Send starts the run; Cancel
 * drops the records. "Don't ask again" skips this window for the pipeline from now on.
 */
export function PreviewApp({ id, client = backgroundPreviewClient }: { id: string; client?: PreviewClient }) {
  const [preview, setPreview] = useState<SendPreview>();
  const [error, setError] = useState<string>();
  const [dontAsk, setDontAsk] = useState(false);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState<string>();
  useEffect(() => {
    client.preview(id).then(setPreview, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [client, id]);

  const confirm = async () => {
    setBusy(true);
    try {
      const { runId } = await client.confirm(id, dontAsk);
      setStarted(runId);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="mx-auto max-w-2xl space-y-4 p-5" data-testid="send-preview">
      <header>
        <h1 className="text-lg font-semibold tracking-tight">Check before sending</h1>
        {preview && (
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            “{preview.pipelineName}” will <span className="font-mono text-[13px]">{preview.destination}</span>, from the {preview.context} on{' '}
            <span className="break-all">{preview.source.title || preview.source.url}</span>.
          </p>
        )}
      </header>
      {error && (
        <Callout tone="danger" title="Nothing was sent" data-testid="preview-error">
          {error}
        </Callout>
      )}
      {!preview && !error && <Skeleton className="h-48 w-full" />}
      {started ? (
        <Callout title="Sending" data-testid="preview-started">
          The run is on its way; a notification says how it went.{' '}
          <Button variant="ghost" onClick={() => client.openRun(started)}>
            Open its history
          </Button>{' '}
          <Button variant="ghost" onClick={() => client.close()}>
            Close
          </Button>
        </Callout>
      ) : (
        preview && (
          <>
            <div className="flex flex-wrap gap-2" data-testid="preview-counts">
              <Badge tone="blue">{preview.total} taken</Badge>
              <Badge tone="green">{preview.accepted} to send</Badge>
              {preview.rejected > 0 && <Badge tone="amber">{preview.rejected} rejected</Badge>}
            </div>
            {preview.warnings.map((w) => (
              <p key={w} className="text-xs text-amber-800 dark:text-amber-300">
                {w}
              </p>
            ))}
            <Card title={`What will be sent${preview.accepted > preview.mapped.length ? ` (the first ${preview.mapped.length} of ${preview.accepted})` : ''}`} data-testid="preview-mapped">
              {preview.mapped.length === 0 ? (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">No record passes the pipeline's checks: nothing would be sent.</p>
              ) : (
                <pre className="max-h-64 overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs leading-5 text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
                  {JSON.stringify(preview.mapped, null, 2)}
                </pre>
              )}
            </Card>
            {preview.rejects.length > 0 && (
              <Card title={`Rejected, not sent (${preview.rejected})`} data-testid="preview-rejects">
                <ul className="space-y-2 text-[13px]">
                  {preview.rejects.map((r, i) => (
                    <li key={i} className="rounded-md bg-amber-50 p-2 dark:bg-amber-500/10">
                      <p className="font-mono text-xs break-all text-zinc-700 dark:text-zinc-300">{JSON.stringify(r.record)}</p>
                      {r.reasons.map((reason) => (
                        <p key={reason.path + reason.message} className="mt-1 text-amber-900 dark:text-amber-200">
                          {reason.message}
                        </p>
                      ))}
                    </li>
                  ))}
                </ul>
              </Card>
            )}
            <div className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
              <label className="flex items-center gap-2 text-[13px] text-zinc-700 dark:text-zinc-300">
                <input type="checkbox" data-testid="dont-ask-again" className="size-4 accent-sky-600" checked={dontAsk} onChange={(e) => setDontAsk(e.target.checked)} />
                Don’t ask again for this pipeline
              </label>
              <div className="flex gap-2">
                <Button variant="secondary" data-testid="preview-cancel" onClick={() => void client.cancel(id).finally(() => client.close())}>
                  Cancel
                </Button>
                <Button data-testid="preview-send" disabled={preview.accepted === 0} busy={busy} busyLabel="Starting…" onClick={() => void confirm()}>
                  Send {preview.accepted} {preview.accepted === 1 ? 'record' : 'records'}
                </Button>
              </div>
            </div>
          </>
        )
      )}
    </main>
  );
}
