import { useEffect, useMemo, useState } from 'react';
import type { IntegrationRow } from '../../../storage/rows';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { ConfigEditor, IssueList } from './ConfigEditor';
import type { Json } from './documentEdit';
import { checkPipelineText } from './pipelineCheck';
import { pipelineReach } from './pipelineReach';
import type { PipelinesClient } from './pipelinesClient';
import { backgroundPickerClient, type PickerClient } from './pickerClient';
import { PipelineForm } from './PipelineForm';
import { ReachPanel } from './ReachPanel';
import { saveConflictOf, type SaveConflict } from './saveConflict';
import { SaveConflictDialog } from './SaveConflictDialog';
import { SourceCard } from './SourceCard';

export interface PipelineEditorProps {
  client: PipelinesClient;
  picker?: PickerClient;
  /** The text to start from: a saved pipeline's, a starter's, or an imported file's. */
  initialText: string;
  /** Shown above the editor: "New pipeline", "Import", the pipeline's name. */
  title: string;
  /** An import is saved only after the user has seen what it touches. */
  confirmReach?: boolean;
  /**
   * How the first save picks its id: `new` (a starter) takes one from the name, made unique; `edit`
   * keeps `savedId`; `import` (the default) keeps the document's, and asks replace-or-keep-both
   * when it is taken.
   */
  mode?: { kind: 'new' } | { kind: 'edit'; savedId: string } | { kind: 'import' };
  onSaved(id: string): void;
  onCancel(): void;
}

/**
 * One pipeline, as a form for the common fields and as its text, checked as it is typed: each
 * problem is listed with its line and marked beside it, and Save waits until there are none (the
 * background checks again). Editing the form rewrites the text as plain JSON, without comments.
 */
export function PipelineEditor({ client, picker = backgroundPickerClient, initialText, title, confirmReach, mode = { kind: 'import' }, onSaved, onCancel }: PipelineEditorProps) {
  const [text, setText] = useState(initialText);
  // Once saved, later saves (Save after Send from tab) edit that pipeline rather than making another.
  const [savedId, setSavedId] = useState(mode.kind === 'edit' ? mode.savedId : undefined);
  const [conflict, setConflict] = useState<SaveConflict>();
  // The starter's id: a new pipeline still carrying it has not been given an id by the user.
  const startId = useMemo(() => {
    const first = checkPipelineText(initialText);
    return first.ok ? first.pipeline.id : undefined;
  }, [initialText]);
  const [env, setEnv] = useState<Record<string, string>>({});
  const [integrations, setIntegrations] = useState<IntegrationRow[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [confirmed, setConfirmed] = useState(!confirmReach);
  const check = useMemo(() => checkPipelineText(text), [text]);
  const reach = useMemo(() => (check.ok ? pipelineReach(check.pipeline, env) : undefined), [check, env]);
  useEffect(() => void client.env().then(setEnv, () => undefined), [client]);
  useEffect(() => void client.integrations?.().then(setIntegrations, () => undefined), [client]);

  /** One save, with how this editor picks its id (or the user's answer to a conflict). */
  const saveOnce = async (answer?: { replace: true } | { newId: true }) => {
    if (!check.ok) throw new Error('The pipeline has problems; fix them first.');
    // A new pipeline takes its id from its name, unless the user typed one (then a taken id asks, as an import does).
    const ownId = check.pipeline.id !== startId;
    const how = answer ?? (savedId !== undefined ? { editing: savedId } : mode.kind === 'new' && !ownId ? { newId: true } : {});
    try {
      const row = await client.save({ name: check.pipeline.name, text, ...how });
      setConflict(undefined);
      setSavedId(row.id);
      if (row.text !== undefined && row.text !== text) setText(row.text); // the id it was given
      return row;
    } catch (error) {
      const taken = saveConflictOf(error);
      if (taken) setConflict(taken);
      throw error;
    }
  };

  const save = async (answer?: { replace: true } | { newId: true }) => {
    if (!check.ok) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const row = await saveOnce(answer);
      onSaved(row.id);
    } catch (error) {
      if (!saveConflictOf(error)) setSaveError(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  };

  /** Saves, then sends the tab's records through the saved pipeline, and opens the run's history. */
  const sendFromTab = async (tabId: number) => {
    if (!check.ok) return;
    const row = await saveOnce();
    const { runId } = await client.sendFromTab(row.id, tabId);
    window.location.hash = `#/runs/${encodeURIComponent(runId)}`;
  };

  return (
    <Card title={title} description="Fill in the form or edit the JSON; both describe the same pipeline." data-testid="pipeline-editor">
      <div className="space-y-4">
        {check.document !== undefined && typeof check.document === 'object' && (
          <>
            <PipelineForm document={check.document as Json} integrations={integrations} idLocked={mode.kind === 'edit'} onChange={(doc) => setText(`${JSON.stringify(doc, null, 2)}\n`)} />
            <SourceCard
              document={check.document as Json}
              onChange={(doc) => setText(`${JSON.stringify(doc, null, 2)}\n`)}
              client={picker}
              {...(check.ok && confirmed ? { onSend: sendFromTab } : {})}
            />
          </>
        )}
        <ConfigEditor id="pipeline-text" label="Pipeline JSON" value={text} onChange={setText} issues={check.ok ? [] : check.issues} />
        <IssueList id="pipeline-text" issues={check.ok ? [] : check.issues} />
        {reach && <ReachPanel reach={reach} client={client} />}
        {confirmReach && check.ok && (
          <label className="flex items-start gap-2 text-[13px] text-zinc-800 dark:text-zinc-200">
            <input type="checkbox" data-testid="confirm-reach" className="mt-0.5 size-4 accent-sky-600" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
            I checked what this pipeline touches, and want to save it.
          </label>
        )}
        {conflict && (
          <SaveConflictDialog conflict={conflict} busy={saving} onReplace={() => void save({ replace: true })} onKeepBoth={() => void save({ newId: true })} onCancel={() => setConflict(undefined)} />
        )}
        {saveError && (
          <Callout tone="danger" title="Not saved" data-testid="pipeline-save-error">
            {saveError}
          </Callout>
        )}
        <div className="flex items-center justify-end gap-2">
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button data-testid="pipeline-save" disabled={!check.ok || !confirmed || conflict !== undefined} busy={saving} busyLabel="Saving…" onClick={() => void save()}>
            Save pipeline
          </Button>
        </div>
      </div>
    </Card>
  );
}
