// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeSend } from '../test-support/fake-send';
import { connection, fakeVault } from '../test-support/fake-vault';
import { OAuthReconnectCard } from './OAuthReconnectCard';
import { VaultLockedCard } from './VaultLockedCard';

afterEach(cleanup);

const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });

describe('Popup: Ferry is locked', () => {
  it('shows nothing without a passphrase or while unlocked', async () => {
    const none = fakeSend(fakeVault().handlers);
    const { container } = render(<VaultLockedCard send={none.send} />);
    await waitFor(() => expect(none.callsOf('vault.status')).toHaveLength(1));
    expect(container.innerHTML).toBe('');
    cleanup();
    const open = fakeSend(fakeVault({ state: 'unlocked' }).handlers);
    const again = render(<VaultLockedCard send={open.send} />);
    await waitFor(() => expect(open.callsOf('vault.status')).toHaveLength(1));
    expect(again.container.innerHTML).toBe('');
  });

  it('locked with a waiting run: unlocks from the popup, a wrong passphrase first', async () => {
    const vault = fakeVault({ state: 'locked', passphrase: 'right passphrase', waiting: true });
    const { send, callsOf } = fakeSend(vault.handlers);
    render(<VaultLockedCard send={send} />);
    const card = await screen.findByTestId('popup-locked');
    expect(card.dataset.waiting).toBe('true');
    expect(card.textContent).toContain('A run is waiting for a saved credential.');

    type('vault-unlock-passphrase', 'nope');
    fireEvent.click(screen.getByTestId('vault-unlock-submit'));
    expect((await screen.findByTestId('vault-unlock-error')).textContent).toContain('That passphrase is not right');

    type('vault-unlock-passphrase', 'right passphrase');
    fireEvent.click(screen.getByTestId('vault-unlock-submit'));
    expect((await screen.findByTestId('popup-unlocked')).textContent).toBe('Ferry is unlocked. Waiting runs continue.');
    expect(screen.queryByTestId('popup-locked')).toBeNull();
    expect(callsOf('vault.unlock')).toEqual([{ passphrase: 'nope' }, { passphrase: 'right passphrase' }]);
  });

  it('locked without a waiting run still offers the unlock', async () => {
    const { send } = fakeSend(fakeVault({ state: 'locked' }).handlers);
    render(<VaultLockedCard send={send} />);
    expect((await screen.findByTestId('popup-locked')).textContent).toContain('Saved credentials cannot be used until you unlock Ferry.');
  });
});

describe('Popup: Reconnect', () => {
  it('warns for each connection that needs a new sign-in and opens the options page at #/credentials', async () => {
    const vault = fakeVault({ connections: [connection('fine'), connection('svc', { status: 'needsReconnect', lastError: { code: 'OAUTH_TOKEN_ERROR', message: 'invalid_grant' } })] });
    const { send } = fakeSend(vault.handlers);
    const openOptions = vi.fn(async () => undefined);
    render(<OAuthReconnectCard send={send} openOptions={openOptions} />);
    const warnings = await screen.findAllByTestId('popup-reconnect');
    expect(warnings.map((w) => w.dataset.name)).toEqual(['svc']);
    expect(warnings[0]!.textContent).toContain('Reconnect svc');
    fireEvent.click(screen.getByTestId('popup-reconnect-open'));
    expect(openOptions).toHaveBeenCalledOnce();
  });

  it('shows nothing while every connection is fine', async () => {
    const { send, callsOf } = fakeSend(fakeVault({ connections: [connection('fine')] }).handlers);
    const { container } = render(<OAuthReconnectCard send={send} />);
    await waitFor(() => expect(callsOf('oauth.status')).toHaveLength(1));
    expect(container.innerHTML).toBe('');
  });
});
