/**
 * A pipeline's SQL on SQLite runs in a child process of the host (native-host/src/db/sqlite-runner.ts),
 * so a statement that never ends cannot hang the host: the review's `WITH RECURSIVE` without end is
 * cancelled with $/cancelRequest (the runner is SIGKILLed, the host answers at once and keeps
 * serving), ended by SIGTERM to the host, and outlived by no runner when the host is killed. Each
 * case finds the runner through /proc (a child of the host running `sqlite-runner`), waits until
 * it is busy in the statement, and checks afterwards that its pid is gone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol';
import { hostsForEachTest, type HostProcess } from './host-process';
import { sample } from './proc-stat';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const startHost = hostsForEachTest({ assertCleanStdout: true });
const FOREVER = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r';
/** Generous: a loaded two-core machine, and the host's 2 s grace for running calls on shutdown. */
const DEADLINE_MS = 20_000;
let nextId = 1;
const runners: number[] = [];

afterEach(() => {
  // Whatever happened, no runner outlives its test.
  for (const pid of runners.splice(0)) {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});

function alive(pid: number): boolean {
  const now = sample(pid);
  return now !== null && now.state !== 'Z' && now.state !== 'X';
}

/** Pids of the live `sqlite-runner` processes whose parent is `hostPid`. */
function runnersOf(hostPid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (sample(pid)?.ppid !== hostPid || !alive(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('sqlite-runner')) found.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function until<T>(what: string, test: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = test();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function ok(host: HostProcess, method: string, params?: unknown): Promise<Json> {
  const response = await host.call(nextId++, method, params, DEADLINE_MS);
  expect(response.error, JSON.stringify(response.error)).toBeUndefined();
  return response.result;
}

/** Starts the endless query and resolves with its id and the runner's pid once the runner is busy in it. */
async function stuck(host: HostProcess): Promise<{ id: number; runner: number }> {
  await ok(host, 'db.select', { query: 'SELECT 1 AS warm' });
  const [runner] = await until('the host has a runner', () => {
    const pids = runnersOf(host.child.pid!);
    return pids.length === 1 && pids;
  });
  runners.push(runner!);
  const before = sample(runner!)!.cpu;
  const id = nextId++;
  host.send({ jsonrpc: '2.0', id, method: 'db.select', params: { query: FOREVER } });
  await until('the runner is busy in the statement', () => (sample(runner!)?.cpu ?? 0) > before + 0.3);
  return { id, runner: runner! };
}

describe('the SQLite runner', () => {
  it('cancels an endless query by killing its runner; the host answers, keeps serving, and runs queued calls on a new runner', async () => {
    const host = startHost();
    const { id, runner } = await stuck(host);
    // A call queued behind the stuck one, sent before the cancel.
    const queued = nextId++;
    host.send({ jsonrpc: '2.0', id: queued, method: 'db.select', params: { query: 'SELECT 2 AS queued' } });
    host.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } });
    const cancelled = await host.responseTo(id, DEADLINE_MS);
    expect(cancelled.error).toMatchObject({ code: ErrorCode.RequestCancelled });
    expect(await ok(host, 'system.ping')).toMatchObject({ pong: true });
    expect((await host.responseTo(queued, DEADLINE_MS)).result.rows).toEqual([{ queued: 2 }]);
    expect((await ok(host, 'db.select', { query: 'SELECT 3 AS after' })).rows).toEqual([{ after: 3 }]);
    await until('the stuck runner is gone', () => !alive(runner));
    const [next] = runnersOf(host.child.pid!);
    expect(next).toBeDefined();
    expect(next).not.toBe(runner);
    runners.push(next!);
    // db.execute runs there too, with the same answers as before.
    expect(await ok(host, 'db.execute', { query: 'CREATE TABLE IF NOT EXISTS t (a)' })).toEqual({ changes: 0 });
    expect(await ok(host, 'db.execute', { query: 'INSERT INTO t VALUES (1)' })).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect((await host.call(nextId++, 'db.execute', { query: 'BEGIN' })).error).toMatchObject({ code: ErrorCode.DbSchemaChangeRefused });
  });

  it('queues the host\'s own inserts behind a runner statement that holds the write lock: once that is cancelled, the insert lands instead of failing as busy', async () => {
    const host = startHost();
    await ok(host, 'db.execute', { query: 'CREATE TABLE IF NOT EXISTS locked (a)' });
    await ok(host, 'db.insert', { table: 'locked', data: { a: 0 } });
    const [runner] = runnersOf(host.child.pid!);
    runners.push(runner!);
    const before = sample(runner!)!.cpu;
    // An endless write: it takes SQLite's write lock and keeps it.
    const writing = nextId++;
    host.send({ jsonrpc: '2.0', id: writing, method: 'db.execute', params: { query: `UPDATE locked SET a = a + 1 WHERE (${FOREVER}) > 0` } });
    await until('the runner is busy in the write', () => (sample(runner!)?.cpu ?? 0) > before + 0.3);
    const inserting = nextId++;
    host.send({ jsonrpc: '2.0', id: inserting, method: 'db.insert', params: { table: 'locked', data: { a: 1 } } });
    // The host's thread stays free meanwhile: it answers at once rather than after a busy timeout.
    expect(await ok(host, 'system.ping')).toMatchObject({ pong: true });
    host.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: writing } });
    expect((await host.responseTo(writing, DEADLINE_MS)).error).toMatchObject({ code: ErrorCode.RequestCancelled });
    expect((await host.responseTo(inserting, DEADLINE_MS)).result).toMatchObject({ inserted: 1 });
    expect((await ok(host, 'db.select', { query: 'SELECT a FROM locked ORDER BY a' })).rows).toEqual([{ a: 0 }, { a: 1 }]);
    await until('the stuck runner is gone', () => !alive(runner!));
    runners.push(...runnersOf(host.child.pid!));
  });

  it('exits on SIGTERM while the runner is stuck, and leaves no runner behind', async () => {
    const host = startHost();
    const { id, runner } = await stuck(host);
    host.child.kill('SIGTERM');
    const exit = await until('the host exits', () => host.child.exitCode !== null && { code: host.child.exitCode });
    expect(exit.code).toBe(0);
    expect((await host.responseTo(id, 1000)).error).toMatchObject({ code: ErrorCode.RequestCancelled });
    await until('the runner is gone', () => !alive(runner));
  });

  it('leaves no runner spinning when the host itself is SIGKILLed mid-statement', async () => {
    const host = startHost();
    const { runner } = await stuck(host);
    host.child.kill('SIGKILL');
    await host.exited;
    // The runner's watchdog thread notices its parent is gone and kills it, stuck statement or not.
    await until('the orphaned runner is gone', () => !alive(runner));
  });
});
