import 'fake-indexeddb/auto';
/**
 * Issue 11's probe through a real run and a real server: page values in an HTTP step's URL template
 * stay one path segment and one query value, so the request (with its bearer token) arrives where
 * the pipeline's author wrote it; a value that cannot be one segment is a reject naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson } from '../../support/servers/respond';
import { startRestServer, type RestServer } from '../../support/servers/rest-server';
import { API_TOKEN, driveUntilIdle, harness } from './harness';

let server: RestServer;
beforeAll(async () => {
  server = await startRestServer();
});
afterAll(() => server.close());

function pipeline(origin: string) {
  return {
    version: 1,
    id: 'url-probe',
    name: 'URL probe',
    source: { type: 'supplied' },
    steps: [{ http: { method: 'GET', url: `${origin}/v1/items/{{extracted.id}}?q={{extracted.q}}`, auth: { type: 'bearer', token: '{{credentials.apiToken}}' } } }],
  };
}

const PAGE_VALUES = [
  { id: '../../admin/users/1', q: 'x&role=admin#' },
  { id: '%2e%2e', q: '?q=2' },
  { id: '.%2E', q: 'a=b' },
  { id: 'a\\..\\..\\admin', q: '1+1 %20' },
  { id: 'ünï/🚀', q: '/../#' },
  { id: '42?admin=1#x', q: '' },
];

describe('URL templates in a real run', () => {
  it('the server receives each request at /v1/items/<the value as one segment> with q as one value', async () => {
    for (const { id } of PAGE_VALUES) server.route(`/v1/items/${encodeURIComponent(id)}`, (_req, res) => sendJson(res, 200, { ok: true }));
    server.route('/admin/users/1', (_req, res) => sendJson(res, 200, { pwned: true }));
    const h = await harness();
    const records = [...PAGE_VALUES, { id: '..', q: 'dot' }, { id: '', q: 'empty' }, { id: ['a', 'b'], q: 'list' }];
    const runId = await h.service().start({ pipeline: pipeline(server.origin), records });
    await driveUntilIdle(h);

    const received = server.requests.map((r) => ({ id: decodeURIComponent(r.path.slice('/v1/items/'.length)), path: r.path, query: r.query, auth: r.headers.authorization }));
    expect(received.map((r) => r.path.startsWith('/v1/items/') && !r.path.slice('/v1/items/'.length).includes('/'))).toEqual(PAGE_VALUES.map(() => true));
    expect(received.map(({ id, query }) => ({ id, q: query.q }))).toEqual(PAGE_VALUES.map(({ id, q }) => ({ id, q: [q] })));
    expect(received.every((r) => Object.keys(r.query).join() === 'q' && r.auth === `Bearer ${API_TOKEN}`)).toBe(true);
    expect(server.requests.some((r) => r.path.startsWith('/admin'))).toBe(false);

    // The three values that cannot be one segment are rejects naming the field, never sent.
    const rejects = await h.service().listRejects(runId);
    expect(rejects.map((r) => [(r.record as { q: string }).q, r.reasons[0]!.path, r.reasons[0]!.rule])).toEqual([
      ['dot', 'extracted.id', 'url'],
      ['empty', 'extracted.id', 'url'],
      ['list', 'extracted.id', 'url'],
    ]);
    expect(rejects[0]!.reasons[0]!.message).toBe(
      '{{extracted.id}} would make the path segment "..", which the URL parser reads as ".." and resolves to another path; Ferry sends requests only where the URL names, so steps[0].http.url cannot be sent for this record.',
    );
    expect(await h.service().getRun(runId)).toMatchObject({ status: 'succeeded', counts: { extracted: 9, sent: 6, rejected: 3, failed: 0 } });
  });
});
