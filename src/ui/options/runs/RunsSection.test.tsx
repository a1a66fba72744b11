// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRow, DeadLetterRow, RejectRow } from '../../../storage/rows';
import { fakeSend, PIPELINES, runRow, runSummary, type Handlers } from '../../test-support/fake-send';
import { RunsSection } from './RunsSection';
import { runIdFromHash } from './useRunRoute';

beforeEach(() => {
  window.location.hash = '#/runs';
});
afterEach(cleanup);

async function go(hash: string) {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}

const never = () => new Promise<never>(() => undefined);

describe('runIdFromHash', () => {
  it('reads #/runs/<id> and nothing else', () => {
    expect(runIdFromHash('#/runs/abc-1')).toBe('abc-1');
    expect(runIdFromHash('#/runs/a%20b')).toBe('a b');
    expect(runIdFromHash('#/runs')).toBeUndefined();
    expect(runIdFromHash('#/runs/')).toBeUndefined();
    expect(runIdFromHash('#/credentials/x')).toBeUndefined();
  });
});

describe('Run history', () => {
  it('shows a loading state until the list arrives', () => {
    const { send } = fakeSend({ 'runs.list': never, 'pipelines.list': never });
    render(<RunsSection send={send} />);
    expect(screen.getByTestId('runs-loading')).toBeTruthy();
  });

  it('says where runs come from when there are none', async () => {
    const { send } = fakeSend({ 'runs.list': () => [], 'pipelines.list': () => PIPELINES });
    render(<RunsSection send={send} />);
    expect((await screen.findByTestId('runs-empty')).textContent).toContain('Send this page');
    expect(screen.queryByTestId('runs-table')).toBeNull();
  });

  it('shows the background’s error with a way to try again', async () => {
    let fail = true;
    const { send } = fakeSend({
      'runs.list': () => {
        if (fail) throw new Error('The database could not be opened: quota exceeded. Free some disk space.');
        return [runRow(1)];
      },
      'pipelines.list': () => PIPELINES,
    });
    render(<RunsSection send={send} />);
    expect((await screen.findByTestId('runs-error')).textContent).toContain('quota exceeded. Free some disk space.');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('runs-table')).toBeTruthy();
  });

  it('pages 1,000 runs 50 at a time and filters by pipeline and status', async () => {
    const runs = Array.from({ length: 1000 }, (_, i) => runRow(1000 - i, i % 10 === 0 ? 'failed' : 'succeeded', i % 10 === 0 ? { sent: 0, failed: 9 } : {}));
    const { send, callsOf } = fakeSend({ 'runs.list': () => runs, 'pipelines.list': () => PIPELINES });
    render(<RunsSection send={send} />);
    await screen.findByTestId('runs-table');
    expect(callsOf('runs.list')[0]).toEqual({ limit: 1000 });
    // Only one page is in the document, however long the history: 1,000 runs render as fast as 50.
    expect(screen.getAllByTestId('runs-row')).toHaveLength(50);
    expect(screen.getByTestId('runs-pager-range').textContent).toBe('1–50 of 1,000');
    expect(screen.getByTestId('runs-summary').textContent).toBe('1,000 runs');
    expect(screen.getByText('Only the newest 1,000 runs are listed.')).toBeTruthy();

    fireEvent.click(screen.getByTestId('runs-pager-next'));
    expect(screen.getByTestId('runs-pager-range').textContent).toBe('51–100 of 1,000');
    expect(screen.getAllByTestId('runs-row')[0]!.getAttribute('data-run-id')).toBe(runs[50]!.id);

    fireEvent.change(screen.getByTestId('runs-filter-status'), { target: { value: 'failed' } });
    expect(screen.getByTestId('runs-summary').textContent).toBe('100 runs of 1,000');
    expect(screen.getByTestId('runs-pager-range').textContent).toBe('1–50 of 100');
    for (const row of screen.getAllByTestId('runs-row')) expect(row.getAttribute('data-status')).toBe('failed');

    fireEvent.change(screen.getByTestId('runs-filter-pipeline'), { target: { value: 'orders' } });
    expect(screen.getByTestId('runs-none-match').textContent).toBe('No runs match these filters.');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(screen.getAllByTestId('runs-row')).toHaveLength(50);
  });

  it('a run that sent nothing is its own status: "Nothing sent" in amber, apart from the succeeded ones in the filter', async () => {
    const runs = [runRow(3, 'nothingSent', { extracted: 50, rejected: 50, sent: 0 }), runRow(2, 'succeeded'), runRow(1, 'nothingSent', { extracted: 0, rejected: 0, sent: 0 })];
    const { send } = fakeSend({ 'runs.list': () => runs, 'pipelines.list': () => PIPELINES });
    render(<RunsSection send={send} />);
    const rows = await screen.findAllByTestId('runs-row');
    const badge = within(rows[0]!).getByText('Nothing sent');
    expect(badge.className).toContain('amber');
    expect(rows[0]!.textContent).not.toContain('Succeeded');
    fireEvent.change(screen.getByTestId('runs-filter-status'), { target: { value: 'succeeded' } });
    expect(screen.getAllByTestId('runs-row').map((r) => r.getAttribute('data-run-id'))).toEqual(['run-0002']);
    fireEvent.change(screen.getByTestId('runs-filter-status'), { target: { value: 'nothingSent' } });
    expect(screen.getAllByTestId('runs-row').map((r) => r.getAttribute('data-run-id'))).toEqual(['run-0003', 'run-0001']);
  });

  it('links each run to its detail by name, with counts and duration', async () => {
    const { send } = fakeSend({ 'runs.list': () => [runRow(2, 'succeeded', { retried: 3 })], 'pipelines.list': () => PIPELINES });
    render(<RunsSection send={send} />);
    const row = (await screen.findAllByTestId('runs-row'))[0]!;
    const link = within(row).getByTestId('runs-row-link');
    expect(link.textContent).toBe('Demo: page → local API');
    expect(link.getAttribute('href')).toBe('#/runs/run-0002');
    expect(row.textContent).toContain('Succeeded');
    expect(row.textContent).toContain('1.5 s');
    expect(within(row).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });
});

