// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeSend } from '../../test-support/fake-send';
import { fakeVault } from '../../test-support/fake-vault';
import { VaultLockCard } from './VaultLockCard';

afterEach(cleanup);

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(input(id), { target: { value } });
const stateBadge = async () => (await screen.findByTestId('vault-state')).dataset.state;

describe('Options → Lock', () => {
  it('without a passphrase: says what a passphrase adds, checks the two fields and the strength, surfaces the background’s length rule', async () => {
    const vault = fakeVault();
    const { send, callsOf } = fakeSend(vault.handlers);
    render(<VaultLockCard send={send} />);
    expect(await stateBadge()).toBe('no-passphrase');
    expect(screen.getByTestId('vault-state').textContent).toBe('No passphrase');
    expect(screen.queryByTestId('vault-autolock')).toBeNull();
    expect(input('vault-new').type).toBe('password');

    type('vault-new', 'short');
    expect(screen.getByTestId('passphrase-strength').textContent).toContain('At least 8 characters (3 more)');
    type('vault-confirm', 'shorx');
    expect(screen.getByTestId('vault-confirm-error').textContent).toBe('The two passphrases differ.');
    fireEvent.click(screen.getByTestId('vault-set-submit'));
    expect(callsOf('vault.setPassphrase')).toEqual([]);

    type('vault-confirm', 'short');
    fireEvent.click(screen.getByTestId('vault-set-submit'));
    expect((await screen.findByTestId('vault-form-error')).textContent).toContain('A passphrase needs at least 8 characters');

    type('vault-new', 'password');
    expect(screen.getByTestId('passphrase-strength').dataset.level).toBe('1');
    type('vault-new', 'Correct horse Battery staple 42');
    expect(screen.getByTestId('passphrase-strength').dataset.level).toBe('3');
    type('vault-confirm', 'Correct horse Battery staple 42');
    fireEvent.click(screen.getByTestId('vault-set-submit'));
    await waitFor(() => expect(screen.getByTestId('vault-state').dataset.state).toBe('unlocked'));
    expect(screen.getByTestId('vault-notice').textContent).toContain('Passphrase set.');
    expect(callsOf('vault.setPassphrase').at(-1)).toEqual({ passphrase: 'Correct horse Battery staple 42' });
  });

  it('unlocked: Lock now, auto-lock minutes, and changing the passphrase with the current one', async () => {
    const vault = fakeVault({ state: 'unlocked', passphrase: 'old passphrase' });
    const { send, callsOf } = fakeSend(vault.handlers);
    render(<VaultLockCard send={send} />);
    expect(await stateBadge()).toBe('unlocked');
    expect(screen.getByTestId('vault-unlocked-note').textContent).toBe('Unlocked until you lock it or close the browser.');

    const select = screen.getByTestId('vault-autolock') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['0', '5', '15', '60', '240', '1440']);
    fireEvent.change(select, { target: { value: '15' } });
    await waitFor(() => expect(screen.getByTestId('vault-notice').textContent).toBe('Ferry locks itself after 15 minutes without use.'));
    expect(callsOf('vault.setAutoLock')).toEqual([{ minutes: 15 }]);

    fireEvent.click(screen.getByTestId('vault-change'));
    type('vault-current', 'not it');
    type('vault-new', 'new passphrase here');
    type('vault-confirm', 'new passphrase here');
    fireEvent.click(screen.getByTestId('vault-change-submit'));
    expect((await screen.findByTestId('vault-form-error')).textContent).toContain("That is not Ferry's passphrase");
    type('vault-current', 'old passphrase');
    fireEvent.click(screen.getByTestId('vault-change-submit'));
    await waitFor(() => expect(screen.getByTestId('vault-notice').textContent).toContain('Passphrase changed.'));
    expect(callsOf('vault.setPassphrase').at(-1)).toEqual({ passphrase: 'new passphrase here', current: 'old passphrase' });

    fireEvent.click(screen.getByTestId('vault-lock-now'));
    await waitFor(() => expect(screen.getByTestId('vault-state').dataset.state).toBe('locked'));
    expect(screen.getByTestId('vault-unlock-passphrase')).toBeTruthy();
  });

  it('removes the passphrase with the current one', async () => {
    const { send, callsOf } = fakeSend(fakeVault({ state: 'unlocked', passphrase: 'old passphrase' }).handlers);
    render(<VaultLockCard send={send} />);
    fireEvent.click(await screen.findByTestId('vault-remove'));
    fireEvent.click(screen.getByTestId('vault-remove-submit'));
    expect(screen.getByTestId('vault-current-error').textContent).toBe('Enter the current passphrase.');
    type('vault-current', 'old passphrase');
    fireEvent.click(screen.getByTestId('vault-remove-submit'));
    await waitFor(() => expect(screen.getByTestId('vault-state').dataset.state).toBe('no-passphrase'));
    expect(callsOf('vault.removePassphrase')).toEqual([{ current: 'old passphrase' }]);
  });

  it('locked with a waiting run: says so, and a wrong passphrase is said in plain words; the right one unlocks', async () => {
    const vault = fakeVault({ state: 'locked', passphrase: 'right passphrase', waiting: true });
    const { send } = fakeSend(vault.handlers);
    render(<VaultLockCard send={send} />);
    expect(await stateBadge()).toBe('locked');
    expect(screen.getByTestId('vault-waiting').textContent).toContain('A run is waiting for you to unlock Ferry');

    type('vault-unlock-passphrase', 'wrong one');
    fireEvent.click(screen.getByTestId('vault-unlock-submit'));
    const error = await screen.findByTestId('vault-unlock-error');
    expect(error.textContent).toContain('That passphrase is not right');
    expect(error.textContent).toContain('Ferry stays locked.');
    expect(input('vault-unlock-passphrase').value).toBe('');

    type('vault-unlock-passphrase', 'right passphrase');
    fireEvent.click(screen.getByTestId('vault-unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('vault-state').dataset.state).toBe('unlocked'));
    expect(screen.getByTestId('vault-notice').textContent).toBe('Ferry is unlocked. Waiting runs continue.');
    expect(screen.queryByTestId('vault-waiting')).toBeNull();
  });

  it('throttled: shows the wait, holds Unlock back until it is over', async () => {
    const vault = fakeVault({ state: 'locked', passphrase: 'right passphrase', freeAttempts: 1 });
    const { send, callsOf } = fakeSend(vault.handlers);
    render(<VaultLockCard send={send} />);
    await stateBadge();
    type('vault-unlock-passphrase', 'wrong');
    fireEvent.click(screen.getByTestId('vault-unlock-submit'));
    await waitFor(() => expect(screen.getByTestId('vault-unlock-wait').textContent).toMatch(/^Try again in (30|29) s\.$/));
    expect((screen.getByTestId('vault-unlock-submit') as HTMLButtonElement).disabled).toBe(true);

    // A status read later (another page, a reload) carries the block too, as VAULT_UNLOCK_THROTTLED would.
    cleanup();
    render(<VaultLockCard send={send} />);
    await stateBadge();
    await waitFor(() => expect(screen.getByTestId('vault-unlock-error').textContent).toContain('Too many wrong passphrases'));
    expect((screen.getByTestId('vault-unlock-submit') as HTMLButtonElement).disabled).toBe(true);
    expect(callsOf('vault.unlock')).toHaveLength(1);
  });

  it('a throttled answer from the background is shown with its wait', async () => {
    const vault = fakeVault({ state: 'locked', passphrase: 'right passphrase' });
    const { pageError } = await import('../../test-support/fake-vault');
    const { send } = fakeSend({ ...vault.handlers, 'vault.unlock': () => Promise.reject(pageError('VAULT_UNLOCK_THROTTLED', 'Too many wrong passphrases. Try again in 120 s.', { retryAfterMs: 120_000, failedAttempts: 8 })) });
    render(<VaultLockCard send={send} />);
    await stateBadge();
    type('vault-unlock-passphrase', 'anything');
    await act(async () => {
      fireEvent.click(screen.getByTestId('vault-unlock-submit'));
    });
    const error = await screen.findByTestId('vault-unlock-error');
    expect(error.textContent).toContain('Too many wrong passphrases');
    expect(screen.getByTestId('vault-unlock-wait').textContent).toMatch(/^Try again in (2 min|1 min 59 s)\.$/);
  });
});
