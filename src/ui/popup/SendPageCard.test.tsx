// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RpcError, ErrorCode } from '../../protocol/errors';
import type { RunSummary } from '../../runs/run-service';
import type { DeadLetterRow, RejectRow, RunCounts, RunStatus } from '../../storage/rows';
import { SendPageCard } from './SendPageCard';
import type { SendPageClient } from './sendPageClient';
import { useSendPage } from './useSendPage';

afterEach(cleanup);

function Harness({ client }: { client: SendPageClient }) {
  return <SendPageCard view={useSendPage(client, 5)} />;
}

const summary = (status: RunStatus, counts: Partial<RunCounts>, extra: Partial<RunSummary> = {}): RunSummary => ({
  id: 'run-1',
  pipelineId: 'demo',
  status,
  createdAt: 0,
  updatedAt: 0,
  counts: { extracted: 10, rejected: 0, sent: 0, failed: 0, retried: 0, ...counts },
  jobs: { pending: 0, inFlight: 0, done: 0, failed: 0, deadLettered: 0, total: 0 },
  deadLetters: 0,
  ...extra,
});

const reject: RejectRow = { id: 1, runId: 'run-1', record: { name: 'Jonas' }, reasons: [{ path: 'email', rule: 'format', message: 'email must be an email address, got "jonas(at)x"' }], createdAt: 0 };

function fakeClient(runs: RunSummary[], overrides: Partial<SendPageClient> = {}): SendPageClient {
  let i = 0;
  return {
    listPipelines: vi.fn(async () => [
      { id: 'demo', name: 'Demo: page → local API', updatedAt: 0 },
      { id: 'other', name: 'Other', updatedAt: 0 },
    ]),
    tabUrl: vi.fn(async () => 'https://shop.example/list'),
    startFromTab: vi.fn(async () => ({ runId: 'run-1', extracted: 10, warnings: [] })),
    getRun: vi.fn(async () => runs[Math.min(i++, runs.length - 1)]!),
    rejects: vi.fn(async () => [reject]),
    deadLetters: vi.fn(async () => []),
    ...overrides,
  };
}

const text = (id: string) => screen.getByTestId(id).textContent;

describe('SendPageCard', () => {
  it('sends the chosen pipeline, follows the run to the end, and says why a record was rejected', async () => {
    const client = fakeClient([summary('running', { sent: 3, rejected: 1 }), summary('succeeded', { sent: 9, rejected: 1 })]);
    render(<Harness client={client} />);
    const select = (await screen.findByTestId('send-pipeline')) as HTMLSelectElement;
    expect(select.value).toBe('demo');
    fireEvent.change(select, { target: { value: 'other' } });
    fireEvent.click(screen.getByTestId('send-button'));
    await waitFor(() => expect(screen.getByTestId('run-status').getAttribute('data-status')).toBe('succeeded'));
    expect(client.startFromTab).toHaveBeenCalledWith('other');
    expect(text('run-sent')).toBe('9');
    expect(text('run-rejected')).toBe('1');
    expect(text('run-progress-text')).toBe('10 of 10 records processed');
    expect(screen.getByTestId('run-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(text('run-rejects')).toBe('1 record was rejected and not sentemail must be an email address, got "jonas(at)x"');
    expect(client.rejects).toHaveBeenCalledTimes(1); // fetched once, not on every poll
    const polls = vi.mocked(client.getRun).mock.calls.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(vi.mocked(client.getRun).mock.calls.length).toBe(polls); // stops polling once finished
  });

  it('a run whose every record was rejected reads "Nothing sent" in amber, never a green "Succeeded"', async () => {
    const none = summary('nothingSent', { extracted: 50, rejected: 50 }, { error: { code: 'RUN_NOTHING_SENT', message: 'Nothing sent: all 50 records were rejected.' } });
    render(<Harness client={fakeClient([none])} />);
    fireEvent.click(await screen.findByTestId('send-button'));
    await waitFor(() => expect(screen.getByTestId('run-status').getAttribute('data-status')).toBe('nothingSent'));
    const badge = screen.getByTestId('run-status');
    expect(badge.textContent).toBe('Nothing sent');
    expect(badge.className).toContain('amber');
    expect(badge.className).not.toContain('emerald');
    expect(screen.getByTestId('run-failure').textContent).toContain('Nothing sent: all 50 records were rejected.');
    expect(screen.getByTestId('run-failure').textContent).toContain('reject list');
  });

  it('shows a failed run with its error and the first dead letter’s outcome', async () => {
    const letter = { id: 1, lastOutcome: { label: 'not_found', httpStatus: 404, message: 'POST 127.0.0.1:9/v1/nowhere answered 404 (not_found) and is not retried (a final outcome).' } } as DeadLetterRow;
    const failed = summary('failed', { sent: 0, failed: 9, rejected: 1 }, { error: { code: 'RUN_NOTHING_DELIVERED', message: '9 records could not be delivered; they are in the dead-letter list.' } });
    render(<Harness client={fakeClient([failed], { deadLetters: vi.fn(async () => [letter]) })} />);
    fireEvent.click(await screen.findByTestId('send-button'));
    await waitFor(() => expect(screen.getByTestId('run-status').getAttribute('data-status')).toBe('failed'));
    expect(text('run-failure')).toContain('9 records could not be delivered');
    expect(text('run-failure')).toContain('answered 404 (not_found)');
    expect(text('run-rejects')).toContain('1 record was rejected and not sent');
  });

  it('explains a refused start in plain words, with the next step the background gave', async () => {
    const error = new RpcError(ErrorCode.InternalError, 'Ferry found no records on this page. Pass an extractor.', { code: 'EXTRACTION_EMPTY', message: '...' });
    render(<Harness client={fakeClient([], { startFromTab: vi.fn(async () => Promise.reject(error)) })} />);
    fireEvent.click(await screen.findByTestId('send-button'));
    await waitFor(() => expect(screen.getByTestId('send-problem')).toBeTruthy());
    expect(text('send-problem')).toContain('No records found on this page');
    expect(text('send-problem')).toContain('Ferry found no records on this page. Pass an extractor.');
    expect(screen.queryByTestId('send-run')).toBeNull();
  });

  it('says where pipelines come from when none is saved', async () => {
    render(<Harness client={fakeClient([], { listPipelines: vi.fn(async () => []) })} />);
    expect((await screen.findByTestId('send-no-pipelines')).textContent).toContain('npm start saves a demo pipeline');
    expect(screen.queryByTestId('send-button')).toBeNull();
  });

  it('offers the pipelines made for this page first, the others apart', async () => {
    const client = fakeClient([summary('running', {})], {
      listPipelines: vi.fn(async () => [
        { id: 'crm', name: 'Contacts to CRM', updatedAt: 0, match: ['https://crm.example/*'] },
        { id: 'shop', name: 'Shop to sheet', updatedAt: 0, match: ['https://*.example/list*', 'https://shop.example/*'] },
        { id: 'any', name: 'Anywhere', updatedAt: 0 },
      ]),
    });
    render(<Harness client={client} />);
    const select = (await screen.findByTestId('send-pipeline')) as HTMLSelectElement;
    expect([...select.querySelectorAll('optgroup')].map((g) => [g.label, [...g.querySelectorAll('option')].map((o) => o.value)])).toEqual([
      ['Made for this page', ['shop', 'any']],
      ['Other pipelines', ['crm']],
    ]);
    expect(select.value).toBe('shop');
  });
});
