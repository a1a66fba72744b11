import { useRef, useState, type FormEvent } from 'react';
import type { VaultStatus } from '../../storage/vault-lock';
import type { BackgroundSend } from '../background';
import { Button } from '../Button';
import { Callout } from '../Callout';
import { cx } from '../cx';
import { TextField } from '../TextField';
import { useNow } from './useNow';
import { describeUnlockError, formatWait, type UnlockProblem } from './vaultText';

export interface UnlockFormProps {
  send: BackgroundSend;
  /** The latest status: its `unlockBlockedUntil` holds the button back after repeated wrong tries. */
  status: VaultStatus;
  onUnlocked(status: VaultStatus): void;
  /** The popup's narrow layout: field and button on one line. */
  compact?: boolean;
  className?: string;
}

/**
 * The passphrase field and Unlock. A wrong passphrase and a throttled attempt are said in plain
 * words, with a countdown while the background refuses attempts; the field is emptied after each try.
 */
export function UnlockForm({ send, status, onUnlocked, compact = false, className }: UnlockFormProps) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<UnlockProblem>();
  const inputRef = useRef<HTMLInputElement>(null);
  const blockedUntil = Math.max(problem?.blockedUntil ?? 0, status.unlockBlockedUntil ?? 0);
  const [now, refreshNow] = useNow(blockedUntil > 0);
  const waitMs = blockedUntil - now;
  const blocked = waitMs > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (passphrase === '') {
      setProblem({ title: 'Enter Ferry’s passphrase' });
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const next = await send('vault.unlock', { passphrase });
      setPassphrase('');
      onUnlocked(next);
    } catch (error) {
      setPassphrase('');
      const at = Date.now();
      setProblem(describeUnlockError(error, at));
      refreshNow();
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Unlock Ferry" className={className} data-testid="vault-unlock-form">
      <div className={cx('flex items-start gap-2', !compact && 'max-w-md')}>
        <TextField
          ref={inputRef}
          label="Passphrase"
          type="password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          autoComplete="current-password"
          className="flex-1"
          data-testid="vault-unlock-passphrase"
        />
        <Button type="submit" busy={busy} busyLabel="Unlocking…" disabled={blocked} className="mt-[1.375rem]" data-testid="vault-unlock-submit">
          Unlock
        </Button>
      </div>
      {(problem || blocked) && (
        <Callout tone={problem && !problem.blockedUntil && !blocked ? 'danger' : 'warning'} title={problem?.title ?? 'Too many wrong passphrases'} className="mt-2" data-testid="vault-unlock-error">
          {problem?.detail && <span>{problem.detail} </span>}
          {blocked && <span data-testid="vault-unlock-wait">Try again in {formatWait(waitMs)}.</span>}
        </Callout>
      )}
    </form>
  );
}
