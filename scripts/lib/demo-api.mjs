/**
 * The demo's local API: a tiny contacts service that `npm start` runs on loopback, for the demo
 * pipeline to deliver the demo page's records to. It behaves like a careful real API:
 *
 * - `POST /v1/contacts` takes `{ "data": { "name", "email", ... }, "metadata"?: {...} }` as JSON,
 *   answers 400 with a reason for anything else, and 201 `{ id, status, createdAt, contact }` with
 *   a `Location` header for a new contact;
 * - it honours `Idempotency-Key`: a repeat of a key answers the stored response again (with
 *   `Idempotent-Replayed: true`) and inserts nothing; the same key with a different body is refused
 *   (422), since that is a client bug, not a retry;
 * - `GET /v1/contacts` lists what arrived (JSON), `GET /` shows it as a page that refreshes itself,
 *   so a user can watch the records land;
 * - CORS answers only Ferry's extension origin: Ferry calls it from its service worker, and no web
 *   page the user visits should be able to write into it.
 *
 * Everything is kept in memory and gone when `npm start` ends.
 */
import { createServer } from 'node:http';
import identity from '../../src/protocol/identity.json' with { type: 'json' };

const MAX_BODY_BYTES = 1024 * 1024;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FERRY_ORIGIN = `chrome-extension://${identity.extensionId}`;

/**
 * @param {{ port?: number, allowedOrigins?: string[], delayMs?: number }} [options]
 *   `delayMs` holds each POST's answer back (tests use it to watch a run in progress).
 */
export async function startDemoApi({ port = 0, allowedOrigins = [FERRY_ORIGIN], delayMs = 0 } = {}) {
  /** @type {{ id: string, createdAt: string, idempotencyKey?: string, contact: Record<string, unknown>, metadata?: unknown }[]} */
  const contacts = [];
  /** Idempotency-Key → the body it came with and the response it got. */
  const answered = new Map();
  const stats = { requests: 0, created: 0, replayed: 0, refused: 0 };

  const server = createServer((req, res) => {
    cors(req, res, allowedOrigins);
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (pathname === '/v1/contacts' && req.method === 'POST') return void readBody(req, res, (text) => setTimeout(() => create(req, res, text), delayMs));
    if (pathname === '/v1/contacts' && req.method === 'GET') return void json(res, 200, { count: contacts.length, stats, contacts });
    if (pathname === '/' && req.method === 'GET') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(contacts, stats));
    if (pathname === '/' || pathname === '/v1/contacts') return void json(res, 405, problem('method_not_allowed', `${req.method} is not supported here.`));
    json(res, 404, problem('not_found', `Nothing at ${pathname}: contacts are at /v1/contacts.`));
  });

  function create(req, res, text) {
    stats.requests += 1;
    const key = header(req, 'idempotency-key');
    if (key !== undefined) {
      const previous = answered.get(key);
      if (previous && previous.body !== text) {
        stats.refused += 1;
        return json(res, 422, problem('idempotency_key_reused', 'This Idempotency-Key was used with a different body; use a new key for a new request.'));
      }
      if (previous) {
        stats.replayed += 1;
        return json(res, previous.status, previous.answer, { 'idempotent-replayed': 'true', ...previous.headers });
      }
    }
    const contact = readContact(text);
    if ('error' in contact) {
      stats.refused += 1;
      return json(res, 400, contact);
    }
    const row = { id: `ct_${String(contacts.length + 1).padStart(4, '0')}`, createdAt: new Date().toISOString(), ...(key !== undefined ? { idempotencyKey: key } : {}), ...contact };
    contacts.push(row);
    stats.created += 1;
    const answer = { id: row.id, status: 'created', createdAt: row.createdAt, contact: row.contact };
    const headers = { location: `/v1/contacts/${row.id}` };
    // Only a successful insert is remembered: a refused request may be corrected and sent again.
    if (key !== undefined) answered.set(key, { body: text, status: 201, answer, headers });
    json(res, 201, answer, headers);
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    /** The origin, without a trailing slash: the pipeline's `{{env.DEMO_API}}`. */
    url,
    contacts,
    stats,
    /** Stops at once: a browser's spare keep-alive sockets would otherwise hold `close` open. */
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}

