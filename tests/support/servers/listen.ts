/** Loopback-only listening and teardown shared by the test servers. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: Server;
  /** `http://127.0.0.1:PORT` without a trailing slash. */
  origin: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(listener: RequestListener): Promise<Listening> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Slow handlers would otherwise keep sockets (and the test run) open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port that nothing listens on: bound once, then released. */
export async function refusedPort(): Promise<number> {
  const { server, close } = await listenOnLoopback(() => undefined);
  const { port } = server.address() as AddressInfo;
  await close();
  return port;
}
