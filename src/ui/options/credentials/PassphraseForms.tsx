import { useState, type FormEvent } from 'react';
import type { VaultStatus } from '../../../storage/vault-lock';
import { errorMessage, type BackgroundSend } from '../../background';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { TextField } from '../../TextField';
import { StrengthMeter } from '../../vault/StrengthMeter';

type Mode = 'set' | 'change' | 'remove';

export interface PassphraseFormProps {
  mode: Mode;
  send: BackgroundSend;
  onDone(status: VaultStatus, mode: Mode): void;
  onCancel?(): void;
}

const submitLabels: Record<Mode, [string, string]> = {
  set: ['Set passphrase', 'Encrypting…'],
  change: ['Change passphrase', 'Changing…'],
  remove: ['Remove passphrase', 'Removing…'],
};

/**
 * Setting a first passphrase (new twice), changing it (current, new twice) or removing it (current).
 * The page checks only that the two new ones match; length and the current passphrase are the
 * background's to judge, and its words are shown as they come.
 */
export function PassphraseForm({ mode, send, onDone, onCancel }: PassphraseFormProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const needsNew = mode !== 'remove';
  const needsCurrent = mode !== 'set';
  const mismatch = needsNew && (tried || confirm.length >= next.length) && confirm !== '' && confirm !== next ? 'The two passphrases differ.' : undefined;
  const currentMissing = tried && needsCurrent && current === '' ? 'Enter the current passphrase.' : undefined;
  const newMissing = tried && needsNew && next === '' ? 'Enter a new passphrase.' : undefined;
  const confirmMissing = tried && needsNew && next !== '' && confirm === '' ? 'Enter it again to be sure of it.' : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setFailure(undefined);
    if ((needsCurrent && current === '') || (needsNew && (next === '' || confirm !== next))) return;
    setBusy(true);
    try {
      const status =
        mode === 'remove' ? await send('vault.removePassphrase', { current }) : await send('vault.setPassphrase', mode === 'change' ? { passphrase: next, current } : { passphrase: next });
      setCurrent('');
      setNext('');
      setConfirm('');
      setTried(false);
      onDone(status, mode);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const [label, busyLabel] = submitLabels[mode];
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={label} className="space-y-3" data-testid={`vault-${mode}-form`}>
      <div className="grid gap-3 sm:grid-cols-2">
        {needsCurrent && (
          <TextField
            label="Current passphrase"
            type="password"
            value={current}
            onChange={(e) => {
              setCurrent(e.target.value);
              setFailure(undefined);
            }}
            autoComplete="current-password"
            error={currentMissing}
            className={mode === 'change' ? 'sm:col-span-2 sm:max-w-[calc(50%-0.375rem)]' : undefined}
            data-testid="vault-current"
          />
        )}
        {needsNew && (
          <>
            <div>
              <TextField
                label={mode === 'change' ? 'New passphrase' : 'Passphrase'}
                type="password"
                value={next}
                onChange={(e) => {
                  setNext(e.target.value);
                  setFailure(undefined);
                }}
                autoComplete="new-password"
                error={newMissing}
                data-testid="vault-new"
              />
              <StrengthMeter passphrase={next} />
            </div>
            <TextField
              label="Again"
              type="password"
              value={confirm}
              onChange={(e) => {
                setConfirm(e.target.value);
                setFailure(undefined);
              }}
              autoComplete="new-password"
              error={mismatch ?? confirmMissing}
              data-testid="vault-confirm"
            />
          </>
        )}
      </div>
      {mode === 'set' && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">Ferry cannot recover a forgotten passphrase: without it, the saved credentials have to be entered again.</p>
      )}
      {failure && (
        <Callout tone="danger" title={mode === 'remove' ? 'The passphrase was not removed' : 'The passphrase was not saved'} data-testid="vault-form-error">
          {failure}
        </Callout>
      )}
      <div className="flex gap-2">
        <Button type="submit" variant={mode === 'remove' ? 'danger' : 'primary'} busy={busy} busyLabel={busyLabel} data-testid={`vault-${mode}-submit`}>
          {label}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
