// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialSummary } from '../../../messaging/contract';
import type { EnvVarRow } from '../../../storage/rows';
import { fakeSend, type Handlers } from '../../test-support/fake-send';
import { CredentialsSection } from './CredentialsSection';

afterEach(cleanup);

const never = () => new Promise<never>(() => undefined);

/** An in-memory vault that behaves like the background's: last 4 only, from 12 characters. */
function vault(initial: CredentialSummary[] = [], overrides: Handlers = {}): Handlers {
  let creds = [...initial];
  let vars: EnvVarRow[] = [{ name: 'DEMO_API', value: 'http://127.0.0.1:4100', createdAt: 0, updatedAt: 0 }];
  return {
    'credentials.list': () => creds,
    'credentials.set': ({ name, value }) => {
      const summary = { name, last4: value.length >= 12 ? value.slice(-4) : '', updatedAt: Date.now() };
      creds = [...creds.filter((c) => c.name !== name), summary];
      return summary;
    },
    'credentials.delete': ({ name }) => {
      const had = creds.some((c) => c.name === name);
      creds = creds.filter((c) => c.name !== name);
      return { deleted: had };
    },
    'vault.status': () => ({ state: 'no-passphrase', autoLockMinutes: 0, waiting: false, failedAttempts: 0 }),
    'oauth.status': () => [],
    'env.list': () => vars,
    'env.set': ({ name, value }) => {
      const row = { name, value, createdAt: 0, updatedAt: 0 };
      vars = [...vars.filter((v) => v.name !== name), row];
      return row;
    },
    'env.delete': ({ name }) => {
      vars = vars.filter((v) => v.name !== name);
      return { deleted: true };
    },
    ...overrides,
  };
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(input(id), { target: { value } });

describe('Credentials', () => {
  it('shows loading, then an empty list that says what to do', async () => {
    const { send } = fakeSend({ ...vault(), 'credentials.list': never });
    render(<CredentialsSection send={send} />);
    expect(screen.getByTestId('credentials-loading')).toBeTruthy();
    cleanup();
    render(<CredentialsSection send={fakeSend(vault()).send} />);
    expect((await screen.findByTestId('credentials-empty')).textContent).toBe('No credentials yet. Add one below.');
  });

  it('shows a failure to list in the background’s words', async () => {
    const { send } = fakeSend(vault([], { 'credentials.list': () => Promise.reject(new Error('The vault is locked. Unlock it in Ferry’s settings.')) }));
    render(<CredentialsSection send={send} />);
    expect((await screen.findByTestId('credentials-error')).textContent).toContain('The vault is locked. Unlock it in Ferry’s settings.');
  });

  it('names what is wrong with a credential before sending anything', async () => {
    const { send, callsOf } = fakeSend(vault());
    render(<CredentialsSection send={send} />);
    await screen.findByTestId('credentials-empty');

    fireEvent.click(screen.getByTestId('credential-save'));
    expect(screen.getByTestId('credential-name-error').textContent).toContain('Enter a name, for example apiToken.');
    expect(screen.getByTestId('credential-value-error').textContent).toBe('Enter the secret’s value.');
    expect(input('credential-name').getAttribute('aria-invalid')).toBe('true');
    expect(input('credential-name').getAttribute('aria-describedby')).toContain(screen.getByTestId('credential-name-error').id);
    expect(document.activeElement).toBe(input('credential-name'));

    type('credential-name', 'my token!');
    expect(screen.getByTestId('credential-name-error').textContent).toBe(
      '"my token!" is not a valid credential name: use 1 to 128 letters, digits, "_", "." or "-" (for example apiToken or github.token).',
    );
    type('credential-name', 'apiToken');
    expect(screen.queryByTestId('credential-name-error')).toBeNull();
    fireEvent.click(screen.getByTestId('credential-save'));
    expect(document.activeElement).toBe(input('credential-value'));
    expect(callsOf('credentials.set')).toEqual([]);
  });

  it('saves a secret, empties the field and shows only its last 4 characters', async () => {
    const secret = 'sk-live-abcdefgh12345678WXYZ';
    const { send, callsOf } = fakeSend(vault());
    render(<CredentialsSection send={send} />);
    await screen.findByTestId('credentials-empty');
    expect(input('credential-value').type).toBe('password');
    type('credential-name', 'apiToken');
    type('credential-value', secret);
    fireEvent.click(screen.getByTestId('credential-save'));
    await waitFor(() => expect(screen.getByTestId('credentials-notice').textContent).toContain('Saved apiToken (ends in WXYZ)'));
    expect(callsOf('credentials.set')).toEqual([{ name: 'apiToken', value: secret }]);
    expect(input('credential-value').value).toBe('');
    expect(input('credential-name').value).toBe('');
    await waitFor(() => expect(screen.getByTestId('credential-last4').textContent).toBe('••••••••WXYZ'));
    expect(document.body.innerHTML).not.toContain(secret.slice(0, -4));
  });

  it('says so when the name exists, and replaces it', async () => {
    const { send } = fakeSend(vault([{ name: 'apiToken', last4: 'WXYZ', updatedAt: 0 }]));
    render(<CredentialsSection send={send} />);
    await screen.findByTestId('credentials-table');
    type('credential-name', 'apiToken');
    expect(screen.getByTestId('credential-save').textContent).toBe('Replace');
    expect(screen.getByText('apiToken exists: saving replaces its value.')).toBeTruthy();
  });

  it('replaces a value in its row, and shows a background refusal as is', async () => {
    const { send, callsOf } = fakeSend(vault([{ name: 'apiToken', last4: 'WXYZ', updatedAt: 0 }]));
    render(<CredentialsSection send={send} />);
    fireEvent.click(await screen.findByTestId('credential-replace'));
    const field = input('credential-replace-value');
    expect(field.type).toBe('password');
    expect(document.activeElement).toBe(field);
    fireEvent.change(field, { target: { value: 'another-secret-9876' } });
    fireEvent.click(screen.getByTestId('credential-replace-save'));
    await waitFor(() => expect(screen.getByTestId('credential-last4').textContent).toBe('••••••••9876'));
    expect(callsOf('credentials.set')).toEqual([{ name: 'apiToken', value: 'another-secret-9876' }]);

    cleanup();
    const refusing = fakeSend(vault([], { 'credentials.set': () => Promise.reject(new Error('The vault is locked: unlock it, then save again.')) }));
    render(<CredentialsSection send={refusing.send} />);
    await screen.findByTestId('credentials-empty');
    type('credential-name', 'apiToken');
    type('credential-value', 'x');
    fireEvent.click(screen.getByTestId('credential-save'));
    expect((await screen.findByTestId('credential-form-error')).textContent).toContain('The vault is locked: unlock it, then save again.');
    expect(input('credential-value').value).toBe('x'); // kept, so the user can try again
  });

  it('deletes after asking', async () => {
    const { send, callsOf } = fakeSend(vault([{ name: 'apiToken', last4: '', updatedAt: 0 }]));
    render(<CredentialsSection send={send} />);
    const row = (await screen.findAllByTestId('credential-row'))[0]!;
    expect(within(row).getByTestId('credential-last4').textContent).toBe('hidden (short value)');
    fireEvent.click(within(row).getByRole('button', { name: 'Delete apiToken' }));
    expect(callsOf('credentials.delete')).toEqual([]);
    fireEvent.click(screen.getByTestId('credential-delete-confirm'));
    await waitFor(() => expect(screen.getByTestId('credentials-empty')).toBeTruthy());
    expect(callsOf('credentials.delete')).toEqual([{ name: 'apiToken' }]);
  });
});

describe('Environment variables', () => {
  it('says they are not secret, lists values and checks names as the background does', async () => {
    const { send, callsOf } = fakeSend(vault());
    render(<CredentialsSection send={send} />);
    expect(screen.getByTestId('env-vars').textContent).toContain('Not secret:');
    const row = (await screen.findAllByTestId('env-row'))[0]!;
    expect(row.textContent).toContain('http://127.0.0.1:4100');

    type('env-name', 'api_base');
    expect(screen.getByTestId('env-name-error').textContent).toContain('Did you mean API_BASE?');
    fireEvent.click(screen.getByTestId('env-save'));
    expect(callsOf('env.set')).toEqual([]);
    type('env-name', 'API_BASE');
    type('env-value', 'https://api.example.com');
    fireEvent.click(screen.getByTestId('env-save'));
    await waitFor(() => expect(screen.getAllByTestId('env-row')).toHaveLength(2));
    expect(callsOf('env.set')).toEqual([{ name: 'API_BASE', value: 'https://api.example.com' }]);
    type('env-value', 'x'.repeat(8193));
    expect(screen.getByTestId('env-value-error').textContent).toBe('This value is 8,193 characters long; at most 8,192 are allowed.');
  });
});
