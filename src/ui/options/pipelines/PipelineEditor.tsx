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
  onSaved(id: string): void;
  onCancel(): void;
}

/**
 * One pipeline, as a form for the common fields and as its text, checked as it is typed: each
 * problem is listed with its line and marked beside it, and Save waits until there are none (the
 * background checks again). Editing the form rewrites the text as plain JSON, without comments.
 */
export function PipelineEditor({ client, picker = backgroundPickerClient, initialText, title, confirmReach, onSaved, onCancel }: PipelineEditorProps) {
  const [text, setText] = useState(initialText);
  const [env, setEnv] = useState<Record<string, string>>({});
  const [integrations, setIntegrations] = useState<IntegrationRow[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [confirmed, setConfirmed] = useState(!confirmReach);
  const check = useMemo(() => checkPipelineText(text), [text]);
  const reach = useMemo(() => (check.ok ? pipelineReach(check.pipeline, env) : undefined), [check, env]);
  useEffect(() => void client.env().then(setEnv, () => undefined), [client]);
  useEffect(() => void client.integrations?.().then(setIntegrations, () => undefined), [client]);

  const save = async () => {
    if (!check.ok) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const row = await client.save({ name: check.pipeline.name, text });
      onSaved(row.id);
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  };

  /** Saves, then sends the tab's records through the saved pipeline, and opens the run's history. */
  const sendFromTab = async (tabId: number) => {
    if (!check.ok) return;
    const row = await client.save({ name: check.pipeline.name, text });
    const { runId } = await client.sendFromTab(row.id, tabId);
    window.location.hash = `#/runs/${encodeURIComponent(runId)}`;
  };

  return (
    <Card title={title} description="Fill in the form or edit the JSON; both describe the same pipeline." data-testid="pipeline-editor">
      <div className="space-y-4">
        {check.document !== undefined && typeof check.document === 'object' && (
          <>
            <PipelineForm document={check.document as Json} integrations={integrations} onChange={(doc) => setText(`${JSON.stringify(doc, null, 2)}\n`)} />
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
        {saveError && (
          <Callout tone="danger" title="Not saved" data-testid="pipeline-save-error">
            {saveError}
          </Callout>
        )}
        <div className="flex items-center justify-end gap-2">
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button data-testid="pipeline-save" disabled={!check.ok || !confirmed} busy={saving} busyLabel="Saving…" onClick={() => void save()}>
            Save pipeline
          </Button>
        </div>
      </div>
    </Card>
  );
}
