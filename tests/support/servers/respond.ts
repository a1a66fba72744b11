/** Small response helpers shared by the test servers' routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}

export function multiMap(params: URLSearchParams): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  params.forEach((value, name) => (map[name] ??= []).push(value));
  return map;
}

/** Resolves after `ms`, or early when the client goes away, so no timer outlives its request. */
export function sleep(ms: number, req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    req.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