/** The contact in a request body, or why it is not acceptable. */
function readContact(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return problem('invalid_json', 'The body is not JSON. Send {"data": {"name": ..., "email": ...}} with Content-Type: application/json.');
  }
  const data = body?.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return problem('invalid_body', 'Expected {"data": {"name": ..., "email": ...}}: "data" must be an object.');
  const fields = [];
  if (typeof data.name !== 'string' || data.name.trim() === '') fields.push({ field: 'data.name', message: 'a name is required' });
  if (typeof data.email !== 'string' || !EMAIL.test(data.email)) fields.push({ field: 'data.email', message: 'an email address is required' });
  if (fields.length > 0) return { ...problem('validation_failed', fields.map((f) => `${f.field}: ${f.message}`).join('; ')), fields };
  return { contact: data, ...(body.metadata !== undefined ? { metadata: body.metadata } : {}) };
}

function readBody(req, res, then) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) return json(res, 413, problem('too_large', `The body is over ${MAX_BODY_BYTES} bytes.`));
    then(Buffer.concat(chunks).toString('utf8'));
  });
}

function cors(req, res, allowedOrigins) {
  const origin = header(req, 'origin');
  if (origin === undefined || !allowedOrigins.includes(origin)) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  res.setHeader('access-control-allow-headers', 'Content-Type, Idempotency-Key, Authorization, X-Client-Version');
  res.setHeader('access-control-expose-headers', 'Location, Idempotent-Replayed');
  res.setHeader('access-control-max-age', '600');
  if (header(req, 'access-control-request-private-network') === 'true') res.setHeader('access-control-allow-private-network', 'true');
}

function header(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function problem(code, message) {
  return { error: { code, message } };
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Ferry's keys are `<run id>:<batch>`: the end is enough to tell them apart; the whole key is the tooltip. */
const keyCell = (key) => (key === undefined ? '—' : `<code title="${escape(key)}">${key.length > 12 ? '…' : ''}${escape(key.slice(-12))}</code>`);

const escape = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(contacts, stats) {
  const rows = contacts
    .map((c) => `<tr><td><code>${escape(c.id)}</code></td><td>${escape(c.contact.name)}</td><td>${escape(c.contact.email)}</td><td>${escape(c.contact.company)}</td><td>${escape(c.createdAt.slice(11, 19))}</td><td>${keyCell(c.idempotencyKey)}</td></tr>`)
    .join('');
  const summary = `${contacts.length} contact${contacts.length === 1 ? '' : 's'} from ${stats.requests} request${stats.requests === 1 ? '' : 's'}; ${stats.replayed} repeat${stats.replayed === 1 ? '' : 's'} answered from the Idempotency-Key store, ${stats.refused} refused.`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Demo API: ${contacts.length} contacts</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #1f2933; }
  table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #d9e2ec; padding: .4rem .6rem; text-align: left; }
  th { background: #f0f4f8; } code { font-size: .85em; white-space: nowrap; } .muted { color: #52606d; } th:last-child { white-space: nowrap; }
</style></head>
<body>
  <h1>Demo API: received contacts</h1>
  <p class="muted">The local API <code>npm start</code> runs for Ferry's demo. Ferry POSTs each record to <code>/v1/contacts</code>; this page refreshes every 2 seconds. JSON: <a href="/v1/contacts">/v1/contacts</a>.</p>
  <p id="summary"><strong>${escape(summary)}</strong></p>
  ${contacts.length === 0 ? '<p>Nothing yet. On the demo page, click Ferry in the toolbar and press <em>Send</em>.</p>' : `<table><thead><tr><th>Id</th><th>Name</th><th>Email</th><th>Company</th><th>Received</th><th>Idempotency-Key</th></tr></thead><tbody>${rows}</tbody></table>`}
</body></html>`;
}
