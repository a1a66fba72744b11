/**
 * A NativePort over a real host process, behaving as Chrome's port does: objects in and out as JSON,
 * frames in native byte order, and the port closed with Chrome's own messages when the host exits or
 * sends a frame above 1 MiB. Lets the extension's NativeClient run against the real host in Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { CHROME_HOST_TO_BROWSER_LIMIT, FrameReader, encodeFrame } from '../../src/protocol/framing';
import { CHROME_EXTENSION_ORIGIN } from '../../src/protocol/identity';
import type { NativePort, PortConnector } from '../../src/native/port';
import { HOST_BUNDLE } from './paths';

const LE = os.endianness() === 'LE';
type Listener<T extends unknown[]> = (...args: T) => void;

function event<T extends unknown[]>() {
  const listeners = new Set<Listener<T>>();
  return {
    listeners,
    addListener: (l: Listener<T>) => void listeners.add(l),
    removeListener: (l: Listener<T>) => void listeners.delete(l),
    emit: (...args: T) => [...listeners].forEach((l) => l(...args)),
  };
}

export class HostProcessPort implements NativePort {
  readonly child: ChildProcess;
  readonly onMessage = event<[unknown]>();
  readonly onDisconnect = event<[NativePort]>();
  error: { message: string } | null = null;
  private closed = false;

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [HOST_BUNDLE, 'serve', CHROME_EXTENSION_ORIGIN], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
    const reader = new FrameReader({ maxFrameBytes: 2 ** 31, littleEndian: LE });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      for (const ev of reader.push(chunk)) {
        if (ev.type !== 'frame') continue;
        if (ev.body.byteLength > CHROME_HOST_TO_BROWSER_LIMIT) return this.fail('Error when communicating with the native messaging host.');
        const message: unknown = JSON.parse(Buffer.from(ev.body).toString('utf8'));
        this.onMessage.emit(message);
      }
    });
    this.child.on('exit', () => this.fail('Native host has exited.'));
    this.child.stdin!.on('error', () => undefined);
  }

  postMessage(message: unknown): void {
    if (this.closed) throw new Error('Attempting to use a disconnected port object');
    this.child.stdin!.write(encodeFrame(JSON.stringify(message), LE));
  }

  disconnect(): void {
    this.closed = true;
    this.child.stdin!.end();
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.error = { message: reason };
    this.child.kill();
    this.onDisconnect.emit(this);
  }
}

export function hostProcessConnector(env: NodeJS.ProcessEnv): PortConnector & { ports: HostProcessPort[] } {
  const ports: HostProcessPort[] = [];
  return {
    ports,
    connect: () => {
      const port = new HostProcessPort(env);
      ports.push(port);
      return port;
    },
    reasonOf: (port) => port.error?.message ?? undefined,
  };
}
