import { useCallback, useEffect, useState } from 'react';
import type { ApiKeySummary } from '../../../auth/api-keys/api-keys';
import { errorMessage, type BackgroundSend } from '../../background';
import { Badge, type BadgeTone } from '../../Badge';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { Skeleton } from '../../Skeleton';
import { fieldClass } from '../../fieldClass';

const STATE: Record<ApiKeySummary['state'], { label: string; tone: BadgeTone }> = {
  ok: { label: 'Current', tone: 'green' },
  dueSoon: { label: 'Rotate soon', tone: 'amber' },
  overdue: { label: 'Rotation overdue', tone: 'red' },
  notScheduled: { label: 'No rotation', tone: 'neutral' },
};

const SEED_CONFIG = `{
  "apiKeyConfig": {
    "storage": "encrypted",
    "rotation": { "enabled": true, "interval": "30d", "notifyBefore": "7d" },
    "validation": { "testEndpoint": "/api/v1/validate", "expectedResponse": { "status": "valid" } }
  }
}`;

const input = fieldClass;
const day = (ms: number | undefined) => (ms === undefined ? '—' : new Date(ms).toLocaleDateString(undefined, { dateStyle: 'medium' }));

/**
 * API keys with the seed's `apiKeyConfig`: each key's rotation due date and its last validation
 * against the API's test endpoint; add one (validated before it is kept), validate now, rotate (the
 * new key replaces the old only once it validates), delete. Values are never shown.
 */
