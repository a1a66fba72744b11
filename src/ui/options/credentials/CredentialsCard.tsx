import { useRef, useState, type FormEvent } from 'react';
import type { CredentialSummary } from '../../../messaging/contract';
import { errorMessage, type BackgroundSend } from '../../background';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { ConfirmButton } from '../../ConfirmButton';
import { formatFullTime, formatWhen } from '../../runs/runFormat';
import { mutedClass, tableClass, tdClass as tdTop } from '../../table';

/** Rows with buttons: text centred on the buttons' line. */
const tdClass = tdTop.replace('align-top', 'align-middle');
import { TextField } from '../../TextField';
import { useLoader, useReloadOn } from '../../useLoader';
import { ListState } from '../runs/ListState';
import { credentialNameProblem, credentialValueProblem, oauthOwner } from './validation';
import { TableHead } from '../../TableHead';

interface Notice {
  tone: 'info' | 'danger';
  text: string;
}

/** The vault: add, replace and delete secrets. A saved value never comes back; only its last 4 characters. */
export function CredentialsCard({ send, refreshKey = '' }: { send: BackgroundSend; refreshKey?: string }) {
  const credentials = useLoader('credentials', () => send('credentials.list', undefined));
  // Tokens of OAuth connections are listed like any credential; they are labelled as the connection's.
  const connections = useLoader('credential-owners', () => send('oauth.status', undefined).then((list) => list.map((c) => c.name)).catch(() => [] as string[]));
  const reloadAll = credentials.reload;
  const reloadOwners = connections.reload;
  useReloadOn(refreshKey, reloadAll);
  useReloadOn(refreshKey, reloadOwners);
  const owners = connections.value ?? [];
  const [notice, setNotice] = useState<Notice>();
  const [replacing, setReplacing] = useState<string>();
  const [deleting, setDeleting] = useState<string>();
  const list = credentials.value ?? [];

  const remove = async (name: string) => {
    setDeleting(name);
    setNotice(undefined);
    try {
      const { deleted } = await send('credentials.delete', { name });
      setNotice({ tone: 'info', text: deleted ? `Deleted ${name}. Pipelines that read {{credentials.${name}}} now fail until it is added again.` : `${name} was already gone.` });
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    } finally {
      setDeleting(undefined);
      await credentials.reload();
    }
  };
  const saved = async (summary: CredentialSummary, replaced: boolean) => {
    setReplacing(undefined);
    setNotice({ tone: 'info', text: `${replaced ? 'Replaced' : 'Saved'} ${summary.name}${summary.last4 ? ` (ends in ${summary.last4})` : ''}. The value is encrypted and will not be shown again.` });
    await credentials.reload();
  };

  return (
    <Card
      title="Credentials"
      description={
        <>
          Tokens, passwords and keys, encrypted in Ferry’s vault. Pipelines read them as <code>{'{{credentials.name}}'}</code>; only the background decrypts them, and a saved value is never shown again.
        </>
      }
      data-testid="credentials"
    >
      {notice && <Callout tone={notice.tone} title={notice.text} className="mb-3" data-testid="credentials-notice" />}
      <ListState loaded={credentials} empty="No credentials yet. Add one below." testId="credentials">
        <div className="-mx-4 overflow-x-auto px-4">
          <table className={tableClass} data-testid="credentials-table">
            <TableHead columns={['Name', 'Value', 'Updated', { label: 'Actions', right: true, srOnly: true }]} />
            <tbody>
              {list.map((c) => {
                const owner = oauthOwner(c.name, owners);
                return (
                  <tr key={c.name} data-testid="credential-row" data-name={c.name} data-managed-by={owner}>
                    <td className={`${tdClass} font-mono text-xs font-medium break-all`}>{c.name}</td>
                    <td className={`${tdClass} font-mono text-xs whitespace-nowrap`} data-testid="credential-last4">
                      {owner ? (
                        <span className={`font-sans ${mutedClass}`} data-testid="credential-managed">
                          managed by OAuth connection <span className="font-mono">{owner}</span>
                        </span>
                      ) : c.last4 ? (
                        <span aria-label={`ends in ${c.last4}`}>
                          <span aria-hidden="true" className={mutedClass}>
                            ••••••••
                          </span>
                          {c.last4}
                        </span>
                      ) : (
                        <span className={`font-sans ${mutedClass}`} title="Values shorter than 12 characters show none of their characters.">
                          hidden (short value)
                        </span>
                      )}
                    </td>
                    <td className={`${tdClass} whitespace-nowrap tabular-nums ${mutedClass}`} title={formatFullTime(c.updatedAt)}>
                      {formatWhen(c.updatedAt)}
                    </td>
                    <td className={`${tdClass} text-right`}>
                      {owner ? (
                        <div className="flex justify-end gap-2" title={`Ferry renews this token itself. Reconnect or disconnect ${owner} under OAuth connections instead.`}>
                          <Button variant="secondary" disabled aria-label={`Replace ${c.name} (managed by OAuth connection ${owner})`} data-testid="credential-replace">
                            Replace
                          </Button>
                          <Button variant="secondary" disabled aria-label={`Delete ${c.name} (managed by OAuth connection ${owner})`} data-testid="credential-delete">
                            Delete
                          </Button>
                        </div>
                      ) : replacing === c.name ? (
                        <ReplaceForm name={c.name} send={send} onSaved={(s) => void saved(s, true)} onCancel={() => setReplacing(undefined)} />
                      ) : (
                        <div className="flex justify-end gap-2">
                          <Button variant="secondary" onClick={() => setReplacing(c.name)} aria-label={`Replace ${c.name}`} data-testid="credential-replace">
                            Replace
                          </Button>
                          <ConfirmButton
                            label="Delete"
                            ariaLabel={`Delete ${c.name}`}
                            question={`Delete ${c.name}?`}
                            confirmLabel="Delete"
                            busy={deleting === c.name}
                            onConfirm={() => void remove(c.name)}
                            data-testid="credential-delete"
                          />
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </ListState>
      <AddCredentialForm send={send} existing={list.map((c) => c.name)} ownerOf={(name) => oauthOwner(name, owners)} onSaved={(s, replaced) => void saved(s, replaced)} />
    </Card>
  );
}

/** Name and value; the value field is a password field, emptied after saving and never filled from storage. */
export function AddCredentialForm({ send, existing, ownerOf = () => undefined, onSaved }: {
  send: BackgroundSend;
  existing: string[];
  /** The OAuth connection whose token this name is, if any: saving it overwrites what the sign-in gave. */
  ownerOf?(name: string): string | undefined;
  onSaved(summary: CredentialSummary, replaced: boolean): void;
}) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string>();
  const nameRef = useRef<HTMLInputElement>(null);
  const valueRef = useRef<HTMLInputElement>(null);
  const nameProblem = name !== '' || tried ? credentialNameProblem(name) : undefined;
  const valueProblem = tried ? credentialValueProblem(value) : undefined;
  const exists = existing.includes(name);
  const owner = ownerOf(name);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setFailure(undefined);
    const problem = credentialNameProblem(name) ?? credentialValueProblem(value);
    if (problem) {
      (credentialNameProblem(name) ? nameRef : valueRef).current?.focus();
      return;
    }
    setSaving(true);
    try {
      const summary = await send('credentials.set', { name, value });
      setName('');
      setValue('');
      setTried(false);
      onSaved(summary, exists);
      nameRef.current?.focus();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="mt-4 border-t border-zinc-100 pt-4 dark:border-zinc-800" aria-label="Add a credential" data-testid="credential-form">
      <h3 className="mb-2 text-[13px] font-semibold">Add a credential</h3>
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
        <TextField
          ref={nameRef}
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="apiToken"
          error={nameProblem}
          hint={!nameProblem ? (owner ? `Managed by OAuth connection ${owner}: saving overwrites the token its sign-in gave. Reconnect ${owner} instead.` : exists ? `${name} exists: saving replaces its value.` : 'Letters, digits, “_”, “.” and “-”.') : undefined}
          data-testid="credential-name"
        />
        <TextField
          ref={valueRef}
          label="Value"
          type="password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoComplete="new-password"
          spellCheck={false}
          error={valueProblem}
          hint={!valueProblem ? 'Never shown again after saving.' : undefined}
          data-testid="credential-value"
        />
        <Button type="submit" busy={saving} busyLabel="Saving…" className="sm:mt-[1.375rem]" data-testid="credential-save">
          {exists ? 'Replace' : 'Save'}
        </Button>
      </div>
      {failure && (
        <Callout tone="danger" title="Not saved" className="mt-3" data-testid="credential-form-error">
          {failure}
        </Callout>
      )}
    </form>
  );
}

function ReplaceForm({ name, send, onSaved, onCancel }: { name: string; send: BackgroundSend; onSaved(summary: CredentialSummary): void; onCancel(): void }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const empty = credentialValueProblem(value);
    if (empty) return setProblem(empty);
    setSaving(true);
    try {
      onSaved(await send('credentials.set', { name, value }));
    } catch (error) {
      setProblem(errorMessage(error));
      setSaving(false);
    }
  };
  return (
    <form
      onSubmit={(e) => void submit(e)}
      noValidate
      className="flex flex-wrap items-start justify-end gap-2 text-left"
      aria-label={`Replace ${name}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <TextField
        label={`New value for ${name}`}
        type="password"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoComplete="new-password"
        autoFocus
        error={problem}
        className="w-48"
        data-testid="credential-replace-value"
      />
      <Button type="submit" busy={saving} busyLabel="Saving…" className="mt-[1.375rem]" data-testid="credential-replace-save">
        Save
      </Button>
      <Button variant="secondary" onClick={onCancel} className="mt-[1.375rem]">
        Cancel
      </Button>
    </form>
  );
}
