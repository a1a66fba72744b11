// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostStatus } from '../messaging/contract';
import { HostStatusCard } from './HostStatusCard';
import { describeFailure } from './hostStatusText';

afterEach(cleanup);

const connected: HostStatus = {
  state: 'connected',
  hostVersion: '0.1.0',
  protocolVersion: 1,
  nodeVersion: '20.20.2',
  lastRoundTripMs: 0.61,
  checkedAt: '2025-01-01T12:00:00.000Z',
};

describe('HostStatusCard', () => {
  it('shows versions and the round trip when connected, with no problem box', () => {
    render(<HostStatusCard status={connected} onReconnect={() => {}} />);
    expect(screen.getByTestId('host-status').getAttribute('data-state')).toBe('connected');
    expect(screen.getByTestId('host-version').textContent).toBe('0.1.0');
    expect(screen.getByTestId('host-protocol').textContent).toBe('1');
    expect(screen.getByTestId('host-node').textContent).toBe('v20.20.2');
    expect(screen.getByTestId('host-rtt').textContent).toBe('0.6 ms');
    expect(screen.getByTestId('host-checked-at').querySelector('time')?.getAttribute('dateTime')).toBe(connected.checkedAt);
    expect(screen.queryByTestId('host-problem')).toBeNull();
  });

  it('tells the user to install the host when it is not installed', () => {
    render(<HostStatusCard status={{ state: 'not-installed', checkedAt: connected.checkedAt }} onReconnect={() => {}} />);
    expect(screen.getByTestId('host-status').getAttribute('data-state')).toBe('not-installed');
    const hint = screen.getByTestId('host-hint');
    expect(hint.textContent).toContain('Run npm run host:install in the Ferry folder, then Reconnect.');
    expect(hint.querySelector('code')?.textContent).toBe('npm run host:install');
    expect(screen.getByTestId('host-version').textContent).toBe('—');
  });

  it("prefers the background's own error and hint", () => {
    const status: HostStatus = {
      state: 'disconnected',
      checkedAt: connected.checkedAt,
      lastError: { code: -32099, codeName: 'HostDisconnected', message: 'The host exited.', hint: 'Check `ferry-host.log`.' },
    };
    render(<HostStatusCard status={status} onReconnect={() => {}} />);
    expect(screen.getByTestId('host-problem').textContent).toContain('The host exited.');
    expect(screen.getByTestId('host-hint').textContent).toContain('Check ferry-host.log.');
  });

  it('explains in plain words when the background does not answer', () => {
    const failure = describeFailure(new Error('Could not establish connection. Receiving end does not exist.'));
    render(<HostStatusCard failure={failure} onReconnect={() => {}} />);
    expect(screen.getByTestId('host-status').getAttribute('data-state')).toBe('unknown');
    expect(screen.getByTestId('host-problem').textContent).toContain('background service did not answer');
    expect(screen.getByTestId('host-problem').textContent).not.toContain('Receiving end');
  });

  it('calls onReconnect on click and is disabled with a spinner while reconnecting', () => {
    const onReconnect = vi.fn();
    const { rerender } = render(<HostStatusCard status={connected} onReconnect={onReconnect} />);
    const button = screen.getByTestId('reconnect') as HTMLButtonElement;
    fireEvent.click(button);
    expect(onReconnect).toHaveBeenCalledTimes(1);

    rerender(<HostStatusCard status={connected} reconnecting onReconnect={onReconnect} />);
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.textContent).toBe('Reconnecting…');
    expect(button.querySelector('svg')).not.toBeNull();
  });

  it('shows a skeleton until the first status arrives', () => {
    render(<HostStatusCard loading onReconnect={() => {}} />);
    expect(screen.getByTestId('host-status-loading').getAttribute('aria-busy')).toBe('true');
    expect(screen.getByRole('status').textContent).toBe('Checking the native host…');
    expect(screen.queryByTestId('host-status')).toBeNull();
  });

  it('compact (the popup): one line of facts, the badge and Reconnect in the header, problems still explained', () => {
    const { rerender } = render(<HostStatusCard compact status={connected} onReconnect={() => {}} />);
    expect(screen.getByTestId('host-facts').textContent).toBe('Host0.1.0Nodev20.20.2Ping0.6 ms');
    expect(screen.getByTestId('host-facts').getAttribute('title')).toMatch(/^Checked at .+; protocol 1$/);
    expect(screen.getByTestId('reconnect')).toBeTruthy();
    expect(screen.queryByTestId('host-checked-at')).toBeNull();
    rerender(<HostStatusCard compact status={{ state: 'not-installed', checkedAt: connected.checkedAt }} onReconnect={() => {}} />);
    expect(screen.getByTestId('host-hint').textContent).toContain('npm run host:install');
    expect(screen.getByTestId('host-version').textContent).toBe('—');
  });
});
