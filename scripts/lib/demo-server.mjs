/**
 * Serves the demo page folder on loopback, on a free port. `%NAME%` in an HTML file is replaced with
 * `vars.NAME` (the demo page links to the demo API, whose port is only known at start).
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json' };

export async function serveDemo(dir, { vars = {} } = {}) {
  const server = createServer(async (req, res) => {
    let name;
    try {
      name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/\/$/, '/index.html');
    } catch {
      return res.writeHead(400).end('bad request');
    }
    const file = path.join(dir, path.normalize(name));
    if (!file.startsWith(dir + path.sep)) return res.writeHead(403).end();
    try {
      let body = await readFile(file);
      if (path.extname(file) === '.html') body = body.toString('utf8').replace(/%([A-Z_]+)%/g, (match, key) => vars[key] ?? match);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const close = () =>
    new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections(); // a browser's idle keep-alive sockets would hold close() open
    });
  return { url: `http://127.0.0.1:${port}/`, close };
}
