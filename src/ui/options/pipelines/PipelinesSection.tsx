import { useEffect, useState } from 'react';
import { Callout } from '../../Callout';
import { Skeleton } from '../../Skeleton';
import { backgroundPipelinesClient, type PipelinesClient } from './pipelinesClient';
import { ImportPipeline } from './ImportPipeline';
import { PipelineEditor } from './PipelineEditor';
import { PipelineList } from './PipelineList';
import { STARTERS } from './starters';

/** `#/pipelines`, `#/pipelines/new/<starter>`, `#/pipelines/edit/<id>`, `#/pipelines/import`. */
export function pipelineRoute(hash: string): { view: 'list' } | { view: 'new'; starter: string } | { view: 'edit'; id: string } | { view: 'import' } {
  const [, , view, arg] = hash.replace(/^#/, '').split('/');
  if (view === 'new') return { view: 'new', starter: arg ?? 'rest' };
  if (view === 'edit' && arg) return { view: 'edit', id: decodeURIComponent(arg) };
  if (view === 'import') return { view: 'import' };
  return { view: 'list' };
}

function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

const toList = () => void (window.location.hash = '#/pipelines');

export function PipelinesSection({ client = backgroundPipelinesClient }: { client?: PipelinesClient }) {
  const route = pipelineRoute(useHash());
  if (route.view === 'new') {
    const starter = STARTERS.find((s) => s.id === route.starter) ?? STARTERS[0]!;
    return <PipelineEditor key={starter.id} client={client} initialText={starter.text} title={`New pipeline: ${starter.label}`} mode={{ kind: 'new' }} onSaved={toList} onCancel={toList} />;
  }
  if (route.view === 'edit') return <EditSaved key={route.id} client={client} id={route.id} />;
  if (route.view === 'import') return <ImportPipeline client={client} onDone={toList} />;
  return <PipelineList client={client} />;
}

/** A saved pipeline opens as the text it was saved from, comments included. */
function EditSaved({ client, id }: { client: PipelinesClient; id: string }) {
  const [state, setState] = useState<{ text: string; name: string } | 'missing' | Error>();
  useEffect(() => {
    client.get(id).then(
      (row) => setState(row ? { text: row.text ?? `${JSON.stringify(row.document, null, 2)}\n`, name: row.name } : 'missing'),
      (e: unknown) => setState(e instanceof Error ? e : new Error(String(e))),
    );
  }, [client, id]);
  if (state === undefined) return <Skeleton className="h-64 w-full" />;
  if (state === 'missing') return <Callout tone="warning" title={`No saved pipeline "${id}"`}>It may have been deleted. Go back to the list of pipelines.</Callout>;
  if (state instanceof Error) return <Callout tone="danger" title="Could not load the pipeline">{state.message}</Callout>;
  return <PipelineEditor client={client} initialText={state.text} title={state.name} mode={{ kind: 'edit', savedId: id }} onSaved={toList} onCancel={toList} />;
}
