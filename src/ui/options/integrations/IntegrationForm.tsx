import { useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { IntegrationKind } from '../../../integrations/saved/types';
import type { IntegrationRow } from '../../../storage/rows';
import { errorMessage } from '../../background';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { cx } from '../../cx';
import { labelClass, TextField } from '../../TextField';
import { selectClass } from '../../table';
import { emptyForm, formOf, formProblems, inputOf, slugOf, type FieldName, type IntegrationForm as Form } from './formModel';
import type { IntegrationsClient } from './integrationsClient';
import { PostgresRoleHelp } from './PostgresRoleHelp';

export const KIND_LABELS: Record<IntegrationKind, string> = { rest: 'REST', graphql: 'GraphQL', database: 'Database' };

export interface IntegrationFormProps {
  client: IntegrationsClient;
  /** Absent: a new integration. */
  editing?: IntegrationRow;
  credentialNames: string[];
  onSaved(row: IntegrationRow, created: boolean): void;
  onCancel(): void;
}

function SelectField({ label, value, onChange, children, testId, hint }: { label: string; value: string; onChange(v: string): void; children: ReactNode; testId?: string; hint?: string }) {
  const id = useId();
  return (
    <div className="min-w-0">
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <select id={id} className={cx(selectClass, 'mt-1')} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} aria-describedby={hint ? `${id}-hint` : undefined}>
        {children}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
    </div>
  );
}

/**
 * Create or edit one integration. Each field is checked as it is typed with the background's own
 * schema; secrets are typed as `{{credentials.name}}` references (offered from the vault's names),
 * never as values.
 */