const REJECT: RejectRow = { id: 1, runId: 'run-0001', record: { name: 'Jonas', email: 'jonas(at)x' }, reasons: [{ path: 'email', rule: 'format', message: 'email must be an email address, got "jonas(at)x"' }], createdAt: 0 };
const LETTER: DeadLetterRow = {
  id: 4, runId: 'run-0001', pipelineId: 'demo', jobId: 9, records: [{ email: 'ada@example.test' }], idempotencyKey: 'k', attempts: 3,
  lastOutcome: { label: 'not_found', httpStatus: 404, message: 'POST 127.0.0.1:9/v1/leads answered 404 (not_found) and is not retried (a final outcome).' }, createdAt: 0,
};
const AUDIT: AuditRow = { id: 1, runId: 'run-0001', at: Date.now(), method: 'POST', host: '127.0.0.1:9', path: '/v1/leads', status: 404, durationMs: 12, attempt: 1, outcome: 'not_found' };

function detailHandlers(overrides: Handlers = {}): Handlers {
  let letters = [LETTER, { ...LETTER, id: 5 }];
  const failed = runSummary(runRow(1, 'failed', { sent: 7, failed: 2 }), {
    deadLetters: 2,
    jobs: { pending: 0, inFlight: 0, done: 7, failed: 0, deadLettered: 2, total: 9 },
    error: { code: 'RUN_FAILED', message: '2 records could not be delivered; they are in the dead-letter list.' },
  });
  return {
    'pipelines.list': () => PIPELINES,
    'runs.get': () => ({ ...failed, deadLetters: letters.length }),
    'runs.rejects': () => [REJECT],
    'runs.audit': () => [AUDIT],
    'runs.deadLetters': () => letters,
    'runs.jobs': () => ({
      total: 9,
      offset: 0,
      jobs: [{ id: 9, seq: 0, status: 'deadLettered', attempts: 3, records: 1, preview: '{"email":"ada@example.test"}', idempotencyKey: 'k', outcome: { label: 'not_found', httpStatus: 404, message: 'answered 404' }, updatedAt: 0 }],
    }),
    'runs.replay': (target) => {
      const ids = 'ids' in target ? target.ids : letters.map((l) => l.id);
      letters = letters.filter((l) => !ids.includes(l.id));
      return { replayed: ids.length };
    },
    'runs.discardDeadLetters': (target) => {
      const ids = 'ids' in target ? target.ids : letters.map((l) => l.id);
      letters = letters.filter((l) => !ids.includes(l.id));
      return { discarded: ids.length };
    },
    ...overrides,
  };
}

describe('A past run keeps the name it ran under', () => {
  // Pipeline "orders" is called "Orders" now; the run ran when it was called "Old orders".
  const past = { ...runRow(1), pipelineName: 'Old orders' };

  it('in the history, beside a run from before names were recorded (which shows the current name)', async () => {
    const { send } = fakeSend({ 'runs.list': () => [past, runRow(3)], 'pipelines.list': () => PIPELINES });
    render(<RunsSection send={send} />);
    await screen.findByTestId('runs-table');
    expect(screen.getAllByTestId('runs-row-link').map((a) => a.textContent)).toEqual(['Old orders', 'Orders']);
  });

  it('in the run detail', async () => {
    await go('#/runs/run-0001');
    const { send } = fakeSend(detailHandlers({ 'runs.get': () => runSummary(past) }));
    render(<RunsSection send={send} />);
    await screen.findByTestId('run-detail');
    expect(screen.getByTestId('run-pipeline').textContent).toBe('Old orders');
  });
});

