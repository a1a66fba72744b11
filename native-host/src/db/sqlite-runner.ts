/**
 * `ferry-host sqlite-runner <dataDir>`: the child process that runs a pipeline's own SQL on SQLite
 * (sqlite-calls.ts) for the host (sqlite-runner-client.ts). better-sqlite3 runs a statement on the
 * calling thread and this build exposes neither a progress handler nor sqlite3_interrupt, so one
 * `WITH RECURSIVE` without end would hold any thread it runs on forever; a process can be SIGKILLed.
 *
 * It opens the same files as the host (connections.ts: same data dir, WAL, same hardening), takes
 * one call at a time over its IPC channel and answers `{ id, result }` or `{ id, error }`, an
 * RpcError's code, message and data unchanged. It ends when the channel closes ('disconnect'); and
 * since a stuck statement keeps that event from ever running, a watchdog thread checks that the
 * host is still its parent and SIGKILLs this process once it is not.
 */
import { Worker } from 'node:worker_threads';
import { isRpcError } from '../../../src/protocol';
import { DatabaseConnections, type ConnectionTarget } from './connections';
import { sqliteExecute, sqliteSelect, type SqliteExecuteParams, type SqliteSelectParams } from './sqlite-calls';

export type RunnerRequest =
  | { id: number; method: 'db.select'; params: SqliteSelectParams & ConnectionTarget }
  | { id: number; method: 'db.execute'; params: SqliteExecuteParams & ConnectionTarget };

export type RunnerReply =
  | { id: number; result: unknown }
  | { id: number; error: { code?: number; message: string; data?: unknown; rpc: boolean } };

const WATCHDOG_MS = 500;

/** Serves the host until the IPC channel closes; resolves with the exit code. */
export function runSqliteRunner(args: readonly string[]): Promise<number> {
  const [dataDir, hostPid] = args;
  if (!dataDir || !process.send) {
    process.stderr.write('ferry-host sqlite-runner is started by ferry-host serve, with its data dir and an IPC channel\n');
    return Promise.resolve(2);
  }
  // The host names itself: had it died before this line, process.ppid would already be init's, and
  // the watchdog would guard the wrong parent while a buffered request ran forever.
  const parent = hostPid === undefined ? process.ppid : Number(hostPid);
  if (process.ppid !== parent) return Promise.resolve(0);
  watchParent(parent);
  const connections = new DatabaseConnections(dataDir);
  return new Promise((resolve) => {
    process.on('message', (message: RunnerRequest) => {
      process.send!(answer(connections, message));
    });
    process.once('disconnect', () => {
      connections.closeSqlite();
      resolve(0);
    });
  });
}

function answer(connections: DatabaseConnections, request: RunnerRequest): RunnerReply {
  try {
    const db = connections.get(request.params);
    const result = request.method === 'db.select' ? sqliteSelect(db, request.params) : sqliteExecute(db, request.params);
    return { id: request.id, result };
  } catch (error) {
    if (isRpcError(error)) return { id: request.id, error: { code: error.code, message: error.message, data: error.data, rpc: true } };
    return { id: request.id, error: { message: error instanceof Error ? error.message : String(error), rpc: false } };
  }
}

/**
 * A thread of its own, so it runs while the main thread is inside SQLite: once the host is gone
 * (this process has another parent), SIGKILL this process. process.exit() would wait for the
 * stuck main thread; a signal does not.
 */
function watchParent(parent: number): void {
  const code = `
    const { workerData } = require('node:worker_threads');
    setInterval(() => {
      if (process.ppid !== workerData.parent) process.kill(workerData.self, 'SIGKILL');
    }, workerData.everyMs);
  `;
  new Worker(code, { eval: true, workerData: { parent, self: process.pid, everyMs: WATCHDOG_MS } }).unref();
}
