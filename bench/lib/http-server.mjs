/**
 * The benchmark's API: a loopback HTTP server with CORS open (the extension calls it from its service
 * worker without host permissions, so every request is a CORS request). OPTIONS answers 204; POST
 * drains the body and answers 201 with a small JSON object at once. It counts what it receives per
 * phase (a Ferry round, a raw loop), so the bench can check that each record arrived exactly once.
 */
import { createServer } from 'node:http';

const RESPONSE = JSON.stringify({ id: 'srv', status: 'created', createdAt: '2026-11-28T10:00:00Z' });

/** @returns {Promise<{ origin: string, beginPhase(name: string): void, phase(): PhaseStats, totals: { requests: number }, close(): Promise<void> }>} */
/**
 * cors `wildcard` (the default) answers preflights with `*` for origin, headers and methods. Chromium
 * does not cache such a preflight for a request that carries Authorization (the wildcard does not
 * cover it), so every POST is preceded by an OPTIONS, on both sides alike. `listed` names the headers
 * and sets Access-Control-Max-Age, so one preflight serves the whole run.
 */
export async function startBenchServer({ expectToken, cors = 'wildcard' }) {
  /** @typedef {{ name: string, posts: number, preflights: number, other: number, keys: Set<string>, duplicateKeys: number, missingKeys: number, badAuth: number, sampleBody?: string, bodyBytes: number }} PhaseStats */
  const fresh = (name) => ({ name, posts: 0, preflights: 0, other: 0, keys: new Set(), duplicateKeys: 0, missingKeys: 0, badAuth: 0, bodyBytes: 0 });
  let current = fresh('idle');
  const totals = { requests: 0 };
  const expectedAuth = `Bearer ${expectToken}`;

  const server = createServer((req, res) => {
    totals.requests += 1;
    res.setHeader('access-control-allow-origin', '*');
    if (cors === 'listed') {
      res.setHeader('access-control-allow-headers', 'authorization, content-type, idempotency-key, x-client-version');
      res.setHeader('access-control-allow-methods', 'POST');
      res.setHeader('access-control-max-age', '600');
    } else {
      res.setHeader('access-control-allow-headers', '*');
      res.setHeader('access-control-allow-methods', '*');
    }
    if (req.method === 'OPTIONS') {
      current.preflights += 1;
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'POST') {
      current.other += 1;
      res.writeHead(405, { 'content-type': 'application/json' }).end('{"error":"POST only"}');
      return;
    }
    const phase = current; // a request that straddles a phase change counts where it began
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      phase.posts += 1;
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || key === '') phase.missingKeys += 1;
      else if (phase.keys.has(key)) phase.duplicateKeys += 1;
      else phase.keys.add(key);
      if (req.headers.authorization !== expectedAuth) phase.badAuth += 1;
      const body = Buffer.concat(chunks);
      phase.bodyBytes += body.length;
      phase.sampleBody ??= body.toString('utf8');
      res.writeHead(201, { 'content-type': 'application/json' }).end(RESPONSE);
    });
  });
  // Chromium keeps its connections; don't let Node close them between phases.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    totals,
    beginPhase(name) {
      current = fresh(name);
    },
    phase: () => current,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
