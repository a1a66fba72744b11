import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error';
import { CredentialValues } from './credentials';
import { compileUrlTemplate, renderUrl, urlPlaces, urlValueProblem } from './url';
import { compileTemplate } from './parse';
import { parsePipeline } from '../parse-pipeline';

const TEMPLATE = 'https://api.test/v1/items/{{extracted.id}}?q={{extracted.q}}#{{extracted.f | default: "top"}}';
const env = { API: 'https://api.test/base', PREFIX: 'v2/beta' };

function render(text: string, extracted: Record<string, unknown>) {
  return renderUrl(compileUrlTemplate(text, 'steps[1].http.url'), { extracted }, { env });
}

/** The URL as the browser's parser reads it, and the value it carries in the item segment, the query and the fragment. */
function parsed(extracted: Record<string, unknown>) {
  const url = new URL(render(TEMPLATE, extracted));
  const segments = url.pathname.split('/');
  return { url, segments, id: decodeURIComponent(segments[3]!), q: url.searchParams.getAll('q'), params: [...url.searchParams.keys()], hash: decodeURIComponent(url.hash.slice(1)) };
}

function refusal(text: string, extracted: Record<string, unknown>) {
  try {
    render(text, extracted);
  } catch (e) {
    if (isFerryError(e, 'URL_VALUE_REFUSED')) return e;
    throw e;
  }
  throw new Error(`expected URL_VALUE_REFUSED for ${JSON.stringify(extracted)}`);
}

describe('renderUrl: page values stay where the author put them', () => {
  it('sends the probe of issue 11 to /v1/items/<one segment> with one q value', () => {
    const { url, segments, id, q, params } = parsed({ id: '../../admin/users/1', q: 'x&role=admin#' });
    expect(url.origin).toBe('https://api.test');
    expect(url.pathname).toBe('/v1/items/..%2F..%2Fadmin%2Fusers%2F1');
    expect(segments).toHaveLength(4);
    expect(id).toBe('../../admin/users/1');
    expect(q).toEqual(['x&role=admin#']);
    expect(params).toEqual(['q']);
    expect(url.hash).toBe('#top');
  });

  it.each([
    ['a slash', 'a/b'],
    ['a backslash', 'a\\..\\..\\admin'],
    ['a question mark', 'a?admin=1'],
    ['a hash', 'a#frag'],
    ['an ampersand and equals', 'a&b=c'],
    ['a plus', '1+1'],
    ['a percent sign', '100%'],
    ['percent-encoded dots', '%2e%2e'],
    ['a percent-encoded dot after a dot', '.%2E'],
    ['mixed percent-encoded dots', '%2E%2e'],
    ['percent-encoded dots inside a name', 'a%2e%2e'],
    ['an encoded slash', '..%2F..%2Fadmin'],
    ['spaces and tabs', ' a\tb\n'],
    ['control characters', '\u0000\u001f\u007f'],
    ['unicode', 'ünïcødé/日本'],
    ['emoji', '🚀/👩‍👩‍👧'],
    ['dots with text', '..a'],
    ['three dots', '...'],
  ])('%s in a path segment is one encoded segment', (_name, id) => {
    const { url, segments } = parsed({ id, q: '' });
    expect(segments).toHaveLength(4);
    expect(segments.slice(0, 3)).toEqual(['', 'v1', 'items']);
    expect(decodeURIComponent(segments[3]!)).toBe(id);
    expect(url.search).toBe('?q=');
  });

  it.each(['x&role=admin#', 'a=b', '?q=2', '1+1 %20', 'ünï 🚀', '../..', '\\', '#', ''])('the query value %j is one value of q', (q) => {
    const { id, params, q: values, url } = parsed({ id: 'A-1', q });
    expect(id).toBe('A-1');
    expect(params).toEqual(['q']);
    expect(values).toEqual([q]);
    expect(url.hash).toBe('#top');
  });

  it('writes a fragment as fragment text', () => {
    const { url, hash } = parsed({ id: 'A', q: 'b', f: 'x#y?z=1&/..' });
    expect(hash).toBe('x#y?z=1&/..');
    expect(url.pathname).toBe('/v1/items/A');
    expect(url.search).toBe('?q=b');
  });

  it('writes numbers and booleans as text, and null in a query as an empty value', () => {
    const { segments, q } = parsed({ id: 42, q: null });
    expect(segments[3]).toBe('42');
    expect(q).toEqual(['']);
    expect(parsed({ id: 1.5, q: false }).q).toEqual(['false']);
    expect(parsed({ id: -0, q: 0 }).id).toBe('0');
  });

  it('also encodes a value that shares its segment with literal text', () => {
    const url = new URL(render('https://api.test/v1/item-{{extracted.id}}.json', { id: '/../x?y' }));
    expect(url.pathname).toBe('/v1/item-%2F..%2Fx%3Fy.json');
  });

  it('encodes the query name as one name too', () => {
    const url = new URL(render('https://api.test/s?{{extracted.k}}=1', { k: 'a=b&admin' }));
    expect([...url.searchParams.entries()]).toEqual([['a=b&admin', '1']]);
  });
});

