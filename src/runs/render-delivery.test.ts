import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../pipeline';
import { planDelivery } from './delivery-plan';
import { pipelineShape } from './pipeline-shape';
import { renderDelivery } from './render-delivery';
import type { RunDeps } from './types';

const TOKEN = 'tok en/é"1';

function plan(env: Record<string, string> = {}) {
  const pipeline = parsePipeline({
    version: 1,
    id: 'p',
    name: 'P',
    source: { type: 'supplied' },
    steps: [{ http: { method: 'POST', url: '{{env.API_BASE}}/v1/{{credentials.token}}/items', auth: { type: 'basic', username: 'svc', password: '{{credentials.token}}' }, body: '{{transformedData}}' } }],
  });
  return planDelivery(pipelineShape(pipeline), env);
}

const deps = (extra: Partial<RunDeps> = {}) => ({ resolveCredential: async () => TOKEN, now: () => 0, ...extra }) as unknown as RunDeps;
const job = { records: [{ a: 1 }], idempotencyKey: 'r:0' };

describe('renderDelivery', () => {
  it('renders with the run\'s env values; deps.env overrides them', async () => {
    // The credential sits in the path, so it is one encoded segment (template/url.ts): its "/" cannot split it.
    expect((await renderDelivery(plan({ API_BASE: 'https://one.test' }), job, {}, deps())).url).toBe(`https://one.test/v1/${encodeURIComponent(TOKEN)}/items`);
    expect((await renderDelivery(plan({ API_BASE: 'https://one.test' }), job, {}, deps({ env: { API_BASE: 'https://two.test' } }))).url).toMatch(/^https:\/\/two\.test\//);
  });

  it('keeps credentials out of the audit target in their encoded form, and scrubs them from text a server sent back', async () => {
    const rendered = await renderDelivery(plan({ API_BASE: 'https://one.test' }), job, {}, deps());
    const { body, ...target } = rendered.target;
    expect(target).toEqual({ method: 'POST', host: 'one.test', path: '/v1/[redacted]/items' });
    // The body kept only when the user records bodies: scrubbed the same way.
    expect(body?.() ?? '').not.toContain(TOKEN);
    const basic = Buffer.from(`svc:${TOKEN}`).toString('base64');
    expect(rendered.scrub(`bad token ${TOKEN} (${encodeURIComponent(TOKEN)}), header Basic ${basic}`)).toMatch(/^bad token \[redacted\] \(\[redacted\]\), header Basic [A-Za-z0-9+/]*\[redacted\]$/);
  });
});