export function ApiKeysCard({ send }: { send: BackgroundSend }) {
  const [keys, setKeys] = useState<ApiKeySummary[]>();
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [rotating, setRotating] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    send('apiKeys.list', undefined).then(setKeys, (e: unknown) => setProblem(errorMessage(e)));
  }, [send, generation]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setProblem(undefined);
    setNotice(undefined);
    try {
      await work();
      setNotice(done);
      reload();
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };

  return (
    <Card
      title="API keys"
      description="Keys with a rotation schedule and a validation endpoint (the seed's apiKeyConfig). Pipelines read them as {{credentials.name}}; reminders come as a notification and a KEY badge."
      aside={!adding ? <Button variant="secondary" className="shrink-0 whitespace-nowrap" data-testid="api-key-add" onClick={() => setAdding(true)}>Add API key</Button> : undefined}
      data-testid="api-keys"
    >
      {problem && <Callout tone="danger" title="Not done" className="mb-3" data-testid="api-key-problem">{problem}</Callout>}
      {notice && <Callout title={notice} className="mb-3" data-testid="api-key-notice" />}
      {adding && <AddApiKeyForm send={send} onDone={(name) => { setAdding(false); if (name) void act(async () => undefined, `Saved and validated ${name}.`); }} />}
      {keys === undefined ? (
        <Skeleton className="h-12 w-full" />
      ) : keys.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No API keys with a rotation schedule yet.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {keys.map((k) => (
            <li key={k.name} className="space-y-1.5 py-2.5" data-testid="api-key-row" data-name={k.name}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-sm font-medium">{k.name}</span>
                <Badge tone={STATE[k.state].tone}>{STATE[k.state].label}</Badge>
                {k.lastValidation && (
                  <Badge tone={k.lastValidation.ok ? 'green' : 'red'} title={k.lastValidation.detail}>
                    {k.lastValidation.ok ? 'Valid' : 'Refused'} · {day(k.lastValidation.at)}
                  </Badge>
                )}
                <span className="ml-auto flex gap-1">
                  <Button variant="ghost" onClick={() => void act(() => send('apiKeys.validate', { name: k.name }), `Validated ${k.name}.`)}>Validate</Button>
                  <Button variant="ghost" onClick={() => setRotating(k.name)}>Rotate</Button>
                  <Button variant="ghost" onClick={() => void act(() => send('apiKeys.delete', { name: k.name }), `Deleted ${k.name}.`)}>Delete</Button>
                </span>
              </div>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">
                <span className="font-mono">{k.baseUrl}</span> · rotated {day(k.rotatedAt)} · due {day(k.dueAt)}
              </p>
              {rotating === k.name && (
                <RotateForm
                  name={k.name}
                  onCancel={() => setRotating(undefined)}
                  onRotate={(newValue) => act(() => send('apiKeys.rotate', { name: k.name, newValue }), `Rotated ${k.name}: the new key validated and replaced the old one.`).then(() => setRotating(undefined))}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function RotateForm({ name, onRotate, onCancel }: { name: string; onRotate(value: string): Promise<void>; onCancel(): void }) {
  const [value, setValue] = useState('');
  return (
    <form className="flex flex-wrap items-end gap-2" onSubmit={(e) => { e.preventDefault(); void onRotate(value).then(() => setValue('')); }}>
      <label className="min-w-0 flex-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
        New key for {name} (kept only if it validates)
        <input type="password" autoComplete="off" className={`${input} mt-1`} value={value} onChange={(e) => setValue(e.target.value)} data-testid="api-key-rotate-value" />
      </label>
      <Button type="submit" disabled={value === ''} data-testid="api-key-rotate">Rotate</Button>
      <Button variant="ghost" onClick={onCancel}>Cancel</Button>
    </form>
  );
}

function AddApiKeyForm({ send, onDone }: { send: BackgroundSend; onDone(name?: string): void }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [baseUrl, setBaseUrl] = useState('https://');
  const [auth, setAuth] = useState('Authorization: Bearer');
  const [config, setConfig] = useState(SEED_CONFIG);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const save = async (force: boolean) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await send('apiKeys.save', { name, value, baseUrl, auth, apiKeyConfig: config, ...(force ? { force } : {}) });
      setValue('');
      onDone(name);
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const field = 'block text-xs font-medium text-zinc-700 dark:text-zinc-300';
  return (
    <form className="mb-4 grid gap-3 rounded-lg border border-zinc-200 p-3 sm:grid-cols-2 dark:border-zinc-800" data-testid="api-key-form" onSubmit={(e) => { e.preventDefault(); void save(false); }}>
      <label className={field}>Name (read as {'{{credentials.'}{name || 'name'}{'}}'}){<input className={`${input} mt-1 font-mono`} value={name} onChange={(e) => setName(e.target.value)} data-testid="api-key-name" />}</label>
      <label className={field}>Key{<input type="password" autoComplete="off" className={`${input} mt-1`} value={value} onChange={(e) => setValue(e.target.value)} data-testid="api-key-value" />}</label>
      <label className={field}>API base address{<input className={`${input} mt-1 font-mono`} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} data-testid="api-key-base" />}</label>
      <label className={field}>
        Sent as
        <select className={`${input} mt-1`} value={auth} onChange={(e) => setAuth(e.target.value)} data-testid="api-key-auth">
          <option>Authorization: Bearer</option>
          <option>X-API-Key</option>
          <option value="query:api_key">?api_key= in the address</option>
        </select>
      </label>
      <label className={`${field} sm:col-span-2`}>
        apiKeyConfig (as the seed writes it)
        <textarea rows={7} spellCheck={false} className={`${input} mt-1 font-mono text-xs`} value={config} onChange={(e) => setConfig(e.target.value)} data-testid="api-key-config" />
      </label>
      {problem && (
        <div className="sm:col-span-2">
          <Callout tone="danger" title="Not saved" data-testid="api-key-form-problem">
            {problem}
            {/API_KEY_INVALID|did not validate|validation/i.test(problem) && (
              <Button variant="ghost" onClick={() => void save(true)}>Keep it anyway</Button>
            )}
          </Callout>
        </div>
      )}
      <div className="flex justify-end gap-2 sm:col-span-2">
        <Button variant="ghost" onClick={() => onDone()}>Cancel</Button>
        <Button type="submit" busy={busy} busyLabel="Validating…" disabled={!name || !value} data-testid="api-key-save">Validate and save</Button>
      </div>
    </form>
  );
}
