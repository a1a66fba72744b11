/**
 * A stand-in for a browser, for tests/host/client-vanishes.test.ts: spawns the host (the bundle
 * given as argv[2]) with pipes it alone owns, reports the host's pid, keeps calls in flight, and
 * then does what the test asks, one command per line on its own stdin:
 *
 *   close-stdout   destroys its end of the host's stdout (the host's next write fails with EPIPE)
 *   close-stderr   the same for the host's stderr
 *   close-stdin    ends the host's stdin (EOF)
 *   stop-reading   stops reading the host's stdout (the pipe fills)
 *   echo-big       asks for a 4 MB echo, which fills a pipe nobody reads
 *
 * It answers each command with a JSON line, and reports `{"replied":true}` when the host's first
 * reply arrives. The test kills it with SIGKILL, so it never closes anything on its way out.
 */
import { spawn } from 'node:child_process';
import { endianness } from 'node:os';
import { createInterface } from 'node:readline';

const bundle = process.argv[2];
const littleEndian = endianness() === 'LE';
const host = spawn(process.execPath, [bundle, 'serve'], {
  env: { ...process.env, FERRY_HOST_TEST_METHODS: '1' },
  stdio: ['pipe', 'pipe', 'pipe'],
});
const report = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
report({ hostPid: host.pid });

// Closing a pipe end on purpose makes later writes fail; those failures are the point, not news.
for (const stream of [host.stdin, host.stdout, host.stderr]) stream.on('error', () => undefined);
host.on('exit', (code, signal) => report({ hostExit: { code, signal } }));

function send(message) {
  const body = Buffer.from(JSON.stringify(message));
  const head = Buffer.alloc(4);
  if (littleEndian) head.writeUInt32LE(body.byteLength);
  else head.writeUInt32BE(body.byteLength);
  host.stdin.write(Buffer.concat([head, body]));
}

let replied = false;
host.stdout.on('data', () => {
  if (replied) return;
  replied = true;
  report({ replied: true });
});
host.stderr.resume();

send({ jsonrpc: '2.0', id: 1, method: 'system.ping' });
// Calls in flight that write to stdout often (progress), so a closed stdout is noticed at once.
for (let id = 2; id <= 6; id++) send({ jsonrpc: '2.0', id, method: 'test.sleep', params: { ms: 60_000, progressEveryMs: 20 } });

const commands = {
  'close-stdout': () => host.stdout.destroy(),
  'close-stderr': () => host.stderr.destroy(),
  'close-stdin': () => host.stdin.end(),
  'stop-reading': () => host.stdout.pause(),
  'echo-big': () => send({ jsonrpc: '2.0', id: 7, method: 'system.echo', params: { payload: 'x'.repeat(4_000_000) } }),
};
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = commands[line.trim()];
  if (!command) return report({ error: `unknown command ${line}` });
  command();
  report({ done: line.trim() });
});
