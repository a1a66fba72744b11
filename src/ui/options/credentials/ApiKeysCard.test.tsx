// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKeySummary } from '../../../auth/api-keys/api-keys';
import type { BackgroundSend } from '../../background';
import { ApiKeysCard } from './ApiKeysCard';

afterEach(cleanup);

const summary = (name: string, state: ApiKeySummary['state']): ApiKeySummary =>
  ({ name, baseUrl: 'https://api.example', auth: { in: 'header', name: 'Authorization', prefix: 'Bearer' }, config: {}, createdAt: 0, rotatedAt: 0, dueAt: Date.UTC(2026, 11, 28), state, lastValidation: { at: 0, ok: true, detail: 'valid' } }) as ApiKeySummary;

function fakeSend(refuseFirstSave: boolean) {
  const keys: ApiKeySummary[] = [summary('billing', 'dueSoon')];
  const calls: [string, unknown][] = [];
  let refused = false;
  const send = (async (type: string, data: Record<string, unknown>) => {
    calls.push([type, data]);
    if (type === 'apiKeys.list') return keys;
    if (type === 'apiKeys.save') {
      if (refuseFirstSave && !refused && !data.force) {
        refused = true;
        throw new Error('The API key "crm" did not validate, so it was not saved: GET /api/v1/validate answered 401. Check the key and the API\'s URL, or save it anyway.');
      }
      keys.push(summary(String(data.name), 'ok'));
      return keys.at(-1);
    }
    if (type === 'apiKeys.rotate') throw new Error('The new key for "billing" did not validate; the old key stays active.');
    throw new Error(`unexpected ${type}`);
  }) as unknown as BackgroundSend;
  return { send, calls };
}

describe('ApiKeysCard', () => {
  it('lists keys with their rotation state, never a value', async () => {
    render(<ApiKeysCard send={fakeSend(false).send} />);
    const row = await screen.findByTestId('api-key-row');
    expect(row.textContent).toContain('billing');
    expect(row.textContent).toContain('Rotate soon');
    expect(row.textContent).toContain('Valid');
  });

  it('adds a key only once it validates, or when the user keeps it anyway', async () => {
    const { send, calls } = fakeSend(true);
    render(<ApiKeysCard send={send} />);
    fireEvent.click(await screen.findByTestId('api-key-add'));
    fireEvent.change(screen.getByTestId('api-key-name'), { target: { value: 'crm' } });
    fireEvent.change(screen.getByTestId('api-key-value'), { target: { value: 'sk_live_1234567890' } });
    fireEvent.change(screen.getByTestId('api-key-base'), { target: { value: 'https://crm.example' } });
    fireEvent.click(screen.getByTestId('api-key-save'));
    expect((await screen.findByTestId('api-key-form-problem')).textContent).toContain('did not validate');
    fireEvent.click(screen.getByText('Keep it anyway'));
    await waitFor(() => expect(screen.getAllByTestId('api-key-row')).toHaveLength(2));
    const saves = calls.filter(([t]) => t === 'apiKeys.save').map(([, d]) => d as Record<string, unknown>);
    expect(saves.map((d) => [d.name, d.baseUrl, d.auth, d.force])).toEqual([['crm', 'https://crm.example', 'Authorization: Bearer', undefined], ['crm', 'https://crm.example', 'Authorization: Bearer', true]]);
    expect(String(saves[0]!.apiKeyConfig)).toContain('"interval": "30d"');
  });

  it('says the old key stays when a rotation does not validate', async () => {
    render(<ApiKeysCard send={fakeSend(false).send} />);
    fireEvent.click(await screen.findByText('Rotate'));
    fireEvent.change(screen.getByTestId('api-key-rotate-value'), { target: { value: 'new-key-value-123' } });
    fireEvent.click(screen.getByTestId('api-key-rotate'));
    expect((await screen.findByTestId('api-key-problem')).textContent).toContain('the old key stays active');
  });
});
