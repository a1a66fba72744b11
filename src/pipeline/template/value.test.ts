import { describe, expect, it, vi } from 'vitest';
import { isFerryError } from '../../errors/ferry-error';
import { CredentialValues, redactCredentials, resolveCredentials } from './credentials';
import { compileValue, joinPath, renderValue, renderValueWithCredentials } from './value';

/** The seed's HTTP request node, as written. */
const REQUEST = {
  method: 'POST',
  url: 'https://api.example.com/v1/data',
  headers: { 'Content-Type': 'application/json', Authorization: 'Bearer {{credentials.apiToken}}', 'X-Client-Version': '1.0.0' },
  body: { data: '{{transformedData}}', metadata: { source: 'browser-workflow', timestamp: '{{timestamp}}' } },
};
const NOW = Date.UTC(2025, 0, 15);

describe('compileValue', () => {
  it('knows which credentials a value reads and where they land', () => {
    const compiled = compileValue(REQUEST);
    expect([...compiled.credentials]).toEqual(['apiToken']);
    expect(compiled.secretPaths).toEqual([['headers', 'Authorization']]);
    expect(compiled.hasTemplates).toBe(true);
    expect(compileValue({ a: [1, 'x'] }).hasTemplates).toBe(false);
  });

  it('lists every {{env.NAME}} placeholder with where it is and whether it has a default', () => {
    const compiled = compileValue({ url: '{{env.API_BASE}}/v1/{{env.TENANT | default: "main"}}', headers: { 'X-Region': '{{ env.REGION }}' }, n: 1 }, 'steps[1].http');
    expect(compiled.env).toEqual([
      { name: 'API_BASE', placeholder: '{{env.API_BASE}}', location: 'steps[1].http.url', hasDefault: false },
      { name: 'TENANT', placeholder: '{{env.TENANT | default: "main"}}', location: 'steps[1].http.url', hasDefault: true },
      { name: 'REGION', placeholder: '{{ env.REGION }}', location: 'steps[1].http.headers["X-Region"]', hasDefault: false },
    ]);
    expect(compileValue(REQUEST).env).toEqual([]);
  });

  it('reports syntax errors at the JSON path of the string', () => {
    try {
      compileValue({ items: [{ 'first name': '{{oops' }] }, 'steps[1].http.body');
      expect.unreachable();
    } catch (e) {
      expect(isFerryError(e, 'TEMPLATE_SYNTAX')).toBe(true);
      expect((e as Error).message).toContain('in steps[1].http.body.items[0]["first name"]');
    }
  });
});

describe('renderValue', () => {
  it('renders the seed request with whole templates keeping their type', () => {
    const credentials = CredentialValues.of([['apiToken', 'tok']]);
    const { value, credentialsUsed } = renderValue(compileValue(REQUEST), { transformedData: { apiField1: 'a', n: 2 } }, { credentials, now: NOW });
    expect(value).toEqual({
      ...REQUEST,
      headers: { ...REQUEST.headers, Authorization: 'Bearer tok' },
      body: { data: { apiField1: 'a', n: 2 }, metadata: { source: 'browser-workflow', timestamp: '2025-01-15T00:00:00.000Z' } },
    });
    expect([...credentialsUsed]).toEqual(['apiToken']);
  });

  it('builds fresh objects every time, so records never share them', () => {
    const compiled = compileValue({ fixed: { a: [1] } });
    const one = renderValue(compiled, {}).value as { fixed: { a: number[] } };
    const two = renderValue(compiled, {}).value as { fixed: { a: number[] } };
    one.fixed.a.push(2);
    expect(two.fixed.a).toEqual([1]);
  });

  it('every now() in one value agrees', () => {
    const { value } = renderValue(compileValue({ a: '{{now()}}', b: ['{{timestamp}}'] }), {});
    const v = value as { a: string; b: string[] };
    expect(v.b[0]).toBe(v.a);
  });

  it('keeps "__proto__" as a key', () => {
    const compiled = compileValue(JSON.parse('{"__proto__": {"x": "{{a}}"}}'));
    const value = renderValue(compiled, { a: 1 }).value as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
  });
});

