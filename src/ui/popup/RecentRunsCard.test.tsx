// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeSend, PIPELINES, runRow } from '../test-support/fake-send';
import { RecentRunsCard } from './RecentRunsCard';

afterEach(cleanup);

describe('RecentRunsCard', () => {
  it('lists the last five runs with their outcome; a running one shows live progress; a click opens it', async () => {
    let sent = 2;
    const runs = () => [runRow(5, 'running', { sent: sent++, rejected: 1 }), runRow(4, 'failed', { sent: 0, failed: 9 }), runRow(3), runRow(2), runRow(1)];
    const { send, callsOf } = fakeSend({ 'runs.list': runs, 'pipelines.list': () => PIPELINES });
    const openRun = vi.fn(async () => undefined);
    render(<RecentRunsCard send={send} openRun={openRun} />);
    const items = await screen.findAllByTestId('recent-run');
    expect(callsOf('runs.list')[0]).toEqual({ limit: 5 });
    expect(items.map((i) => i.getAttribute('data-status'))).toEqual(['running', 'failed', 'succeeded', 'succeeded', 'succeeded']);
    expect(items[0]!.textContent).toContain('Orders');
    expect(screen.getAllByTestId('recent-run-progress')).toHaveLength(1);
    const before = screen.getByTestId('recent-run-progress').getAttribute('aria-valuenow');
    await waitFor(() => expect(screen.getByTestId('recent-run-progress').getAttribute('aria-valuenow')).not.toBe(before), { timeout: 3000 });
    fireEvent.click(items[1]!.querySelector('button')!);
    expect(openRun).toHaveBeenCalledWith('run-0004');
  });

  it('a run that sent nothing reads "Nothing sent" in amber, not a green "Succeeded"', async () => {
    const { send } = fakeSend({ 'runs.list': () => [runRow(1, 'nothingSent', { extracted: 50, rejected: 50, sent: 0 })], 'pipelines.list': () => PIPELINES });
    render(<RecentRunsCard send={send} />);
    const [item] = await screen.findAllByTestId('recent-run');
    expect(item!.getAttribute('data-status')).toBe('nothingSent');
    const badge = within(item!).getByText('Nothing sent');
    expect(badge.className).toContain('amber');
    expect(item!.textContent).not.toContain('Succeeded');
    expect(screen.queryByTestId('recent-run-progress')).toBeNull();
  });

  it('has an empty state and an error state', async () => {
    render(<RecentRunsCard send={fakeSend({ 'runs.list': () => [], 'pipelines.list': () => [] }).send} />);
    expect((await screen.findByTestId('recent-runs-empty')).textContent).toContain('No runs yet');
    cleanup();
    render(<RecentRunsCard send={fakeSend({ 'runs.list': () => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')), 'pipelines.list': () => [] }).send} />);
    expect((await screen.findByTestId('recent-runs-error')).textContent).toContain('Reload Ferry on the browser’s extensions page');
  });

  it('names a run by the pipeline name it ran under, not the pipeline that has its id now', async () => {
    const { send } = fakeSend({ 'runs.list': () => [{ ...runRow(3), pipelineName: 'Old orders' }, runRow(1)], 'pipelines.list': () => PIPELINES });
    render(<RecentRunsCard send={send} />);
    const items = await screen.findAllByTestId('recent-run');
    expect(items[0]!.textContent).toContain('Old orders');
    expect(items[1]!.textContent).toContain('Orders');
    expect(items[1]!.textContent).not.toContain('Old orders');
  });
});