describe('renderUrl: values that cannot be one segment are refused, naming the field', () => {
  // A value's "%" is encoded ("%2e" arrives as the text "%2e", see above), so only real dots are dot segments.
  it.each(['..', '.'])('the dot segment %j', (id) => {
    const error = refusal(TEMPLATE, { id, q: 'x' });
    expect(error.details).toMatchObject({ field: 'extracted.id', location: 'steps[1].http.url' });
    expect(error.message).toContain('steps[1].http.url: {{extracted.id}}');
    expect(error.message).toContain('another path');
  });

  it('an empty value or null that would leave an empty segment', () => {
    expect(refusal(TEMPLATE, { id: '', q: 'x' }).details?.reason).toMatch(/^is empty/);
    expect(refusal(TEMPLATE, { id: null, q: 'x' }).details?.field).toBe('extracted.id');
  });

  it('a dot segment made of literal text and the value together', () => {
    expect(refusal('https://api.test/v1/.{{extracted.id}}/x', { id: '.' }).details?.field).toBe('extracted.id');
    expect(refusal('https://api.test/v1/%2e{{extracted.id}}/x', { id: '.' }).details?.reason).toContain('reads as ".."');
  });

  it('lists and objects, anywhere in the URL', () => {
    expect(refusal(TEMPLATE, { id: ['a', 'b'], q: 'x' }).details?.reason).toMatch(/^is a list/);
    expect(refusal(TEMPLATE, { id: 'a', q: { role: 'admin' } }).details).toMatchObject({ field: 'extracted.q', reason: expect.stringMatching(/^is an object/) });
  });

  it('text that is not valid Unicode', () => {
    expect(refusal(TEMPLATE, { id: 'a\ud800', q: 'x' }).details?.reason).toContain('lone surrogate');
  });

  it('names the record when the caller says which', () => {
    const compiled = compileUrlTemplate(TEMPLATE, 'steps[1].http.url');
    expect(() => renderUrl(compiled, { extracted: { id: '..', q: '' } }, { record: { index: 3 } })).toThrow('{{extracted.id}} for record 3 would make the path segment ".."');
  });
});

describe('| segments and | raw', () => {
  it('segments: several path segments, each encoded, none a dot segment or empty', () => {
    const text = 'https://api.test/files/{{extracted.path | segments}}?v=1';
    expect(new URL(render(text, { path: 'a b/c?d/ü' })).pathname).toBe('/files/a%20b/c%3Fd/%C3%BC');
    expect(refusal(text, { path: 'a/../admin' }).details?.field).toBe('extracted.path');
    expect(new URL(render(text, { path: 'a/%2E%2e/admin' })).pathname).toBe('/files/a/%252E%252e/admin');
    expect(refusal(text, { path: './admin' }).details?.field).toBe('extracted.path');
    expect(refusal(text, { path: 'a//b' }).details?.reason).toMatch(/^is empty/);
  });

  it('raw: an author value written as is, in the path too', () => {
    expect(new URL(render('https://api.test/{{env.PREFIX | raw}}/items/{{extracted.id}}', { id: 'a/b' })).pathname).toBe('/v2/beta/items/a%2Fb');
    expect(new URL(render('https://api.test/{{env.PREFIX}}/items', {})).pathname).toBe('/v2%2Fbeta/items');
  });

  it('refuses raw on page data when the template is compiled', () => {
    expect(() => compileUrlTemplate('https://api.test/{{extracted.path | raw}}')).toThrow(/no "\| raw" on extracted.path/);
  });
});

