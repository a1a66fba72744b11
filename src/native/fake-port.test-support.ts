/** An in-memory NativePort for unit tests: records what the client posts and lets a test answer. */
import type { NativePort, PortConnector } from './port';

type Listener<T extends unknown[]> = (...args: T) => void;

class FakeEvent<T extends unknown[]> {
  readonly listeners = new Set<Listener<T>>();
  addListener(l: Listener<T>) {
    this.listeners.add(l);
  }
  removeListener(l: Listener<T>) {
    this.listeners.delete(l);
  }
  emit(...args: T) {
    for (const l of [...this.listeners]) l(...args);
  }
}

export class FakePort implements NativePort {
  readonly posted: unknown[] = [];
  readonly onMessage = new FakeEvent<[unknown]>();
  readonly onDisconnect = new FakeEvent<[NativePort]>();
  disconnected = false;
  closeReason: string | undefined;
  /** Called for every posted message; lets a test play the host. */
  onPost: ((message: unknown, port: FakePort) => void) | undefined;

  postMessage(message: unknown): void {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    // The browser serializes to JSON: do the same so tests see what would go on the wire.
    const copy = JSON.parse(JSON.stringify(message));
    this.posted.push(copy);
    this.onPost?.(copy, this);
  }
  disconnect(): void {
    this.disconnected = true;
  }
  /** Host → client. */
  deliver(message: unknown): void {
    this.onMessage.emit(JSON.parse(JSON.stringify(message)));
  }
  /** The host went away, with the browser's reason. */
  close(reason: string): void {
    this.closeReason = reason;
    this.disconnected = true;
    this.onDisconnect.emit(this);
  }
}

export function fakeConnector(setup?: (port: FakePort) => void): PortConnector & { ports: FakePort[] } {
  const ports: FakePort[] = [];
  return {
    ports,
    connect() {
      const port = new FakePort();
      setup?.(port);
      ports.push(port);
      return port;
    },
    reasonOf: (port) => (port as FakePort).closeReason,
  };
}

/** A host that answers every request like Ferry's would for ping and echo. */
export function echoHost(port: FakePort): void {
  port.onPost = (message, p) => {
    const m = message as { id?: number; method: string; params?: { payload?: unknown } };
    if (m.id === undefined) return;
    queueMicrotask(() => {
      if (m.method === 'system.ping') p.deliver({ jsonrpc: '2.0', id: m.id, result: { pong: true, time: 1 } });
      else if (m.method === 'system.echo') p.deliver({ jsonrpc: '2.0', id: m.id, result: { payload: m.params?.payload } });
    });
  };
}
