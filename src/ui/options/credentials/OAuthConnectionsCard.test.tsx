// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import type { OAuthConnectResult } from '../../../auth/oauth-connections';
import { fakeSend } from '../../test-support/fake-send';
import { connection, fakeVault, pageError } from '../../test-support/fake-vault';
import { CredentialsSection } from './CredentialsSection';
import { OAuthConnectionsCard } from './OAuthConnectionsCard';

z.config({ jitless: true });
afterEach(cleanup);

const SEED_BLOCK = `// OAuth authentication flow
{
  "oauthConfig": {
    "authUrl": "https://auth.service.com/oauth/authorize",
    "tokenUrl": "https://auth.service.com/oauth/token",
    "clientId": "{{credentials.clientId}}",
    "scopes": ["read", "write"],
    "redirectUri": "https://localhost:3000/callback"
  }
}`;

const field = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(field(id), { target: { value } });

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Options → OAuth connections', () => {
  it('checks the name and the pasted block in the page, with JSON paths, before opening any sign-in', async () => {
    const { send, callsOf } = fakeSend(fakeVault().handlers);
    render(<OAuthConnectionsCard send={send} />);
    expect((await screen.findByTestId('oauth-empty')).textContent).toContain('No connections yet.');

    fireEvent.click(screen.getByTestId('oauth-connect-submit'));
    expect(screen.getByTestId('oauth-name-error').textContent).toContain('Enter a name, for example github.');
    type('oauth-name', 'git hub');
    expect(screen.getByTestId('oauth-name-error').textContent).toContain('is not a valid connection name');
    type('oauth-name', 'svc');
    fireEvent.click(screen.getByTestId('oauth-connect-submit'));
    expect(screen.getByTestId('oauth-config-error').textContent).toContain('Paste the oauthConfig block');

    type('oauth-config', SEED_BLOCK.replace('https://auth.service.com/oauth/token', 'http://auth.service.com/token').replace('"scopes": ["read", "write"]', '"scopes": "read"'));
    const error = screen.getByTestId('oauth-config-error');
    expect(error.textContent).toContain('The OAuth configuration needs fixing');
    const issues = within(error).getAllByRole('listitem').map((li) => li.textContent);
    expect(issues.some((i) => i?.startsWith('oauthConfig.tokenUrl:'))).toBe(true);
    expect(issues.some((i) => i?.startsWith('oauthConfig.scopes:'))).toBe(true);

    type('oauth-config', '{ "oauthConfig": { "authUrl": ');
    expect(screen.getByTestId('oauth-config-error').textContent).toBeTruthy();
    fireEvent.click(screen.getByTestId('oauth-connect-submit'));
    expect(callsOf('oauth.connect')).toEqual([]);

    type('oauth-config', SEED_BLOCK);
    expect(screen.queryByTestId('oauth-config-error')).toBeNull();
  });

  it('connects with the seed’s block as written: busy until the sign-in answers, then connected with its notices', async () => {
    const vault = fakeVault();
    const answer = deferred<OAuthConnectResult>();
    const { send, callsOf } = fakeSend({ ...vault.handlers, 'oauth.connect': () => answer.promise });
    render(<OAuthConnectionsCard send={send} />);
    await screen.findByTestId('oauth-empty');
    type('oauth-name', 'svc');
    type('oauth-config', SEED_BLOCK);
    fireEvent.click(screen.getByTestId('oauth-connect-submit'));

    await screen.findByTestId('oauth-connecting');
    const button = screen.getByTestId('oauth-connect-submit') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toContain('Waiting for sign-in…');
    expect(callsOf('oauth.connect')).toEqual([{ name: 'svc', oauthConfig: SEED_BLOCK }]);

    const made = connection('svc');
    vault.connections.set('svc', made);
    answer.resolve({ ...made, notices: ['The configuration’s redirectUri (https://localhost:3000/callback) is not an address this browser can return to.'] });
    const notice = await screen.findByTestId('oauth-notice');
    expect(notice.textContent).toContain('Connected svc (read, write).');
    expect(notice.textContent).toContain('redirectUri (https://localhost:3000/callback)');
    const row = await screen.findByTestId('oauth-connection');
    expect(row.dataset.status).toBe('connected');
    expect(within(row).getByTestId('oauth-connection-status').textContent).toBe('Connected');
    expect(row.textContent).toContain('read');
    expect(row.textContent).toContain('Access token valid until');
    expect(screen.queryByTestId('oauth-connecting')).toBeNull();
  });

  it('a refused sign-in, and the background’s JSON-path errors, in plain words', async () => {
    const { send } = fakeSend({
      ...fakeVault().handlers,
      'oauth.connect': ({ name }) =>
        Promise.reject(
          name === 'svc'
            ? pageError('OAUTH_DENIED', 'Access to "svc" was denied at the authorization server.')
            : pageError('OAUTH_CONFIG_INVALID', 'The OAuth configuration has a problem:\n- oauthConfig.clientSecret: expected a credential reference', { issues: [{ path: 'oauthConfig.clientSecret', message: 'oauthConfig.clientSecret: expected a credential reference' }] }),
        ),
    });
    render(<OAuthConnectionsCard send={send} />);
    await screen.findByTestId('oauth-empty');
    type('oauth-name', 'svc');
    type('oauth-config', SEED_BLOCK);
    fireEvent.click(screen.getByTestId('oauth-connect-submit'));
    const denied = await screen.findByTestId('oauth-connect-error');
    expect(denied.textContent).toContain('Access was denied in the sign-in window');
    expect(denied.textContent).toContain('was denied at the authorization server.');
    expect(field('oauth-name').value).toBe('svc'); // kept to try again

    type('oauth-name', 'other');
    fireEvent.click(screen.getByTestId('oauth-connect-submit'));
    await waitFor(() => expect(screen.getByTestId('oauth-connect-error').textContent).toContain('The OAuth configuration needs fixing'));
    expect(within(screen.getByTestId('oauth-connect-error')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['oauthConfig.clientSecret: expected a credential reference']);
  });

  it('needs reconnect: says why, Reconnect signs in with the stored configuration, Refresh now is gone', async () => {
    const vault = fakeVault({
      connections: [
        connection('svc', { status: 'needsReconnect', lastError: { code: 'OAUTH_TOKEN_ERROR', message: 'the server refused the refresh token (invalid_grant)' } }),
        connection('old', { status: 'needsReconnect', hasRefreshToken: false, expiresAt: Date.now() - 60_000, lastError: { code: 'OAUTH_TOKEN_EXPIRED', message: 'its access token expired and the server gave no refresh token' } }),
      ],
    });
    const { send, callsOf } = fakeSend({ ...vault.handlers, 'oauth.connect': ({ name }) => ({ ...connection(name), notices: [] }) });
    render(<OAuthConnectionsCard send={send} />);
    const rows = await screen.findAllByTestId('oauth-connection');
    expect(rows.map((r) => within(r).getByTestId('oauth-connection-status').textContent)).toEqual(['Needs reconnect', 'Expired']);
    expect(within(rows[0]!).getByTestId('oauth-needs-reconnect').textContent).toContain('the server refused the refresh token (invalid_grant)');
    expect(within(rows[0]!).queryByTestId('oauth-refresh')).toBeNull();

    vault.connections.set('svc', connection('svc'));
    fireEvent.click(within(rows[0]!).getByTestId('oauth-reconnect'));
    await waitFor(() => expect(screen.getByTestId('oauth-notice').textContent).toContain('Connected svc'));
    expect(callsOf('oauth.connect')).toEqual([{ name: 'svc' }]);
    await waitFor(() => expect(screen.getAllByTestId('oauth-connection')[0]!.dataset.status).toBe('connected'));
  });

  it('Refresh now, a refused refresh turning into "needs reconnect", and Disconnect after asking', async () => {
    const vault = fakeVault({ connections: [connection('svc')] });
    const { send, callsOf } = fakeSend(vault.handlers);
    render(<OAuthConnectionsCard send={send} />);
    fireEvent.click(await screen.findByTestId('oauth-refresh'));
    await waitFor(() => expect(screen.getByTestId('oauth-notice').textContent).toBe('Renewed svc’s access token.'));

    vault.connections.set('svc', connection('svc', { status: 'needsReconnect', lastError: { code: 'OAUTH_TOKEN_ERROR', message: 'invalid_grant' } }));
    fireEvent.click(screen.getByTestId('oauth-refresh'));
    await waitFor(() => expect(screen.getByTestId('oauth-error').textContent).toContain('This connection needs a new sign-in'));
    await waitFor(() => expect(screen.getByTestId('oauth-connection').dataset.status).toBe('needsReconnect'));

    fireEvent.click(screen.getByRole('button', { name: 'Disconnect svc' }));
    expect(callsOf('oauth.disconnect')).toEqual([]);
    fireEvent.click(screen.getByTestId('oauth-disconnect-confirm'));
    await waitFor(() => expect(screen.getByTestId('oauth-notice').textContent).toContain('Disconnected svc and revoked its tokens at the service.'));
    expect(callsOf('oauth.disconnect')).toEqual([{ name: 'svc' }]);
    expect(await screen.findByTestId('oauth-empty')).toBeTruthy();
  });

  it('labels an OAuth connection’s tokens in the credentials list, with replace and delete held back', async () => {
    const vault = fakeVault({ connections: [connection('svc')] });
    const { send } = fakeSend({
      ...vault.handlers,
      'credentials.list': () => [
        { name: 'clientId', last4: '', updatedAt: 0 },
        { name: 'svc.accessToken', last4: '', updatedAt: 0 },
        { name: 'svc.refreshToken', last4: '', updatedAt: 0 },
        { name: 'other.accessToken', last4: 'WXYZ', updatedAt: 0 },
      ],
      'env.list': () => [],
    });
    render(<CredentialsSection send={send} />);
    await waitFor(() => expect(screen.getAllByTestId('credential-managed')).toHaveLength(2));
    const rows = screen.getAllByTestId('credential-row');
    const managed = rows.filter((r) => r.dataset.managedBy === 'svc').map((r) => r.dataset.name);
    expect(managed).toEqual(['svc.accessToken', 'svc.refreshToken']);
    const token = rows.find((r) => r.dataset.name === 'svc.accessToken')!;
    expect(within(token).getByTestId('credential-last4').textContent).toBe('managed by OAuth connection svc');
    expect((within(token).getByTestId('credential-replace') as HTMLButtonElement).disabled).toBe(true);
    expect((within(token).getByTestId('credential-delete') as HTMLButtonElement).disabled).toBe(true);
    const plain = rows.find((r) => r.dataset.name === 'other.accessToken')!;
    expect((within(plain).getByTestId('credential-replace') as HTMLButtonElement).disabled).toBe(false);

    type('credential-name', 'svc.accessToken');
    expect(screen.getByText(/Managed by OAuth connection svc: saving overwrites the token its sign-in gave/)).toBeTruthy();
  });
});
