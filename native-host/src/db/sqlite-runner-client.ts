/**
 * The host's side of the SQLite runner (sqlite-runner.ts): one long-lived child per host, forked
 * from the host's own bundle (`ferry-host sqlite-runner <dataDir>`) on the first call that needs it,
 * with stdout and stdin closed (the host's stdout carries frames only) and stderr shared for a
 * crash's stack trace. Calls go one at a time, as they ran on the host's own thread before; the
 * others wait here.
 *
 * A cancelled call that is running SIGKILLs the runner (nothing else stops a statement inside
 * SQLite) and rejects with RequestCancelled; the next call forks a new runner. A call cancelled
 * while it waits never reaches the runner. `kill()` (shutdown, and the host's 'exit') ends the
 * runner and fails what waits; the runner also kills itself once the host is gone.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { ErrorCode, RpcError } from '../../../src/protocol';
import type { Logger } from '../logger';
import type { RunnerReply, RunnerRequest } from './sqlite-runner';

type Call = {
  /** Sent to the runner; or, for the host's own writes, `local` runs on the host's thread in turn. */
  request?: RunnerRequest;
  local?: () => unknown;
  signal: AbortSignal | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

export interface SqliteRunnerOptions {
  /** The host's bundle (self.ts: hostScriptPath()). */
  script: string;
  dataDir: string;
  logger?: Logger;
}

export class SqliteRunnerClient {
  private child: ChildProcess | undefined;
  private running: Call | undefined;
  private readonly waiting: Call[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: SqliteRunnerOptions) {}

  /** The runner's pid while one runs (tests check it is gone after a cancel). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  call<M extends RunnerRequest['method']>(method: M, params: Extract<RunnerRequest, { method: M }>['params'], signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new RpcError(ErrorCode.RequestCancelled, 'Request cancelled: the host is shutting down'));
    if (signal?.aborted) return Promise.reject(cancelled(signal));
    return new Promise((resolve, reject) => {
      const call: Call = { request: { id: this.nextId++, method, params } as RunnerRequest, signal, resolve, reject };
      signal?.addEventListener('abort', () => this.abort(call), { once: true });
      this.waiting.push(call);
      this.pump();
    });
  }

  /**
   * Runs `work` (the host's own inserts, on its own connection) in the same queue as the runner's
   * calls: one SQLite call at a time per host, in arrival order, so a runner statement holding the
   * write lock never makes a host write wait out the busy timeout on the host's thread.
   */
  exclusive<T>(work: () => T | Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new RpcError(ErrorCode.RequestCancelled, 'Request cancelled: the host is shutting down'));
    if (signal?.aborted) return Promise.reject(cancelled(signal));
    return new Promise<T>((resolve, reject) => {
      const call: Call = { local: work, signal, resolve: resolve as (value: unknown) => void, reject };
      signal?.addEventListener('abort', () => this.abort(call), { once: true });
      this.waiting.push(call);
      this.pump();
    });
  }

  /** SIGKILLs the runner and fails every call; later calls are refused. */
  kill(why = 'the host is shutting down'): void {
    this.closed = true;
    // A host write already running finishes on this thread (it has its own cancellation); runner calls end now.
    const runnerCall = this.running?.request ? this.running : undefined;
    const calls = [...(runnerCall ? [runnerCall] : []), ...this.waiting.splice(0)];
    if (runnerCall) this.running = undefined;
    this.stopChild();
    for (const call of calls) call.reject(new RpcError(ErrorCode.RequestCancelled, `Request cancelled: ${why}`));
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const call = this.waiting.shift();
    if (!call) return;
    this.running = call;
    if (call.local) {
      void this.runLocal(call, call.local);
      return;
    }
    try {
      const child = this.spawned();
      if (!child.connected) throw new Error('its IPC channel is closed');
      child.send(call.request!);
    } catch (error) {
      this.forgetBrokenChild();
      this.running = undefined;
      call.reject(runnerUnavailable(error));
      this.pump();
    }
  }

  private async runLocal(call: Call, work: () => unknown): Promise<void> {
    try {
      call.resolve(await work());
    } catch (error) {
      call.reject(error);
    } finally {
      if (this.running === call) this.running = undefined;
      this.pump();
    }
  }

  /** A child that never started (fork failed: EMFILE, EAGAIN, ENOENT) emits 'error' and never 'exit': drop it. */
  private forgetBrokenChild(): void {
    const child = this.child;
    if (child && (child.pid === undefined || !child.connected)) {
      this.child = undefined;
      child.removeAllListeners();
    }
  }

  private spawned(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(this.options.script, ['sqlite-runner', this.options.dataDir, String(process.pid)], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
      execArgv: [],
    });
    child.on('message', (reply: RunnerReply) => this.onReply(child, reply));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', (error) => {
      this.options.logger?.warn('SQLite runner error', { error: error.message });
      if (child !== this.child || (child.pid !== undefined && child.connected)) return;
      this.forgetBrokenChild();
      const call = this.running;
      if (call?.request) {
        this.running = undefined;
        call.reject(runnerUnavailable(error));
      }
      this.pump();
    });
    this.child = child;
    return child;
  }

  private onReply(child: ChildProcess, reply: RunnerReply): void {
    const call = this.running;
    if (child !== this.child || !call?.request || call.request.id !== reply.id) return;
    this.running = undefined;
    if ('result' in reply) call.resolve(reply.result);
    else if (reply.error.rpc) call.reject(new RpcError(reply.error.code!, reply.error.message, reply.error.data));
    else call.reject(new Error(reply.error.message));
    this.pump();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = undefined;
    const call = this.running?.request ? this.running : undefined;
    if (call) {
      this.running = undefined;
      this.options.logger?.warn('SQLite runner exited during a call', { code, signal });
      call.reject(new RpcError(ErrorCode.InternalError, `The SQLite runner process exited (${signal ?? `code ${code}`}) while running ${call.request!.method}; the call was not completed. Retry it; if it fails again, check the host log`));
    }
    this.pump();
  }

  private abort(call: Call): void {
    const waiting = this.waiting.indexOf(call);
    if (waiting >= 0) {
      this.waiting.splice(waiting, 1);
      call.reject(cancelled(call.signal!));
      return;
    }
    if (this.running !== call) return;
    // The host's own write runs on this thread and has its own cancellation (runBatches); let it end.
    if (call.local) return;
    // The statement may be stuck inside SQLite: only killing the process stops it.
    this.running = undefined;
    this.stopChild();
    call.reject(cancelled(call.signal!));
    this.pump();
  }

  private stopChild(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.removeAllListeners('message');
    child.kill('SIGKILL');
    // The channel holds the host's event loop otherwise until the child is reaped.
    if (child.connected) child.disconnect();
    child.unref();
  }
}

function cancelled(signal: AbortSignal): RpcError {
  const reason: unknown = signal.reason;
  return reason instanceof RpcError ? reason : new RpcError(ErrorCode.RequestCancelled, 'Request cancelled');
}

function runnerUnavailable(error: unknown): RpcError {
  const why = error instanceof Error ? error.message : String(error);
  return new RpcError(ErrorCode.DbConnectionUnavailable, `Could not start the process that runs SQLite statements (${why}); the call was not run. Retry it; if it fails again, check the host log and the system's process and open-file limits`, { reason: 'runnerUnavailable' });
}
