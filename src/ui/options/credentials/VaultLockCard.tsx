import { useState } from 'react';
import type { VaultStatus } from '../../../storage/vault-lock';
import { errorMessage, type BackgroundSend } from '../../background';
import { Badge, type BadgeTone } from '../../Badge';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { labelClass, inputClass } from '../../TextField';
import { cx } from '../../cx';
import { formatFullTime } from '../../runs/runFormat';
import { useLoader } from '../../useLoader';
import { UnlockForm } from '../../vault/UnlockForm';
import { AUTO_LOCK_CHOICES, formatMinutes, lockStateLabel } from '../../vault/vaultText';
import { PassphraseForm } from './PassphraseForms';

const tones: Record<VaultStatus['state'], BadgeTone> = { 'no-passphrase': 'neutral', locked: 'amber', unlocked: 'green' };
const sectionClass = 'mt-4 border-t border-zinc-100 pt-4 dark:border-zinc-800';

/**
 * Options → Credentials → Lock: whether the vault has a passphrase and is locked, unlocking, locking
 * now, the auto-lock time, and setting, changing or removing the passphrase. Polls `vault.status`, so
 * a run that starts waiting for the unlock (or the auto-lock) shows without a reload.
 */
export function VaultLockCard({ send, onChange }: { send: BackgroundSend; onChange?(status: VaultStatus): void }) {
  const vault = useLoader('vault-status', () => send('vault.status', undefined), () => 3000);
  const [notice, setNotice] = useState<{ tone: 'info' | 'danger'; text: string }>();
  const [editing, setEditing] = useState<'change' | 'remove'>();
  const [locking, setLocking] = useState(false);
  const status = vault.value;

  const settled = async (text: string, next?: VaultStatus) => {
    setNotice({ tone: 'info', text });
    setEditing(undefined);
    await vault.reload();
    if (next) onChange?.(next);
  };
  const lockNow = async () => {
    setLocking(true);
    try {
      const next = await send('vault.lock', undefined);
      await settled('Ferry is locked. Runs that need a credential wait until you unlock it.', next);
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    } finally {
      setLocking(false);
    }
  };
  const passphraseDone = (next: VaultStatus, mode: 'set' | 'change' | 'remove') => {
    const words = {
      set: 'Passphrase set. Every credential was encrypted again under a key only your passphrase opens; Ferry is unlocked for now.',
      change: 'Passphrase changed. The credentials stay as they were; only the key’s wrapping changed.',
      remove: 'Passphrase removed. Ferry no longer locks; the credentials are kept with this browser profile’s key.',
    }[mode];
    void settled(words, next);
  };

  return (
    <Card
      title="Lock"
      description="An optional passphrase for the vault. While Ferry is locked, runs that need a secret wait until you unlock it."
      aside={status && <Badge tone={tones[status.state]} dot data-testid="vault-state" data-state={status.state}>{lockStateLabel(status.state)}</Badge>}
      data-testid="vault-lock"
    >
      {vault.loading && <p className="text-[13px] text-zinc-500" role="status">Checking the lock…</p>}
      {!status && vault.error && (
        <Callout tone="danger" title="Could not read the lock’s state" data-testid="vault-error">
          {vault.error}
        </Callout>
      )}
      {notice && <Callout tone={notice.tone} title={notice.text} className="mb-3" data-testid="vault-notice" />}
      {status?.state === 'locked' && status.waiting && (
        <Callout tone="warning" title="A run is waiting for you to unlock Ferry" className="mb-3" data-testid="vault-waiting">
          It needs a saved credential. Enter the passphrase below and it continues at once.
        </Callout>
      )}
      {status?.state === 'no-passphrase' && (
        <>
          <p className="mb-3 text-[13px] text-zinc-600 dark:text-zinc-400">
            Credentials are encrypted with a key this browser profile keeps, so anyone using this profile can send with them. A passphrase locks them until it is entered.
          </p>
          <PassphraseForm mode="set" send={send} onDone={passphraseDone} />
        </>
      )}
      {status?.state === 'locked' && (
        <>
          {!status.waiting && <p className="mb-2 text-[13px] text-zinc-600 dark:text-zinc-400">Ferry is locked: saved credentials cannot be used until you unlock it.</p>}
          <UnlockForm send={send} status={status} onUnlocked={(next) => void settled('Ferry is unlocked. Waiting runs continue.', next)} />
        </>
      )}
      {status?.state === 'unlocked' && (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-[13px] text-zinc-600 dark:text-zinc-400" data-testid="vault-unlocked-note">
            {status.autoLockMinutes > 0 && status.autoLockAt
              ? <>Unlocked. Ferry locks itself after {formatMinutes(status.autoLockMinutes)} without use (<span title={formatFullTime(status.autoLockAt)}>around {new Date(status.autoLockAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}</span> unless it is used).</>
              : 'Unlocked until you lock it or close the browser.'}
          </p>
          <Button variant="secondary" busy={locking} busyLabel="Locking…" onClick={() => void lockNow()} data-testid="vault-lock-now">
            Lock now
          </Button>
        </div>
      )}
      {status && status.state !== 'no-passphrase' && (
        <>
          <AutoLockField send={send} status={status} onSaved={(next) => void settled(next.autoLockMinutes === 0 ? 'Auto-lock is off: Ferry stays unlocked until you lock it or close the browser.' : `Ferry locks itself after ${formatMinutes(next.autoLockMinutes)} without use.`, next)} />
          <div className={sectionClass}>
            <h3 className="mb-2 text-[13px] font-semibold">Passphrase</h3>
            {editing ? (
              <PassphraseForm key={editing} mode={editing} send={send} onDone={passphraseDone} onCancel={() => setEditing(undefined)} />
            ) : (
              <div className="flex flex-wrap gap-2">
                <Button variant="secondary" onClick={() => setEditing('change')} data-testid="vault-change">
                  Change passphrase
                </Button>
                <Button variant="secondary" onClick={() => setEditing('remove')} data-testid="vault-remove">
                  Remove passphrase
                </Button>
              </div>
            )}
          </div>
        </>
      )}
    </Card>
  );
}

function AutoLockField({ send, status, onSaved }: { send: BackgroundSend; status: VaultStatus; onSaved(status: VaultStatus): void }) {
  const [saving, setSaving] = useState<number>();
  const [failure, setFailure] = useState<string>();
  const value = saving ?? status.autoLockMinutes;
  const known = AUTO_LOCK_CHOICES.some((c) => c.minutes === value);
  const change = async (minutes: number) => {
    setSaving(minutes);
    setFailure(undefined);
    try {
      onSaved(await send('vault.setAutoLock', { minutes }));
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setSaving(undefined);
    }
  };
  return (
    <div className={sectionClass}>
      <label htmlFor="vault-autolock" className={labelClass}>
        Auto-lock
      </label>
      <select
        id="vault-autolock"
        value={value}
        disabled={saving !== undefined}
        onChange={(e) => void change(Number(e.target.value))}
        className={cx(inputClass, 'mt-1 max-w-xs')}
        aria-describedby="vault-autolock-hint"
        data-testid="vault-autolock"
      >
        {!known && <option value={value}>After {formatMinutes(value)}</option>}
        {AUTO_LOCK_CHOICES.map((c) => (
          <option key={c.minutes} value={c.minutes}>
            {c.label}
          </option>
        ))}
      </select>
      <p id="vault-autolock-hint" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
        Time without use: every request that reads a credential counts, so a long run keeps Ferry unlocked while it sends.
      </p>
      {failure && (
        <Callout tone="danger" title="Auto-lock not changed" className="mt-2" data-testid="vault-autolock-error">
          {failure}
        </Callout>
      )}
    </div>
  );
}
