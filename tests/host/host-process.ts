/**
 * Drives the real host process over real frames: spawns `node native-host/dist/ferry-host.mjs serve`
 * (built once per run by global-setup.ts), or any command such as the installed launcher, with a
 * throwaway FERRY_HOME, reads its stdout with the protocol's FrameReader and keeps every frame. Every
 * byte of stdout must belong to a frame whose body is JSON: anything else (a stray console.log) is
 * recorded as garbage and fails the test through `assertCleanStdout()`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import {
  CHROME_HOST_TO_BROWSER_LIMIT,
  ChunkAssembler,
  FrameReader,
  encodeFrame,
  type RequestId,
} from '../../src/protocol';
import { HOST_BUNDLE } from '../support/paths';

export const LITTLE_ENDIAN = os.endianness() === 'LE';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `ferry-${prefix}-`));
}

/** The environment without anything that could point the host at the real user's files. */
export function isolatedEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('FERRY_') || key.startsWith('XDG_')) delete env[key];
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export interface HostOptions {
  /** Extra environment (FERRY_HOME and FERRY_HOST_TEST_METHODS=1 are set unless overridden). */
  env?: Record<string, string | undefined>;
  /** Arguments after `serve` (what a browser passes). */
  args?: string[];
  /** Run this executable with `args` instead of the bundle (e.g. the launcher). */
  command?: string;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions index freely

export class HostProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly home: string;
  /** Every frame body received, raw. */
  readonly frames: Buffer[] = [];
  /** Every message received, in order; `$/chunk` streams appear once, reassembled. */
  readonly messages: Json[] = [];
  /** Problems with stdout: bodies that are not JSON, frames above Chrome's limit. */
  readonly garbage: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private readonly reader = new FrameReader({ maxFrameBytes: 2 ** 31, littleEndian: LITTLE_ENDIAN });
  private readonly assembler = new ChunkAssembler({ maxMessageBytes: 2 ** 30 });
  private waiters: { test: (m: Json) => boolean; resolve: (m: Json) => void }[] = [];
  private ownsHome: boolean;

  constructor(options: HostOptions = {}) {
    this.ownsHome = options.env?.FERRY_HOME === undefined;
    this.home = options.env?.FERRY_HOME ?? tempDir('host');
    const env = isolatedEnv({ FERRY_HOME: this.home, FERRY_HOST_TEST_METHODS: '1', ...options.env });
    const [command, args] = options.command
      ? [options.command, options.args ?? []]
      : [process.execPath, [HOST_BUNDLE, 'serve', ...(options.args ?? [])]];
    this.child = spawn(command, args, { env, stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    // The host may exit before reading everything we wrote (tests of refusal and truncation).
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** Sends one message (serialized here) or a raw body string as one frame. */
  send(message: unknown): void {
    this.sendText(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendText(body: string): void {
    this.write(encodeFrame(body, LITTLE_ENDIAN));
  }

  write(bytes: Uint8Array): void {
    this.child.stdin.write(bytes);
  }

  /** Writes, waiting for the pipe to drain when it pushes back. */
  async writeAndDrain(bytes: Uint8Array): Promise<void> {
    if (!this.child.stdin.write(bytes)) await new Promise((resolve) => this.child.stdin.once('drain', resolve));
  }

  /** Stops reading the host's stdout, as a busy browser would; the pipe fills and pushes back. */
  pauseOutput(): void {
    this.child.stdout.pause();
  }

  resumeOutput(): void {
    this.child.stdout.resume();
  }

  endInput(): void {
    this.child.stdin.end();
  }

  /** Sends a request and resolves with its response. */
  async call(id: RequestId, method: string, params?: unknown, timeoutMs = 10_000): Promise<Json> {
    this.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    return this.responseTo(id, timeoutMs);
  }

  responseTo(id: RequestId | null, timeoutMs = 10_000): Promise<Json> {
    return this.waitFor((m) => isResponse(m) && m.id === id, `a response to id ${JSON.stringify(id)}`, timeoutMs);
  }

  /** Resolves with the first message (already received or to come) that passes `test`. */
  waitFor(test: (m: Json) => boolean, what = 'a matching message', timeoutMs = 10_000): Promise<Json> {
    const found = this.messages.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = { test, resolve: (m: Json) => (clearTimeout(timer), resolve(m)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received ${this.messages.length} messages; stderr:\n${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits until `count` messages have arrived, then `settleMs` more to catch any extra. */
  async collect(count: number, settleMs = 100, timeoutMs = 10_000): Promise<Json[]> {
    await this.waitFor(() => this.messages.length >= count, `${count} messages`, timeoutMs);
    await new Promise((r) => setTimeout(r, settleMs));
    return this.messages;
  }

  /** Fails unless every byte of stdout so far formed complete frames of JSON, each within Chrome's limit. */
  assertCleanStdout(): void {
    const problems = [...this.garbage];
    if (this.reader.inFrame) problems.push(`stdout ended mid-frame: ${this.reader.describeTruncation()}`);
    if (problems.length > 0) throw new Error(`stdout is not clean:\n${problems.join('\n')}`);
  }

  logText(): string {
    try {
      return readFileSync(path.join(this.home, 'logs', 'host.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Ends input and waits for the exit; kills the process if it does not exit in time. */
  async stop(timeoutMs = 5_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.endInput();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsHome) rmSync(this.home, { recursive: true, force: true });
  }

  private onStdout(chunk: Buffer): void {
    for (const event of this.reader.push(chunk)) {
      if (event.type !== 'frame') continue;
      const body = Buffer.from(event.body);
      this.frames.push(body);
      if (body.byteLength > CHROME_HOST_TO_BROWSER_LIMIT) {
        this.garbage.push(`frame of ${body.byteLength} bytes exceeds Chrome's 1 MiB host-to-browser limit`);
      }
      let message: Json;
      try {
        message = JSON.parse(body.toString('utf8'));
      } catch {
        this.garbage.push(`frame body is not JSON: ${JSON.stringify(body.subarray(0, 80).toString('latin1'))}`);
        continue;
      }
      if (message?.method === '$/chunk') {
        const text = this.assembler.accept(message.params);
        if (text === undefined) continue;
        message = JSON.parse(text);
      }
      this.messages.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.test(message)) {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          waiter.resolve(message);
        }
      }
    }
  }
}

/**
 * Returns a function that starts hosts, each stopped (and its FERRY_HOME removed) after the test that
 * started it. With `assertCleanStdout`, a host whose stdout was not clean then fails that test.
 */
export function hostsForEachTest(options: { assertCleanStdout?: boolean } = {}): (hostOptions?: HostOptions) => HostProcess {
  const hosts: HostProcess[] = [];
  afterEach(async () => {
    const started = hosts.splice(0);
    await Promise.all(started.map((host) => host.dispose()));
    if (options.assertCleanStdout) for (const host of started) host.assertCleanStdout();
  });
  return (hostOptions) => {
    const host = new HostProcess(hostOptions);
    hosts.push(host);
    return host;
  };
}

export function isResponse(m: Json): boolean {
  return typeof m === 'object' && m !== null && !Array.isArray(m) && ('result' in m || 'error' in m);
}

export function framesOf(messages: unknown[]): Uint8Array {
  const frames = messages.map((m) => encodeFrame(typeof m === 'string' ? m : JSON.stringify(m), LITTLE_ENDIAN));
  return Buffer.concat(frames);
}
