import { useCallback, useEffect, useState } from 'react';
import type { PipelineSummary } from '../../../runs/saved-pipelines';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { Skeleton } from '../../Skeleton';
import { formatDateTime } from './formatDate';
import type { PipelinesClient } from './pipelinesClient';
import { STARTERS } from './starters';

/** Saved pipelines with Edit, Export and Delete; New (from a starter) and Import above them. */
export function PipelineList({ client }: { client: PipelinesClient }) {
  const [pipelines, setPipelines] = useState<PipelineSummary[]>();
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const load = useCallback(() => {
    setError(undefined);
    setGeneration((g) => g + 1);
  }, []);
  useEffect(() => {
    let live = true;
    client.list().then(
      (list) => live && setPipelines(list),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => void (live = false);
  }, [client, generation]);

  const exportPipeline = async (id: string) => {
    const row = await client.get(id);
    if (!row) return;
    // The document holds credential references ({{credentials.x}}), never their values.
    const blob = new Blob([`${JSON.stringify(row.document, null, 2)}\n`], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${id}.ferry-pipeline.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <div className="space-y-4">
      <Card title="New pipeline" description="Start from a destination, then adjust the form or the JSON.">
        <div className="grid gap-2 sm:grid-cols-3">
          {STARTERS.map((s) => (
            <a
              key={s.id}
              href={`#/pipelines/new/${s.id}`}
              data-testid={`new-pipeline-${s.id}`}
              className="rounded-lg border border-zinc-200 p-3 hover:border-sky-400 hover:bg-sky-50/50 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-zinc-800 dark:hover:border-sky-500/50 dark:hover:bg-sky-500/5"
            >
              <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{s.label}</p>
              <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{s.description}</p>
            </a>
          ))}
        </div>
        <p className="mt-3 text-[13px] text-zinc-600 dark:text-zinc-400">
          Or{' '}
          <a href="#/pipelines/import" data-testid="import-pipeline" className="font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
            import a pipeline file
          </a>{' '}
          (you will see what it touches before it is saved).
        </p>
      </Card>
      <Card title="Saved pipelines" data-testid="pipeline-list">
        {error ? (
          <Callout tone="danger" title="Could not load the pipelines">
            {error}{' '}
            <Button variant="ghost" onClick={load}>
              Try again
            </Button>
          </Callout>
        ) : pipelines === undefined ? (
          <Skeleton className="h-16 w-full" />
        ) : pipelines.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="no-pipelines">
            No pipelines yet. Start one above.
          </p>
        ) : (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {pipelines.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center gap-3 py-2.5" data-testid={`pipeline-${p.id}`}>
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium text-zinc-900 dark:text-zinc-100">{p.name}</p>
                  <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">
                    {p.id} · saved {formatDateTime(p.updatedAt)}
                  </p>
                </div>
                <a href={`#/pipelines/edit/${encodeURIComponent(p.id)}`} className="text-sm font-medium text-sky-700 hover:underline dark:text-sky-400">
                  Edit
                </a>
                <Button variant="ghost" onClick={() => void exportPipeline(p.id)}>
                  Export
                </Button>
                {confirming === p.id ? (
                  <span className="flex items-center gap-1">
                    <Button variant="secondary" data-testid={`delete-confirm-${p.id}`} onClick={() => void client.remove(p.id).then(load)}>
                      Delete “{p.name}”
                    </Button>
                    <Button variant="ghost" onClick={() => setConfirming(undefined)}>
                      Keep
                    </Button>
                  </span>
                ) : (
                  <Button variant="ghost" onClick={() => setConfirming(p.id)}>
                    Delete
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