describe('Run detail', () => {
  it('shows the run’s counts, its error in plain words with the next step, rejects, batches and audit', async () => {
    await go('#/runs/run-0001');
    const { send, callsOf } = fakeSend(detailHandlers());
    render(<RunsSection send={send} />);
    await screen.findByTestId('run-detail');
    expect(callsOf('runs.get')[0]).toEqual({ runId: 'run-0001' });
    expect(screen.getByTestId('run-pipeline').textContent).toBe('Orders');
    expect(screen.getByTestId('run-detail-status').getAttribute('data-status')).toBe('failed');
    expect(screen.getByTestId('run-count-sent').textContent).toBe('7');
    expect(screen.getByTestId('run-count-failed').textContent).toBe('2');
    const error = screen.getByTestId('run-error').textContent;
    expect(error).toContain('2 records could not be delivered (7 were)');
    expect(error).toContain('Next step: Fix the cause, then replay the dead letters below');
    expect(screen.getByTestId('run-jobs').textContent).toBe('9 batches: 7 done, 2 dead-lettered.');
    await waitFor(() => expect(screen.getAllByTestId('reject-reason')[0]!.textContent).toBe('email must be an email address, got "jonas(at)x"'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(1));
    expect(screen.getAllByTestId('audit-row')[0]!.textContent).toContain('POST 127.0.0.1:9/v1/leads');
    await waitFor(() => expect(screen.getAllByTestId('job-row')[0]!.textContent).toContain('Dead letter'));
    expect(screen.getByTestId('jobs').textContent).toContain('answered 404');
    expect(screen.getByTestId('run-back').getAttribute('href')).toBe('#/runs');
  });

  it('says once, above the batches, that a database step logged in as a role that can do more than the pipeline needs', async () => {
    await go('#/runs/run-0001');
    const warning = 'Ferry logs in to PostgreSQL as “postgres”, which is a superuser: SQL in a pipeline can read and write any file on the database server. Connect with a role that has only the rights the pipeline needs.';
    const done = (id: number) => ({ id, seq: id, status: 'done' as const, attempts: 1, records: 1, preview: '{}', idempotencyKey: `k${id}`, outcome: { label: 'success', message: warning, details: { roleRisks: 'superuser' } }, updatedAt: 0 });
    const { send } = fakeSend(detailHandlers({ 'runs.jobs': () => ({ total: 2, offset: 0, jobs: [done(1), done(2)] }) }));
    render(<RunsSection send={send} />);
    const callout = await screen.findByTestId('jobs-role-warning');
    expect(callout.textContent).toContain('The database role can do more than this pipeline needs');
    expect(within(callout).getAllByTestId('jobs-role-warning-text')).toHaveLength(1);
    expect(callout.textContent).toContain('which is a superuser');
  });

  it('replays one dead letter, then discards the other after asking', async () => {
    await go('#/runs/run-0001');
    const { send, callsOf } = fakeSend(detailHandlers());
    render(<RunsSection send={send} />);
    await waitFor(() => expect(screen.getAllByTestId('dead-item')).toHaveLength(2));
    expect(screen.getAllByTestId('dead-message')[0]!.textContent).toContain('answered 404 (not_found)');

    fireEvent.click(screen.getAllByTestId('dead-replay')[0]!);
    await waitFor(() => expect(screen.getByTestId('dead-notice').textContent).toContain('Replayed 1 dead letter; the run is queued again'));
    expect(callsOf('runs.replay')).toEqual([{ ids: [4] }]);
    await waitFor(() => expect(screen.getAllByTestId('dead-item')).toHaveLength(1));

    fireEvent.click(screen.getByTestId('dead-discard'));
    expect(callsOf('runs.discardDeadLetters')).toEqual([]); // asks first
    expect(screen.getByRole('group', { name: 'Discard for good?' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId('dead-discard-confirm'));
    fireEvent.click(screen.getByTestId('dead-discard-confirm'));
    await waitFor(() => expect(screen.getByTestId('dead-notice').textContent).toContain('Discarded 1 dead letter'));
    expect(callsOf('runs.discardDeadLetters')).toEqual([{ ids: [5] }]);
    await waitFor(() => expect(screen.getByTestId('dead-empty')).toBeTruthy());
  });

  it('Escape cancels a discard without sending anything', async () => {
    await go('#/runs/run-0001');
    const { send, callsOf } = fakeSend(detailHandlers());
    render(<RunsSection send={send} />);
    await waitFor(() => expect(screen.getAllByTestId('dead-item')).toHaveLength(2));
    fireEvent.click(screen.getAllByTestId('dead-discard')[0]!);
    fireEvent.keyDown(screen.getAllByTestId('dead-discard-confirm')[0]!, { key: 'Escape' });
    expect(screen.queryByTestId('dead-discard-confirm')).toBeNull();
    expect(callsOf('runs.discardDeadLetters')).toEqual([]);
  });

  it('says when a replay is refused, in the background’s words', async () => {
    await go('#/runs/run-0001');
    const { send } = fakeSend(detailHandlers({ 'runs.replay': () => Promise.reject(new Error('The run’s pipeline no longer parses: fix it, then replay.')) }));
    render(<RunsSection send={send} />);
    await waitFor(() => expect(screen.getAllByTestId('dead-item')).toHaveLength(2));
    fireEvent.click(screen.getByTestId('dead-replay-all'));
    await waitFor(() => expect(screen.getByTestId('dead-notice').textContent).toBe('The run’s pipeline no longer parses: fix it, then replay.'));
  });

  it('a run whose every record was rejected says "Nothing sent" in amber with the reason and where to look', async () => {
    await go('#/runs/run-0001');
    const none = runSummary(runRow(1, 'nothingSent', { extracted: 50, rejected: 50, sent: 0 }), {
      jobs: { pending: 0, inFlight: 0, done: 0, failed: 0, deadLettered: 0, total: 0 },
      error: { code: 'RUN_NOTHING_SENT', message: 'Nothing sent: all 50 records were rejected.' },
    });
    const { send } = fakeSend(detailHandlers({ 'runs.get': () => none, 'runs.deadLetters': () => [] }));
    render(<RunsSection send={send} />);
    await screen.findByTestId('run-detail');
    const badge = screen.getByTestId('run-detail-status');
    expect(badge.getAttribute('data-status')).toBe('nothingSent');
    expect(badge.textContent).toBe('Nothing sent');
    expect(badge.className).toContain('amber');
    const callout = screen.getByTestId('run-error');
    expect(callout.textContent).toContain('Nothing sent: all 50 records were rejected.');
    expect(callout.className).toContain('amber');
  });

  it('keeps reading a running run until it finishes', async () => {
    await go('#/runs/run-0001');
    let polls = 0;
    const running = runSummary(runRow(1, 'running', { sent: 3, rejected: 0 }));
    const done = runSummary(runRow(1, 'succeeded'));
    const { send } = fakeSend(detailHandlers({ 'runs.get': () => (++polls < 2 ? running : done), 'runs.deadLetters': () => [] }));
    render(<RunsSection send={send} />);
    expect((await screen.findByTestId('run-detail')).getAttribute('data-status')).toBe('running');
    await waitFor(() => expect(screen.getByTestId('run-detail').getAttribute('data-status')).toBe('succeeded'), { timeout: 3000 });
    expect(screen.getByTestId('run-count-sent').textContent).toBe('9');
  });

  it('says when the run does not exist', async () => {
    await go('#/runs/gone');
    const { send } = fakeSend(detailHandlers({ 'runs.get': () => null }));
    render(<RunsSection send={send} />);
    expect((await screen.findByTestId('run-detail-missing')).textContent).toContain('gone');
  });

  it('pages a 10,000-batch run through runs.jobs', async () => {
    await go('#/runs/run-0001');
    const { send, callsOf } = fakeSend(
      detailHandlers({
        'runs.jobs': ({ offset = 0, limit = 25 }) => ({
          total: 10_000,
          offset,
          jobs: Array.from({ length: limit }, (_, i) => ({ id: offset + i, seq: offset + i, status: 'done' as const, attempts: 1, records: 1, preview: `{"n":${offset + i}}`, idempotencyKey: 'k', updatedAt: 0 })),
        }),
      }),
    );
    render(<RunsSection send={send} />);
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(25));
    expect(screen.getByTestId('jobs-pager-range').textContent).toBe('1–25 of 10,000');
    fireEvent.click(screen.getByTestId('jobs-pager-next'));
    await waitFor(() => expect(screen.getByTestId('jobs-pager-range').textContent).toBe('26–50 of 10,000'));
    expect(callsOf('runs.jobs').at(-1)).toEqual({ runId: 'run-0001', offset: 25, limit: 25 });
  });
});
