// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeSend } from '../../test-support/fake-send';
import { SettingsSection } from './SettingsSection';

afterEach(cleanup);

const limits = { maxReadBytes: 64 * 1024 * 1024, maxWriteBytes: 64 * 1024 * 1024 };

describe('Settings', () => {
  it('lists the folders granted to the host, read-only, through host.call fs.roots', async () => {
    const roots = [
      { name: 'exports', path: '/home/ada/ferry-exports', default: true, readOnly: false, exists: true },
      { name: 'inbox', path: '/home/ada/inbox', default: false, readOnly: true, exists: true },
      { name: 'old', path: '/mnt/gone', default: false, readOnly: false, exists: false },
    ];
    const { send, callsOf } = fakeSend({ 'host.call': () => ({ ok: true, result: { roots, limits } }) });
    render(<SettingsSection send={send} />);
    const rows = await screen.findAllByTestId('root-row');
    expect(callsOf('host.call')[0]).toMatchObject({ method: 'fs.roots' });
    expect(rows.map((r) => r.textContent)).toEqual([
      'exportsdefault/home/ada/ferry-exportsread and write',
      'inbox/home/ada/inboxread-only',
      'old/mnt/gonemissing',
    ]);
    expect(screen.getByTestId('roots-limits').textContent).toBe('Largest file read: 64 MiB · largest write: 64 MiB.');
    expect(screen.getByTestId('granted-folders').querySelector('input, textarea')).toBeNull();
  });

  it('says how to grant a folder when none is', async () => {
    const { send } = fakeSend({ 'host.call': () => ({ ok: true, result: { roots: [], limits } }) });
    render(<SettingsSection send={send} />);
    expect((await screen.findByTestId('roots-empty')).textContent).toContain('npx ferry-host roots add ~/ferry-exports');
  });

  it('shows the host’s error when it cannot be asked', async () => {
    const { send } = fakeSend({
      'host.call': () => ({ ok: false, error: { code: -32000, codeName: 'HostNotInstalled', message: 'The native host is not installed. Run `npm run host:install`.' } }),
    });
    render(<SettingsSection send={send} />);
    expect((await screen.findByTestId('roots-error')).textContent).toContain('The native host is not installed.');
    expect(screen.getByTestId('settings-where').textContent).toContain('retryStrategy');
  });
});
