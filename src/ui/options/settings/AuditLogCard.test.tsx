// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackgroundSend } from '../../background';
import { AuditLogCard } from './AuditLogCard';

afterEach(cleanup);

function fakeSend() {
  let settings = { retentionDays: 30, recordBodies: false };
  const calls: [string, unknown][] = [];
  const send = (async (type: string, data: unknown) => {
    calls.push([type, data]);
    if (type === 'audit.settings') return settings;
    if (type === 'audit.setSettings') return (settings = { ...settings, ...(data as object) });
    if (type === 'audit.export') return { jsonl: '{"a":1}\n{"a":2}\n', count: 2, fileName: 'ferry-audit.jsonl' };
    throw new Error(`unexpected ${type}`);
  }) as unknown as BackgroundSend;
  return { send, calls };
}

describe('AuditLogCard', () => {
  it('shows the retention and the bodies setting, changes them, and exports the log as JSON Lines', async () => {
    const { send, calls } = fakeSend();
    const download = vi.fn();
    render(<AuditLogCard send={send} download={download} />);
    const retention = (await screen.findByTestId('audit-retention')) as HTMLSelectElement;
    expect(retention.value).toBe('30');
    expect((screen.getByTestId('audit-bodies') as HTMLInputElement).checked).toBe(false);
    fireEvent.change(retention, { target: { value: '7' } });
    await waitFor(() => expect(screen.getByTestId('audit-notice').textContent).toContain('older than 7 days'));
    fireEvent.click(screen.getByTestId('audit-bodies'));
    await waitFor(() => expect((screen.getByTestId('audit-bodies') as HTMLInputElement).checked).toBe(true));
    fireEvent.click(screen.getByTestId('audit-export'));
    await waitFor(() => expect(download).toHaveBeenCalledWith('ferry-audit.jsonl', '{"a":1}\n{"a":2}\n'));
    expect(screen.getByTestId('audit-notice').textContent).toBe('Exported 2 entries as JSON Lines.');
    expect(calls.filter(([t]) => t === 'audit.setSettings').map(([, d]) => d)).toEqual([{ retentionDays: 7 }, { recordBodies: true }]);
  });
});
