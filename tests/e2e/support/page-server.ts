/** Serves fixed HTML pages on 127.0.0.1 for extraction tests. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function startPageServer(pages: Record<string, string>): Promise<PageServer> {
  const server = createServer((req, res) => {
    const html = pages[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (html === undefined) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
