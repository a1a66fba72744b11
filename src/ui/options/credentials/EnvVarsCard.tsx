import { useRef, useState, type FormEvent } from 'react';
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
import { useLoader } from '../../useLoader';
import { ListState } from '../runs/ListState';
import { envNameProblem, envValueProblem } from './validation';
import { TableHead } from '../../TableHead';

/** `{{env.NAME}}` values: plain text, shown here and copied into the runs that read them. */
export function EnvVarsCard({ send }: { send: BackgroundSend }) {
  const vars = useLoader('env', () => send('env.list', undefined));
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState<string>();
  const [notice, setNotice] = useState<{ tone: 'info' | 'danger'; text: string }>();
  const nameRef = useRef<HTMLInputElement>(null);
  const list = vars.value ?? [];
  const exists = list.some((v) => v.name === name);
  const nameProblem = name !== '' || tried ? envNameProblem(name) : undefined;
  const valueProblem = envValueProblem(value);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setNotice(undefined);
    if (envNameProblem(name) || valueProblem) {
      nameRef.current?.focus();
      return;
    }
    setSaving(true);
    try {
      const row = await send('env.set', { name, value });
      setNotice({ tone: 'info', text: `${exists ? 'Updated' : 'Saved'} ${row.name}. Runs started from now on read the new value.` });
      setName('');
      setValue('');
      setTried(false);
      await vars.reload();
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    } finally {
      setSaving(false);
    }
  };
  const remove = async (varName: string) => {
    setDeleting(varName);
    setNotice(undefined);
    try {
      await send('env.delete', { name: varName });
      setNotice({ tone: 'info', text: `Deleted ${varName}.` });
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    } finally {
      setDeleting(undefined);
      await vars.reload();
    }
  };

  return (
    <Card
      title="Environment variables"
      description={
        <>
          Plain values such as an API’s base address, read as <code>{'{{env.NAME}}'}</code>.{' '}
          <strong className="font-medium text-zinc-800 dark:text-zinc-200">Not secret:</strong> values are shown here and copied into each run that reads them. Put tokens and passwords in Credentials above.
        </>
      }
      data-testid="env-vars"
    >
      {notice && <Callout tone={notice.tone} title={notice.text} className="mb-3" data-testid="env-notice" />}
      <ListState loaded={vars} empty="No environment variables yet." testId="env">
        <div className="-mx-4 overflow-x-auto px-4">
          <table className={tableClass} data-testid="env-table">
            <TableHead columns={['Name', 'Value', 'Updated', { label: 'Actions', right: true, srOnly: true }]} />
            <tbody>
              {list.map((v) => (
                <tr key={v.name} data-testid="env-row" data-name={v.name}>
                  <td className={`${tdClass} font-mono text-xs font-medium`}>{v.name}</td>
                  <td className={`${tdClass} max-w-80 font-mono text-xs break-all`}>{v.value || <span className={`font-sans ${mutedClass}`}>(empty)</span>}</td>
                  <td className={`${tdClass} whitespace-nowrap tabular-nums ${mutedClass}`} title={formatFullTime(v.updatedAt)}>
                    {formatWhen(v.updatedAt)}
                  </td>
                  <td className={`${tdClass} text-right`}>
                    <div className="flex justify-end gap-2">
                      <Button
                        variant="secondary"
                        aria-label={`Edit ${v.name}`}
                        onClick={() => {
                          setName(v.name);
                          setValue(v.value);
                          nameRef.current?.focus();
                        }}
                      >
                        Edit
                      </Button>
                      <ConfirmButton label="Delete" ariaLabel={`Delete ${v.name}`} question={`Delete ${v.name}?`} confirmLabel="Delete" busy={deleting === v.name} onConfirm={() => void remove(v.name)} data-testid="env-delete" />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </ListState>
      <form onSubmit={(e) => void submit(e)} noValidate className="mt-4 border-t border-zinc-100 pt-4 dark:border-zinc-800" aria-label="Set an environment variable" data-testid="env-form">
        <h3 className="mb-2 text-[13px] font-semibold">Set a variable</h3>
        <div className="grid gap-3 sm:grid-cols-[1fr_1.4fr_auto] sm:items-start">
          <TextField
            ref={nameRef}
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder="API_BASE"
            error={nameProblem}
            hint={!nameProblem ? (exists ? `${name} exists: saving replaces its value.` : 'Upper-case letters, digits and “_”.') : undefined}
            data-testid="env-name"
          />
          <TextField label="Value" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" spellCheck={false} placeholder="https://api.example.com" error={valueProblem} data-testid="env-value" />
          <Button type="submit" busy={saving} busyLabel="Saving…" className="sm:mt-[1.375rem]" data-testid="env-save">
            {exists ? 'Update' : 'Save'}
          </Button>
        </div>
      </form>
    </Card>
  );
}
