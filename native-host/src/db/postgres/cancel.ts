/**
 * Cancels the statement a pooled connection is running, on the server: PostgreSQL's CancelRequest
 * (protocol message: length 16, code 80877102, the backend's process id and secret key from its
 * BackendKeyData) sent over a connection of its own. It needs no login and no privilege, unlike
 * pg_cancel_backend() from another pooled connection, which also needs a free one. The server reads
 * the request, signals the backend and closes the socket; waiting for that close matters: once it
 * is closed the signal has been sent, so a cancel that arrives after the statement ended is consumed
 * while the backend waits for its next command and cannot hit the session reset or a later call.
 */
import { connect, type Socket } from 'node:net';
import type pg from 'pg';

const CANCEL_REQUEST_CODE = 80877102;
export const CANCEL_TIMEOUT_MS = 5000;

export interface CancelTarget {
  host: string;
  port: number;
}

/** The CancelRequest message for a backend. */
export function cancelRequest(processID: number, secretKey: number): Buffer {
  const message = Buffer.alloc(16);
  message.writeInt32BE(16, 0);
  message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  message.writeInt32BE(processID, 8);
  message.writeInt32BE(secretKey, 12);
  return message;
}

/**
 * Resolves true once the server has taken the request (closed the socket), false when it could not
 * be sent (the backend's key is unknown, the server unreachable, no answer within `timeoutMs`).
 * TLS is not needed: the request holds no secret but the key, and servers take it in the clear.
 */
export function cancelOnServer(client: pg.ClientBase, target: CancelTarget, timeoutMs = CANCEL_TIMEOUT_MS): Promise<boolean> {
  const { processID, secretKey } = client as unknown as { processID?: unknown; secretKey?: unknown };
  if (typeof processID !== 'number' || typeof secretKey !== 'number') return Promise.resolve(false);
  return new Promise((resolve) => {
    // A host that starts with / is a Unix socket folder, as libpq and node-postgres read it.
    const socket: Socket = target.host.startsWith('/') ? connect(`${target.host}/.s.PGSQL.${target.port}`) : connect(target.port, target.host);
    const done = (sent: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(sent);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    let written = false;
    socket.once('connect', () => socket.write(cancelRequest(processID, secretKey), () => (written = true)));
    socket.once('error', () => done(false));
    socket.once('close', () => done(written));
    socket.on('data', () => undefined);
  });
}