describe('credentials through a resolver', () => {
  it('resolves each needed name once, only when the value needs credentials', async () => {
    const resolveCredential = vi.fn(async (name: string) => (name === 'apiToken' ? 'tok' : undefined));
    const both = compileValue({ a: '{{credentials.apiToken}}', b: 'x {{credentials.apiToken}}' });
    const { value } = await renderValueWithCredentials(both, {}, { resolveCredential });
    expect(value).toEqual({ a: 'tok', b: 'x tok' });
    expect(resolveCredential).toHaveBeenCalledTimes(1);
    await renderValueWithCredentials(compileValue({ a: '{{x}}' }), { x: 1 }, { resolveCredential });
    expect(resolveCredential).toHaveBeenCalledTimes(1);
  });

  it('a name the vault does not have fails at render, by name', async () => {
    const credentials = await resolveCredentials(['nope'], async () => undefined);
    expect(credentials.names()).toEqual([]);
    await expect(renderValueWithCredentials(compileValue('{{credentials.nope}}'), {}, { resolveCredential: async () => undefined })).rejects.toMatchObject({ code: 'TEMPLATE_MISSING_CREDENTIAL' });
  });

  it('redactCredentials also scrubs the encoded forms a request gives a value: percent-encoded and basic auth\'s base64', () => {
    const password = 'p@ss word é+1"';
    const credentials = CredentialValues.of([['user', 'svc-account'], ['password', password]]);
    const text = {
      path: new URL(`https://api.test/v1/${password}/items`).pathname,
      form: new URLSearchParams({ key: password }).toString(),
      component: encodeURIComponent(password),
      basic: `Basic ${Buffer.from(`svc-account:${password}`).toString('base64')}`,
      onlyPassword: `Basic ${Buffer.from(`literal-user:${password}`).toString('base64')}`,
    };
    expect(text.path).not.toContain(password);
    expect(redactCredentials(text, credentials, ['user', 'password'])).toEqual({
      path: '/v1/[redacted]/items',
      form: 'key=[redacted]',
      component: '[redacted]',
      basic: 'Basic [redacted]',
      // The literal username's part of the encoding is not a secret; the password's is gone.
      onlyPassword: expect.stringMatching(/^Basic [A-Za-z0-9+/]*\[redacted\]$/),
    });
  });

  it('redactCredentials scrubs secret values anywhere, including ones carried in by earlier steps', () => {
    const credentials = CredentialValues.of([['apiToken', 'tok-123'], ['short', 'tok']]);
    const payload = { headers: { Authorization: 'Bearer tok-123' }, body: { data: { echoed: 'tok-123 and tok' }, list: ['tok-123'] }, n: 1 };
    expect(redactCredentials(payload, credentials, ['apiToken', 'short'])).toEqual({
      headers: { Authorization: 'Bearer [redacted]' },
      body: { data: { echoed: '[redacted] and [redacted]' }, list: ['[redacted]'] },
      n: 1,
    });
    expect(payload.headers.Authorization).toBe('Bearer tok-123');
    expect(redactCredentials(payload, credentials, [])).toBe(payload);
  });
});

describe('a benchmark-sized run (sanity, not timed)', () => {
  it('maps 10,000 records with one compiled value', () => {
    const compiled = compileValue({ apiField1: '{{extracted.field1}}', apiField2: '{{extracted.field2}}', timestamp: '{{now()}}', label: 'n={{extracted.n}}' });
    const out: unknown[] = [];
    for (let i = 0; i < 10_000; i++) out.push(renderValue(compiled, { extracted: { field1: `f${i}`, field2: `u${i}@example.com`, n: i } }, { now: NOW, record: { index: i } }).value);
    expect(out).toHaveLength(10_000);
    expect(out[9_999]).toEqual({ apiField1: 'f9999', apiField2: 'u9999@example.com', timestamp: '2025-01-15T00:00:00.000Z', label: 'n=9999' });
  });
});

describe('joinPath', () => {
  it('writes paths a person can read', () => {
    expect(joinPath('', ['steps', 1, 'http', 'timeout'])).toBe('steps[1].http.timeout');
    expect(joinPath('headers', ['X-Client-Version'])).toBe('headers["X-Client-Version"]');
  });
});