describe('before the path: the author config works as it did, page data is refused', () => {
  it('renders {{env.API}} and a host from env as written', () => {
    expect(render('{{env.API}}/v1/items/{{extracted.id}}', { id: '../x' })).toBe('https://api.test/base/v1/items/..%2Fx');
    expect(renderUrl(compileUrlTemplate('https://{{env.HOST}}:{{env.PORT}}/x'), {}, { env: { HOST: 'h.test', PORT: '8080' } })).toBe('https://h.test:8080/x');
    expect(renderUrl(compileUrlTemplate('{{env.API}}'), {}, { env })).toBe('https://api.test/base');
  });

  it('reads credentials in the query encoded like any value', () => {
    const credentials = CredentialValues.of([['key', 'a&b=c']]);
    const out = renderUrl(compileUrlTemplate('https://api.test/x?key={{credentials.key}}'), {}, { credentials });
    expect(new URL(out).searchParams.get('key')).toBe('a&b=c');
  });

  it.each(['{{extracted.url}}', 'https://{{extracted.host}}/x', '{{env.API}}{{extracted.id}}', 'https://api.test:{{source.port}}/'])('refuses page data in %s', (text) => {
    expect(() => compileUrlTemplate(text, 'steps[1].http.url')).toThrow(expect.objectContaining({ code: 'URL_TEMPLATE_PAGE_ORIGIN' }));
  });

  it('knows where each placeholder sits', () => {
    const places = urlPlaces(compileTemplate('{{env.A}}/p/{{a}}-{{b}}?x={{c}}&{{d}}=1#{{e}}/?&'));
    expect(places.filter(Boolean)).toEqual(['origin', 'path', 'path', 'query', 'query', 'fragment']);
    expect(urlPlaces(compileTemplate('https://h.test/{{a}}')).filter(Boolean)).toEqual(['path']);
    expect(urlPlaces(compileTemplate('https://{{env.H}}?{{a}}')).filter(Boolean)).toEqual(['origin', 'query']);
  });
});

describe('urlValueProblem: the check a run makes per record before it is queued', () => {
  it('finds the page value that cannot be sent, without credentials or env', () => {
    const compiled = compileUrlTemplate('{{env.API}}/v1/{{credentials.tenant}}/items/{{extracted.id}}', 'steps[1].http.url');
    expect(urlValueProblem(compiled, { extracted: { id: '..' } })).toMatchObject({ field: 'extracted.id' });
    expect(urlValueProblem(compiled, { extracted: { id: 'ok' } })).toBeUndefined();
    // A missing value is not this check's business: the send reports it as it always has.
    expect(urlValueProblem(compiled, { extracted: {} })).toBeUndefined();
  });
});

describe('the pipeline schema', () => {
  const pipeline = (url: string) => ({ version: 1, id: 'p', name: 'P', source: { type: 'supplied' }, steps: [{ http: { method: 'POST', url } }] });

  it('refuses page data before the path when the pipeline is read, naming the field', () => {
    expect(() => parsePipeline(pipeline('https://{{extracted.host}}/v1'))).toThrow(/steps\[0\]\.http\.url: expected the scheme and host written out or from \{\{env\.NAME\}\}: \{\{extracted\.host\}\} would let page data choose the server/);
    expect(() => parsePipeline(pipeline('https://a.test/{{extracted.id | raw}}'))).toThrow(/no "\| raw" on extracted\.id/);
  });

  it('accepts env before the path and page data after it', () => {
    expect(() => parsePipeline(pipeline('{{env.API}}/v1/items/{{extracted.id}}?q={{extracted.q}}'))).not.toThrow();
  });
});
