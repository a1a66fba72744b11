import type { ReactNode } from 'react';
import type { IntegrationRow } from '../../../storage/rows';
import { applyIntegration, integrationKindFor, matchingIntegration } from './applyIntegration';
import { deliveryBlock, deliveryIndex, getIn, setIn, type Json } from './documentEdit';
import { fieldClass } from '../../fieldClass';

export interface PipelineFormProps {
  document: Json;
  onChange(document: Json): void;
  /** Saved integrations (Options → Integrations) the delivery step can be filled from. */
  integrations?: readonly IntegrationRow[];
  /** A saved pipeline keeps its id (its runs are filed under it): shown, not editable. */
  idLocked?: boolean;
}

const input = fieldClass;

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-[13px] font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <div className="mt-1">{children}</div>
      {hint && <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{hint}</p>}
    </div>
  );
}

/**
 * The common fields of a pipeline as a form: its name and id, the pages it is offered on, and the
 * essentials of its delivery step. Every other setting stays as the JSON says; the two edit the
 * same document.
 */
export function PipelineForm({ document, onChange, integrations = [], idLocked = false }: PipelineFormProps) {
  const text = (path: (string | number)[]) => {
    const value = getIn(document, path);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  const set = (path: (string | number)[], value: Json | undefined) => onChange(setIn(document, path, value));
  const setText = (path: (string | number)[]) => (e: { target: { value: string } }) => set(path, e.target.value === '' ? undefined : e.target.value);
  const step = deliveryIndex(document);
  const block = deliveryBlock(document);
  const at = (...rest: string[]) => ['steps', step, ...rest];
  const match = getIn(document, ['match']);
  const batching = getIn(document, at('batching')) as { mode?: string; size?: number } | undefined;
  const integrationKind = integrationKindFor(block);
  const choices = integrations.filter((i) => i.kind === integrationKind);
  const chosen = integrationKind ? matchingIntegration(document, choices) : undefined;

  return (
    <div className="grid gap-4 sm:grid-cols-2" data-testid="pipeline-form">
      <Field id="pf-name" label="Name">
        <input id="pf-name" data-testid="pf-name" className={input} value={text(['name'])} onChange={setText(['name'])} />
      </Field>
      <Field id="pf-id" label="Id" hint={idLocked ? 'Runs are filed under it, so it stays; to save a copy under another id, export and import it.' : 'Letters, digits, “.”, “_” and “-”; runs are filed under it. Left as it is, it is made from the name.'}>
        <input id="pf-id" data-testid="pf-id" className={`${input} font-mono`} value={text(['id'])} onChange={setText(['id'])} readOnly={idLocked} aria-readonly={idLocked} />
      </Field>
      <div className="sm:col-span-2">
        <Field id="pf-match" label="Offered on pages" hint="One match pattern per line, such as https://shop.example.com/*. Empty: every page.">
          <textarea
            id="pf-match"
            data-testid="pf-match"
            rows={2}
            className={`${input} font-mono`}
            value={Array.isArray(match) ? match.join('\n') : ''}
            onChange={(e) => {
              const patterns = e.target.value.split('\n').map((l) => l.trim()).filter(Boolean);
              set(['match'], patterns.length > 0 ? patterns : undefined);
            }}
          />
        </Field>
      </div>
      {integrationKind && (
        <div className="sm:col-span-2">
          <Field
            id="pf-integration"
            label="Destination integration"
            hint="Copied into this pipeline, which stays self-contained and exportable."
          >
            <select
              id="pf-integration"
              data-testid="pf-integration"
              className={input}
              value={chosen?.id ?? ''}
              onChange={(e) => {
                const picked = choices.find((i) => i.id === e.target.value);
                if (picked) onChange(applyIntegration(document, picked, choices));
              }}
            >
              <option value="">{choices.length === 0 ? 'None saved yet (Options → Integrations)' : 'None: as written below'}</option>
              {choices.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      {block === 'http' && (
        <>
          <Field id="pf-method" label="Method">
            <select id="pf-method" className={input} value={text(at('http', 'method')) || 'POST'} onChange={setText(at('http', 'method'))}>
              {['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </Field>
          <Field id="pf-url" label="URL" hint="Templates such as {{env.API_BASE}}/v1/items are allowed.">
            <input id="pf-url" data-testid="pf-url" className={`${input} font-mono`} value={text(at('http', 'url'))} onChange={setText(at('http', 'url'))} />
          </Field>
        </>
      )}
      {block === 'graphqlConfig' && (
        <div className="sm:col-span-2">
          <Field id="pf-endpoint" label="GraphQL endpoint">
            <input id="pf-endpoint" className={`${input} font-mono`} value={text(at('graphqlConfig', 'endpoint'))} onChange={setText(at('graphqlConfig', 'endpoint'))} />
          </Field>
        </div>
      )}
      {block === 'database' && (
        <>
          <Field id="pf-operation" label="Database operation">
            <select id="pf-operation" className={input} value={text(at('database', 'operation'))} onChange={setText(at('database', 'operation'))}>
              {['insert', 'batchInsert', 'execute', 'select'].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </Field>
          <Field id="pf-table" label="Table" hint="Created from the records' shape when it is missing.">
            <input id="pf-table" data-testid="pf-table" className={`${input} font-mono`} value={text(at('database', 'table'))} onChange={setText(at('database', 'table'))} />
          </Field>
        </>
      )}
      {block === 'file' && (
        <>
          <Field id="pf-file" label="File path" hint="Inside a folder granted to the host; {{date}}, {{timestamp}} and {{uuid}} are filled in when it is written.">
            <input id="pf-file" data-testid="pf-file" className={`${input} font-mono`} value={text(at('file', 'filePath'))} onChange={setText(at('file', 'filePath'))} />
          </Field>
          <Field id="pf-append" label="Write mode">
            <select id="pf-append" className={input} value={getIn(document, at('file', 'append')) === true ? 'append' : 'replace'} onChange={(e) => set(at('file', 'append'), e.target.value === 'append' ? true : undefined)}>
              <option value="replace">Replace the file each run</option>
              <option value="append">Append (csv and ndjson)</option>
            </select>
          </Field>
        </>
      )}
      {step >= 0 && block !== undefined && (
        <>
          <Field id="pf-batching" label="Records per request">
            <select
              id="pf-batching"
              className={input}
              value={batching?.mode ?? 'default'}
              onChange={(e) => set(at('batching'), e.target.value === 'default' ? undefined : e.target.value === 'record' ? { mode: 'record' } : { mode: 'batch', size: batching?.size ?? 100 })}
            >
              <option value="default">The step's default</option>
              <option value="record">One record per request</option>
              <option value="batch">Batches of records</option>
            </select>
          </Field>
          {batching?.mode === 'batch' && (
            <Field id="pf-batch-size" label="Batch size">
              <input id="pf-batch-size" type="number" min={1} max={10000} className={input} value={batching.size ?? ''} onChange={(e) => set(at('batching', 'size'), Number(e.target.value))} />
            </Field>
          )}
        </>
      )}
    </div>
  );
}
