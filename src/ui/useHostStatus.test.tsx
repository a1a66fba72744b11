// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostStatus } from '../messaging/contract';
import type { HostClient } from './hostClient';
import { useHostStatus } from './useHostStatus';

const status = (state: HostStatus['state']): HostStatus => ({ state, checkedAt: new Date().toISOString() });

function Probe({ client }: { client: HostClient }) {
  const host = useHostStatus(client, 1000);
  return (
    <div>
      <span data-testid="state">{host.loading ? 'loading' : (host.status?.state ?? 'none')}</span>
      <span data-testid="failure">{host.failure?.message ?? ''}</span>
      <button onClick={() => void host.reconnect()}>reconnect</button>
    </div>
  );
}

const text = (id: string) => screen.getByTestId(id).textContent;

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('useHostStatus', () => {
  it('is loading until the first status, then refreshes on its interval', async () => {
    const client = { status: vi.fn().mockResolvedValue(status('connected')), reconnect: vi.fn() };
    render(<Probe client={client} />);
    expect(text('state')).toBe('loading');
    await act(async () => {});
    expect(text('state')).toBe('connected');
    expect(client.status).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(client.status).toHaveBeenCalledTimes(4);
  });

  it('turns a failed call into plain words and keeps the last good status', async () => {
    const client = {
      status: vi
        .fn()
        .mockResolvedValueOnce(status('connected'))
        .mockRejectedValue(new Error('Could not establish connection. Receiving end does not exist.')),
      reconnect: vi.fn(),
    };
    render(<Probe client={client} />);
    await act(async () => {});
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(text('state')).toBe('connected');
    expect(text('failure')).toBe('Ferry’s background service did not answer.');
  });

  it('applies the reconnect result even if an older poll finishes later', async () => {
    let resolvePoll!: (s: HostStatus) => void;
    const client = {
      status: vi
        .fn()
        .mockResolvedValueOnce(status('disconnected'))
        .mockImplementationOnce(() => new Promise<HostStatus>((r) => (resolvePoll = r))),
      reconnect: vi.fn().mockResolvedValue(status('connected')),
    };
    render(<Probe client={client} />);
    await act(async () => {});
    await act(() => vi.advanceTimersByTimeAsync(1000)); // second poll now pending
    await act(async () => screen.getByText('reconnect').click());
    expect(text('state')).toBe('connected');
    await act(async () => resolvePoll(status('disconnected')));
    expect(text('state')).toBe('connected');
  });

  it('stops polling when unmounted', async () => {
    const client = { status: vi.fn().mockResolvedValue(status('connected')), reconnect: vi.fn() };
    const { unmount } = render(<Probe client={client} />);
    await act(async () => {});
    unmount();
    await vi.advanceTimersByTimeAsync(5000);
    expect(client.status).toHaveBeenCalledTimes(1);
  });
});
