import { describe, expect, it, vi } from 'vitest';
import { CANCEL_GRACE_MS, PostgresPool } from './pools';

/** A stand-in for a pooled pg client: records what it was sent, fails the statements in `failing`. */
function fakeClient(options: { txStatus?: 'I' | 'T' | 'E'; failing?: string[] } = {}) {
  const sent: string[] = [];
  const release = vi.fn();
  const client = {
    sent,
    release,
    on: () => client,
    getTransactionStatus: () => options.txStatus ?? 'I',
    connection: { parsedStatements: { stale: 'SELECT 1' }, submittedNamedStatements: {} },
    query: async (text: string) => {
      sent.push(text.startsWith('SELECT current_user') ? 'ROLE QUERY' : text);
      if (options.failing?.includes(text)) throw new Error(`${text} failed`);
      return { rows: [{ role: 'ferry', superuser: false, readServerFiles: false, writeServerFiles: false, executeServerProgram: false, createRole: false, bypassRls: false }] };
    },
  };
  return client;
}

function poolOf(connect: () => Promise<unknown>): PostgresPool {
  const pool = new PostgresPool({ type: 'postgresql', host: '127.0.0.1', port: 5432, database: 'test', username: 'ferry' });
  Object.defineProperty(pool, 'pool', { value: { connect, totalCount: 0, idleCount: 0, on: () => undefined, end: async () => undefined } });
  return pool;
}

describe('PostgresPool.with', () => {
  it('returns the connection reset (ROLLBACK only inside a transaction, then DISCARD ALL) and forgets its prepared statements', async () => {
    const client = fakeClient({ txStatus: 'E' });
    const pool = poolOf(async () => client);
    await expect(pool.with(async () => { throw new Error('the call failed'); })).rejects.toThrow('the call failed');
    expect(client.sent).toEqual(['ROLE QUERY', 'ROLLBACK', 'DISCARD ALL']);
    expect(client.connection.parsedStatements).toEqual({});
    expect(client.release).toHaveBeenCalledWith(undefined);

    const idle = fakeClient();
    await poolOf(async () => idle).with(async () => 'done');
    expect(idle.sent).toEqual(['ROLE QUERY', 'DISCARD ALL']);
  });

  it('destroys the connection (release with the error) when the reset fails', async () => {
    const client = fakeClient({ failing: ['DISCARD ALL'] });
    expect(await poolOf(async () => client).with(async () => 42)).toBe(42);
    expect(client.release).toHaveBeenCalledWith(expect.objectContaining({ message: 'DISCARD ALL failed' }));
  });

  it('stops waiting for a connection when the signal aborts, and gives back the one that comes later, unused', async () => {
    let handOver!: (client: unknown) => void;
    const client = fakeClient();
    const pool = poolOf(() => new Promise((resolve) => (handOver = resolve)));
    const controller = new AbortController();
    const fn = vi.fn(async () => 'ran');
    const call = pool.with(fn, { signal: controller.signal });
    controller.abort(new Error('cancelled by the client'));
    await expect(call).rejects.toThrow('cancelled by the client');
    handOver(client);
    await vi.waitFor(() => expect(client.release).toHaveBeenCalledWith());
    expect(fn).not.toHaveBeenCalled();
    expect(client.sent).toEqual([]);
  });

  it('destroys the connection of a cancelled statement that keeps running CANCEL_GRACE_MS after the cancel', async () => {
    vi.useFakeTimers();
    try {
      // No backend key: the cancel request cannot be sent (as when a proxy drops it), the statement never ends.
      const client = fakeClient();
      const pool = poolOf(async () => client);
      const controller = new AbortController();
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const call = pool.with(() => (started(), new Promise(() => undefined)), { signal: controller.signal });
      const settled = call.catch((error: unknown) => error);
      await running;
      controller.abort(new Error('cancelled by the client'));
      await vi.advanceTimersByTimeAsync(CANCEL_GRACE_MS - 100);
      expect(client.release).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(200);
      expect(await settled).toMatchObject({ message: 'cancelled by the client' });
      expect(client.release).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/kept running/) }));
      expect(client.sent).not.toContain('DISCARD ALL');
    } finally {
      vi.useRealTimers();
    }
  });
});
