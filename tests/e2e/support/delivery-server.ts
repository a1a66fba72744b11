/**
 * A loopback API for delivery tests that honours Idempotency-Key the way a careful server does: a
 * key seen before is acknowledged again without being applied twice. It counts every request and
 * every applied record, so a test can tell "re-sent" (allowed, same key) from "delivered twice"
 * (a bug). CORS is open because the extension calls it from its service worker.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DeliveryServer {
  url: string;
  /** Every POST received, re-sends included. */
  requests: { key: string | undefined; body: unknown }[];
  /** Applied payloads by Idempotency-Key (each key applied once). */
  applied: Map<string, unknown>;
  close(): Promise<void>;
}

export async function startDeliveryServer(options: { delayMs?: number } = {}): Promise<DeliveryServer> {
  const requests: DeliveryServer['requests'] = [];
  const applied = new Map<string, unknown>();
  const server: Server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'] as string | undefined;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"not JSON"}');
      }
      requests.push({ key, body });
      const answer = () => {
        const replay = key !== undefined && applied.has(key);
        if (key !== undefined && !replay) applied.set(key, body);
        res.writeHead(replay ? 200 : 201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `srv-${requests.length}`, status: replay ? 'duplicate' : 'created', createdAt: '2026-11-28T10:00:00Z' }));
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    applied,
    // Chromium keeps spare keep-alive sockets open (some never carry a request), and close() waits for them.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
