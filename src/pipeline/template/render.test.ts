import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error';
import { CredentialValues } from './credentials';
import { compileTemplate } from './parse';
import { renderTemplate, renderTemplateString, type RenderOptions, type TemplateScope } from './render';

const NOW = Date.UTC(2025, 0, 15, 12, 30, 0);
const scope: TemplateScope = {
  extracted: { title: 'Hello', price: 12.5, tags: ['a', 'b'], items: [{ name: 'first' }, { name: 'last' }], meta: { lang: 'en' }, empty: null, zero: 0, flag: false },
  source: { url: 'https://shop.example.com/p/1' },
  transformedData: { apiField1: 'x' },
};
const render = (text: string, options?: RenderOptions, s = scope) => renderTemplate(compileTemplate(text, 'mapping.field'), s, options);

function thrown(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isFerryError(e)) return e;
    throw e;
  }
  throw new Error('expected a FerryError');
}

describe('renderTemplate: values', () => {
  it('a whole template keeps its type', () => {
    expect(render('{{extracted.price}}')).toBe(12.5);
    expect(render('{{extracted.tags}}')).toEqual(['a', 'b']);
    expect(render('{{extracted.meta}}')).toEqual({ lang: 'en' });
    expect(render('{{transformedData}}')).toBe(scope.transformedData);
    expect(render('{{extracted.zero}}')).toBe(0);
    expect(render('{{extracted.flag}}')).toBe(false);
    expect(render('{{extracted.empty}}')).toBe(null);
  });

  it('templates inside longer text are stringified, objects as JSON and null as nothing', () => {
    expect(render('Title: {{extracted.title}} ({{extracted.price}})')).toBe('Title: Hello (12.5)');
    expect(render('tags={{extracted.tags}} meta={{extracted.meta}} e=[{{extracted.empty}}]')).toBe('tags=["a","b"] meta={"lang":"en"} e=[]');
    expect(renderTemplateString(compileTemplate('{{extracted.meta}}'), scope)).toBe('{"lang":"en"}');
    expect(renderTemplateString(compileTemplate('{{extracted.price}}'), scope)).toBe('12.5');
  });

  it('walks nested paths and indexes, negative from the end, and array length', () => {
    expect(render('{{extracted.items[0].name}}')).toBe('first');
    expect(render('{{extracted.items[-1].name}}')).toBe('last');
    expect(render('{{extracted.items.1.name}}')).toBe('last');
    expect(render('{{extracted.items.length}}')).toBe(2);
    expect(render('{{source.url}}')).toBe('https://shop.example.com/p/1');
  });

  it('now(), timestamp and yesterday come from one clock; generateId() from crypto or the caller', () => {
    expect(render('{{now()}}', { now: NOW })).toBe('2025-01-15T12:30:00.000Z');
    expect(render('{{timestamp}}', { now: NOW })).toBe('2025-01-15T12:30:00.000Z');
    expect(render('{{yesterday}}', { now: NOW })).toBe('2025-01-14T12:30:00.000Z');
    expect(render('{{generateId()}}')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(render('id-{{generateId()}}', { generateId: () => 'fixed' })).toBe('id-fixed');
    expect(Date.parse(render('{{now()}}') as string)).toBeGreaterThan(NOW);
  });

  it('env reads the provided map', () => {
    expect(render('{{env.DB_HOST}}:5432', { env: { DB_HOST: 'db.local' } })).toBe('db.local:5432');
  });

  it('defaults apply when the value is missing or null, not when it is 0, false or ""', () => {
    expect(render('{{extracted.nothing | default: 0}}')).toBe(0);
    expect(render('{{extracted.empty | default: "n/a"}}')).toBe('n/a');
    expect(render('{{extracted.zero | default: 5}}')).toBe(0);
    expect(render('{{extracted.flag | default: true}}')).toBe(false);
    expect(render('{{nope.deep[3] | default: []}}')).toEqual([]);
    expect(render('{{env.MISSING | default: "localhost"}}')).toBe('localhost');
    expect(render('p={{extracted.nothing | default: {"a":1}}}')).toBe('p={"a":1}');
  });

  it('never reads inherited properties such as constructor or __proto__', () => {
    expect(thrown(() => render('{{extracted.constructor}}')).code).toBe('TEMPLATE_MISSING_PATH');
    expect(thrown(() => render('{{extracted.title.length}}')).code).toBe('TEMPLATE_MISSING_PATH');
    expect(thrown(() => render('{{toString}}')).code).toBe('TEMPLATE_MISSING_PATH');
  });
});

describe('renderTemplate: a missing path names the template and the record', () => {
  it('with an index and id', () => {
    const e = thrown(() => render('{{extracted.field2}}', { record: { index: 3, id: 'sku-9' } }));
    expect(e.code).toBe('TEMPLATE_MISSING_PATH');
    expect(e.message).toBe('{{extracted.field2}} in mapping.field for record 3 (id "sku-9"): extracted has no "field2". If the value is optional, give a default: {{extracted.field2 | default: null}}.');
    expect(e.details).toEqual({ template: '{{extracted.field2}}', location: 'mapping.field', path: 'extracted.field2', reason: 'extracted has no "field2"', record: { index: 3, id: 'sku-9' } });
  });

  it('says which step of the path was missing', () => {
    expect(thrown(() => render('{{extracted.items[5].name}}')).details?.reason).toBe('extracted.items has 2 items, so there is no extracted.items[5]');
    expect(thrown(() => render('{{extracted.empty.x}}')).details?.reason).toBe('extracted.empty is null, so it has no "x"');
    expect(thrown(() => render('{{extracted.meta.lang.code}}')).details?.reason).toBe('extracted.meta.lang is string, so it has no "code"');
    expect(thrown(() => render('{{preparedData}}')).details?.reason).toBe('there is no "preparedData" here (available: extracted, source, transformedData)');
    expect(thrown(() => render('{{env.DB_HOST}}')).details?.reason).toBe('the environment variable DB_HOST is not set');
  });

  it('inside longer text too', () => {
    expect(thrown(() => render('api_results_{{id}}', {}, {})).message).toContain('{{id}} in mapping.field: there is no "id" here');
  });
});

describe('renderTemplate: credentials', () => {
  const credentials = CredentialValues.of([['apiToken', 's3cr3t']]);

  it('render where the caller resolved them', () => {
    expect(render('Bearer {{credentials.apiToken}}', { credentials })).toBe('Bearer s3cr3t');
  });

  it('fail without resolved credentials, naming the credential but never a value', () => {
    const e = thrown(() => render('Bearer {{credentials.apiToken}}'));
    expect(e.code).toBe('TEMPLATE_CREDENTIALS_UNAVAILABLE');
    expect(e.message).toContain('only resolved in the background');
    expect(e.details).toEqual({ template: '{{credentials.apiToken}}', location: 'mapping.field', credential: 'apiToken' });
  });

  it('fail for an unknown credential unless a default is given', () => {
    const e = thrown(() => render('{{credentials.other}}', { credentials }));
    expect(e.code).toBe('TEMPLATE_MISSING_CREDENTIAL');
    expect(e.message).not.toContain('s3cr3t');
    expect(render('{{credentials.other | default: ""}}', { credentials })).toBe('');
  });

  it('the holder never shows its values when logged or serialized', () => {
    expect(JSON.stringify({ credentials })).toBe('{"credentials":"[credentials: apiToken]"}');
    expect(String(credentials)).not.toContain('s3cr3t');
  });
});