export function IntegrationForm({ client, editing, credentialNames, onSaved, onCancel }: IntegrationFormProps) {
  const [form, setForm] = useState<Form>(() => (editing ? formOf(editing) : emptyForm()));
  const [idEdited, setIdEdited] = useState(Boolean(editing));
  const [touched, setTouched] = useState<Set<FieldName>>(new Set());
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const listId = useId();
  const problems = useMemo(() => formProblems(form), [form]);
  const shown = (field: FieldName) => (tried || touched.has(field) ? problems.byField[field] : undefined);

  const set = <K extends FieldName>(field: K, value: Form[K]) => {
    setTouched((t) => new Set(t).add(field));
    setForm((f) => {
      const next = { ...f, [field]: value };
      if (field === 'name' && !idEdited) next.id = slugOf(String(value));
      return next;
    });
  };
  const text = (field: FieldName, label: string, extra: { hint?: string; placeholder?: string; secret?: boolean; mono?: boolean; className?: string } = {}) => (
    <TextField
      label={label}
      value={String(form[field])}
      onChange={(e) => {
        if (field === 'id') setIdEdited(true);
        set(field, e.target.value as never);
      }}
      error={shown(field)}
      hint={shown(field) ? undefined : extra.hint}
      placeholder={extra.placeholder}
      autoComplete="off"
      spellCheck={false}
      list={extra.secret ? listId : undefined}
      className={extra.className}
      readOnly={field === 'id' && Boolean(editing)}
      data-testid={`integration-${field}`}
    />
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setFailure(undefined);
    if (Object.keys(problems.byField).length > 0 || problems.other.length > 0) {
      // After React marks the fields: focus the first one that needs fixing.
      setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return;
    }
    setSaving(true);
    try {
      onSaved(await client.save(inputOf(form), !editing), !editing);
    } catch (error) {
      setFailure(errorMessage(error));
      setSaving(false);
    }
  };

  const kind = form.kind;
  const authFields = kind !== 'database' && (
    <>
      <SelectField label="Authentication" value={form.authType} onChange={(v) => set('authType', v as Form['authType'])} testId="integration-authType">
        <option value="none">None</option>
        <option value="bearer">Bearer token</option>
        <option value="basic">Basic (user name and password)</option>
        <option value="apiKey">API key</option>
      </SelectField>
      {form.authType === 'bearer' && text('token', 'Token', { secret: true, placeholder: '{{credentials.apiToken}}', hint: 'A credential reference; the vault supplies the value.' })}
      {form.authType === 'basic' && (
        <>
          {text('username', 'User name', { placeholder: 'ferry or {{credentials.apiUser}}' })}
          {text('password', 'Password', { secret: true, placeholder: '{{credentials.apiPassword}}', hint: 'A credential reference; the vault supplies the value.' })}
        </>
      )}
      {form.authType === 'apiKey' && (
        <>
          {text('apiKeyName', 'Key name', { placeholder: 'X-API-Key' })}
          <SelectField label="Sent in" value={form.apiKeyIn} onChange={(v) => set('apiKeyIn', v as Form['apiKeyIn'])}>
            <option value="header">A header</option>
            <option value="query">The query string</option>
          </SelectField>
          {text('apiKeyValue', 'Key', { secret: true, placeholder: '{{credentials.apiKey}}', hint: 'A credential reference; the vault supplies the value.' })}
        </>
      )}
    </>
  );

  return (
    <Card
      title={editing ? `Edit ${editing.name}` : 'New integration'}
      description="Secrets are never typed here: write {{credentials.name}} and keep the value under Credentials."
      data-testid="integration-form-card"
    >
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate aria-label={editing ? `Edit ${editing.name}` : 'New integration'} data-testid="integration-form" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <datalist id={listId}>
          {credentialNames.map((name) => (
            <option key={name} value={`{{credentials.${name}}}`} />
          ))}
        </datalist>
        <fieldset disabled={Boolean(editing)} className="mb-4">
          <legend className={labelClass}>Kind</legend>
          <div className="mt-1 inline-flex rounded-md ring-1 ring-zinc-300 ring-inset dark:ring-zinc-700" role="radiogroup" aria-label="Kind">
            {(['rest', 'graphql', 'database'] as const).map((k) => (
              <label
                key={k}
                className={cx(
                  'cursor-pointer px-3 py-1.5 text-sm font-medium first:rounded-l-md last:rounded-r-md has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-600',
                  kind === k ? 'bg-sky-600 text-white dark:bg-sky-500 dark:text-zinc-950' : 'text-zinc-700 hover:bg-zinc-50 dark:text-zinc-300 dark:hover:bg-zinc-800',
                  editing && kind !== k && 'opacity-50',
                )}
              >
                <input type="radio" name={`${listId}-kind`} value={k} checked={kind === k} onChange={() => setForm((f) => ({ ...f, kind: k }))} className="sr-only" data-testid={`integration-kind-${k}`} />
                {KIND_LABELS[k]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-2">
          {text('name', 'Name', { placeholder: kind === 'database' ? 'Warehouse' : 'CRM API' })}
          {text('id', 'Id', { mono: true, hint: editing ? 'Fixed once saved.' : 'Lower-case letters, digits, “-” and “_”.' })}
          {kind === 'rest' && (
            <>
              {text('baseUrl', 'Base URL', { placeholder: 'https://api.example.com/v1 or {{env.API_BASE}}', hint: 'Pipelines add their own path after it.' })}
              {text('healthPath', 'Health path (optional)', { placeholder: '/health', hint: 'What “Test connection” requests; empty: the base URL.' })}
            </>
          )}
          {kind === 'graphql' && <div className="sm:col-span-2">{text('endpoint', 'Endpoint', { placeholder: 'https://api.example.com/graphql' })}</div>}
          {kind !== 'database' && (
            <div className="sm:col-span-2">
              <HeadersField value={form.headers} onChange={(v) => set('headers', v)} error={shown('headers')} />
            </div>
          )}
          {authFields}
          {kind === 'database' && (
            <>
              <SelectField label="Engine" value={form.dbType} onChange={(v) => set('dbType', v as Form['dbType'])} testId="integration-dbType">
                <option value="sqlite">SQLite (a file in the host’s data folder)</option>
                <option value="postgresql">PostgreSQL</option>
              </SelectField>
              {text('dbDatabase', form.dbType === 'sqlite' ? 'File name' : 'Database', { placeholder: form.dbType === 'sqlite' ? 'crm.sqlite' : 'crm' })}
              {form.dbType === 'postgresql' && (
                <>
                  {text('dbHost', 'Host', { placeholder: 'db.example.com or {{env.DB_HOST}}' })}
                  {text('dbPort', 'Port', { placeholder: '5432' })}
                  {text('dbUsername', 'User name', { secret: true, placeholder: 'ferry or {{credentials.dbUser}}' })}
                  {text('dbPassword', 'Password', { secret: true, placeholder: '{{credentials.dbPassword}}', hint: 'A credential reference; the vault supplies the value.' })}
                  {text('poolMax', 'Pool size (optional)', { placeholder: '10' })}
                  <label className="flex items-center gap-2 self-end pb-1.5 text-[13px] text-zinc-800 dark:text-zinc-200">
                    <input type="checkbox" className="size-4 accent-sky-600" checked={form.dbSsl} onChange={(e) => set('dbSsl', e.target.checked)} />
                    Require TLS (verify the server’s certificate)
                  </label>
                  <div className="sm:col-span-2">
                    <PostgresRoleHelp />
                  </div>
                </>
              )}
            </>
          )}
        </div>
        {tried && problems.other.length > 0 && (
          <Callout tone="danger" title="Fix these first" className="mt-3" data-testid="integration-form-problems">
            <ul className="list-disc pl-4">
              {problems.other.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </Callout>
        )}
        {failure && (
          <Callout tone="danger" title="Not saved" className="mt-3" data-testid="integration-form-error">
            {failure}
          </Callout>
        )}
        <div className="mt-4 flex items-center justify-end gap-2">
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" busy={saving} busyLabel="Saving…" data-testid="integration-save">
            {editing ? 'Save changes' : 'Save integration'}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function HeadersField({ value, onChange, error }: { value: string; onChange(v: string): void; error?: string }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        Headers (optional)
      </label>
      <textarea
        id={id}
        rows={2}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        placeholder={'X-Client: ferry\nAuthorization: Bearer {{credentials.apiToken}}'}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-${error ? 'error' : 'hint'}`}
        className={cx(
          'mt-1 block w-full rounded-md bg-white px-2.5 py-1.5 font-mono text-[13px] text-zinc-900 shadow-sm ring-1 ring-zinc-300 ring-inset placeholder:text-zinc-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:bg-zinc-800 dark:text-zinc-100 dark:ring-zinc-700 dark:placeholder:text-zinc-500',
          error && 'ring-red-500 dark:ring-red-400',
        )}
        data-testid="integration-headers"
      />
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-300" data-testid="integration-headers-error">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          One “Name: value” per line. A header that carries a secret must reference a credential.
        </p>
      )}
    </div>
  );
}
