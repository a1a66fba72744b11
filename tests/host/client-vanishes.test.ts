/**
 * A host whose client vanishes must exit by itself, quickly, quietly and without spinning: the
 * client here is a real process (vanishing-client.mjs) that owns the host's pipes and is killed with
 * SIGKILL, or first closes the host's pipes one by one. Each case waits for the host's pid to go
 * (with a deadline), samples its CPU time from /proc until then, and reads its host.log.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_BUNDLE } from '../support/paths';
import { isolatedEnv, tempDir } from './host-process';
import { sample } from './proc-stat';

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vanishing-client.mjs');
/** Generous: the host needs 2 s of grace for its calls (FERRY_HOST_SHUTDOWN_GRACE_MS) and a loaded machine. */
const EXIT_DEADLINE_MS = 20_000;
/** CPU seconds (user + system) a host may use in all, start-up included: a spinning one uses a core. */
const MAX_CPU_SECONDS = 3;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed report lines

/** The client process and what it reports, line by line. */
class Client {
  readonly child: ChildProcessWithoutNullStreams;
  readonly home = tempDir('vanish');
  private readonly lines: Json[] = [];
  private waiters: (() => void)[] = [];

  constructor(env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CLIENT, HOST_BUNDLE], { env: isolatedEnv({ FERRY_HOME: this.home, ...env }), stdio: 'pipe' });
    let buffer = '';
    this.child.stdout.setEncoding('utf8').on('data', (text: string) => {
      buffer += text;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        this.lines.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.stdin.on('error', () => undefined);
  }

  async report(test: (line: Json) => boolean, what: string): Promise<Json> {
    const deadline = Date.now() + EXIT_DEADLINE_MS;
    for (;;) {
      const found = this.lines.find(test);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`the client never reported ${what}; it reported ${JSON.stringify(this.lines)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  async hostPid(): Promise<number> {
    return (await this.report((l) => typeof l.hostPid === 'number', 'the host pid')).hostPid as number;
  }

  async command(name: string): Promise<void> {
    this.child.stdin.write(`${name}\n`);
    await this.report((l) => l.done === name, `done ${name}`);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  logLines(): string[] {
    try {
      return readFileSync(path.join(this.home, 'logs', 'host.log'), 'utf8').split('\n').filter((l) => l !== '');
    } catch {
      return [];
    }
  }
}

/** Waits until `pid` is gone (or a zombie nobody reaped yet); resolves with the last CPU time seen. */
async function hostGone(pid: number): Promise<{ gone: boolean; cpu: number }> {
  const deadline = Date.now() + EXIT_DEADLINE_MS;
  let cpu = 0;
  for (;;) {
    const now = sample(pid);
    if (now === null) return { gone: true, cpu };
    cpu = now.cpu;
    if (now.state === 'Z' || now.state === 'X') return { gone: true, cpu };
    if (Date.now() > deadline) return { gone: false, cpu };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const started: { client: Client; hostPid?: number }[] = [];
afterEach(() => {
  // Whatever happened, no process outlives its test.
  for (const { client, hostPid } of started.splice(0)) {
    client.kill();
    if (hostPid !== undefined && sample(hostPid)?.state !== 'Z') {
      try {
        process.kill(hostPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(client.home, { recursive: true, force: true });
  }
});

async function startClient(env?: Record<string, string>): Promise<{ client: Client; hostPid: number }> {
  const client = new Client(env);
  const entry: { client: Client; hostPid?: number } = { client };
  started.push(entry);
  entry.hostPid = await client.hostPid();
  await client.report((l) => l.replied === true, 'the first reply');
  return { client, hostPid: entry.hostPid };
}

/** The host exited by itself, used little CPU, and logged only a few lines, none about uncaught errors. */
async function expectQuietExit(client: Client, hostPid: number): Promise<void> {
  const { gone, cpu } = await hostGone(hostPid);
  const lines = client.logLines();
  expect(gone, `host ${hostPid} still runs ${EXIT_DEADLINE_MS} ms later; its log:\n${lines.slice(-20).join('\n')}`).toBe(true);
  expect(cpu, `CPU seconds used by the host; its log:\n${lines.slice(-20).join('\n')}`).toBeLessThan(MAX_CPU_SECONDS);
  expect(lines.join('\n')).not.toContain('uncaught exception');
  // host started, shutting down, cancelling calls, stdout/stderr closed, exit: a handful.
  expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(10);
  expect(lines.at(-1)).toMatch(/INFO .* exit code=0/);
}

describe('a host whose client vanishes', () => {
  it('exits when its client is killed 50 ms after the first reply, with calls in flight', async () => {
    const { client, hostPid } = await startClient();
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.kill();
    await expectQuietExit(client, hostPid);
  });

  it('exits when stderr closes first and the client is killed after', async () => {
    const { client, hostPid } = await startClient();
    await client.command('close-stderr');
    client.kill();
    await expectQuietExit(client, hostPid);
    expect(client.logLines().join('\n')).toContain('stderr closed; logging to the file only');
  });

  it('exits when only stdout closes, while its stdin stays open', async () => {
    const { client, hostPid } = await startClient();
    await client.command('close-stdout');
    await expectQuietExit(client, hostPid);
    const log = client.logLines().join('\n');
    expect(log).toContain('stdout closed; dropping outgoing frames');
    expect(log).toContain('reason="stdout closed"');
  });

  it('exits when stdin ends with calls in flight, then stdout closes, then the client dies', async () => {
    const { client, hostPid } = await startClient();
    await client.command('close-stdin');
    await client.command('close-stdout');
    client.kill();
    await expectQuietExit(client, hostPid);
    expect(client.logLines().join('\n')).toContain('reason="stdin ended"');
  });

  it('exits when stderr, stdout and stdin close in that order, the client still alive', async () => {
    const { client, hostPid } = await startClient();
    await client.command('close-stderr');
    await client.command('close-stdout');
    await client.command('close-stdin');
    await expectQuietExit(client, hostPid);
  });

  it('exits on SIGTERM while stdout is full and stderr fails', async () => {
    // A small bound on unsent replies, so the host reports (in its log) when stdout stops taking them.
    const { client, hostPid } = await startClient({ FERRY_HOST_MAX_UNSENT_BYTES: String(1024 * 1024) });
    await client.command('stop-reading');
    await client.command('close-stderr');
    await client.command('echo-big');
    // Wait until the host is blocked on a full stdout: the echo is answered but cannot leave.
    const deadline = Date.now() + EXIT_DEADLINE_MS;
    const blocked = (): boolean => client.logLines().some((l) => l.includes('pausing input'));
    while (!blocked() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(blocked(), client.logLines().join('\n')).toBe(true);
    process.kill(hostPid, 'SIGTERM');
    await expectQuietExit(client, hostPid);
    const log = client.logLines().join('\n');
    expect(log).toContain('signal received signal=SIGTERM');
    expect(log).toContain('dropping unsent frames');
  });
});
