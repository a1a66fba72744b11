import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error';
import { compileTemplate, hasTemplate } from './parse';

function syntaxError(text: string, location?: string) {
  try {
    compileTemplate(text, location);
  } catch (e) {
    if (isFerryError(e, 'TEMPLATE_SYNTAX')) return e;
    throw e;
  }
  throw new Error(`expected TEMPLATE_SYNTAX for ${text}`);
}

describe('compileTemplate', () => {
  it('reads the URL filters raw and segments, before a default', () => {
    const p = (s: string) => compileTemplate(s).whole;
    expect(p('{{env.PREFIX | raw}}')).toMatchObject({ name: 'env.PREFIX', urlEncoding: 'raw' });
    expect(p('{{credentials.key|raw}}')).toMatchObject({ urlEncoding: 'raw' });
    expect(p('{{extracted.path | segments | default: "a/b"}}')).toMatchObject({ name: 'extracted.path', urlEncoding: 'segments', fallback: { value: 'a/b' } });
    expect(p('{{extracted.id}}')?.urlEncoding).toBeUndefined();
  });

  it('splits literal text and placeholders', () => {
    const t = compileTemplate('Bearer {{ credentials.apiToken }}!');
    expect(t.whole).toBeUndefined();
    expect(t.parts).toEqual(['Bearer ', { source: '{{ credentials.apiToken }}', name: 'credentials.apiToken', expression: { kind: 'credential', name: 'apiToken' } }, '!']);
    expect(t.credentials).toEqual(['apiToken']);
  });

  it('marks a string that is exactly one placeholder as whole', () => {
    expect(compileTemplate('{{transformedData}}').whole?.expression).toEqual({ kind: 'path', root: 'transformedData', segments: [] });
    expect(compileTemplate(' {{transformedData}}').whole).toBeUndefined();
    expect(compileTemplate('{{a}}{{b}}').whole).toBeUndefined();
  });

  it('parses paths with fields, indexes, negative indexes, quoted keys and hyphens', () => {
    const expr = (s: string) => compileTemplate(s).whole?.expression;
    expect(expr('{{extracted.items[0].name}}')).toEqual({ kind: 'path', root: 'extracted', segments: ['items', 0, 'name'] });
    expect(expr('{{extracted.items[-1]}}')).toEqual({ kind: 'path', root: 'extracted', segments: ['items', -1] });
    expect(expr('{{extracted.items.2}}')).toEqual({ kind: 'path', root: 'extracted', segments: ['items', 2] });
    expect(expr('{{ extracted[ "first name" ].x }}')).toEqual({ kind: 'path', root: 'extracted', segments: ['first name', 'x'] });
    expect(expr('{{extracted.first-name}}')).toEqual({ kind: 'path', root: 'extracted', segments: ['first-name'] });
    expect(expr('{{source.url}}')).toEqual({ kind: 'path', root: 'source', segments: ['url'] });
  });

  it('knows the built-ins', () => {
    const expr = (s: string) => compileTemplate(s).whole?.expression;
    expect(expr('{{now()}}')).toEqual({ kind: 'now' });
    expect(expr('{{ now( ) }}')).toEqual({ kind: 'now' });
    expect(expr('{{timestamp}}')).toEqual({ kind: 'now' });
    expect(expr('{{yesterday}}')).toEqual({ kind: 'yesterday' });
    expect(expr('{{generateId()}}')).toEqual({ kind: 'generateId' });
    expect(expr('{{env.DB_HOST}}')).toEqual({ kind: 'env', name: 'DB_HOST' });
  });

  it('parses JSON defaults, including ones containing braces and quotes', () => {
    const fallback = (s: string) => compileTemplate(s).whole?.fallback;
    expect(fallback('{{extracted.price | default: 0}}')).toEqual({ value: 0 });
    expect(fallback('{{extracted.tags|default:[]}}')).toEqual({ value: [] });
    expect(fallback('{{extracted.meta | default: {"a": {"b": "}}"}}}}')).toEqual({ value: { a: { b: '}}' } } });
    expect(fallback('{{x | default: "n/a"}}')).toEqual({ value: 'n/a' });
    expect(fallback('{{x | default: null}}')).toEqual({ value: null });
  });

  it('leaves text without {{ alone', () => {
    expect(hasTemplate('https://api.example.com/v1/data')).toBe(false);
    expect(compileTemplate('a } b }}').parts).toEqual(['a } b }}']);
  });
});

describe('compileTemplate errors name the template, where it is and what was expected', () => {
  it('an unclosed placeholder', () => {
    const e = syntaxError('api_results_{{id', 'resultProcessing.storage.key');
    expect(e.message).toBe('Template "api_results_{{id" in resultProcessing.storage.key: expected a closing "}}" for the "{{" here at position 13, found "{{id".');
    expect(e.details).toMatchObject({ template: 'api_results_{{id', location: 'resultProcessing.storage.key', position: 13 });
  });

  it('refuses | raw on page data, and raw with segments', () => {
    expect(syntaxError('https://a.test/{{extracted.path | raw}}').details?.expected).toContain('no "| raw" on extracted.path');
    expect(syntaxError('{{source.url|raw}}').details?.expected).toContain('{{source.url | segments}}');
    expect(syntaxError('{{env.A | raw | segments}}').details?.expected).toBe('one of "raw" and "segments", not both');
  });

  it('unknown functions and filters', () => {
    expect(syntaxError('{{uuid()}}').details?.expected).toBe('a known function (now() or generateId()), not uuid()');
    expect(syntaxError('{{x | upper}}').details?.expected).toBe('a filter ("default", "raw" or "segments"), not "upper"');
  });

  it('functions without parentheses and values with fields', () => {
    expect(syntaxError('{{now}}').details?.expected).toBe('"()" after now: it is a function, written {{now()}}');
    expect(syntaxError('{{timestamp.x}}').details?.expected).toBe('"}}" after timestamp: it is a single value with no fields');
  });

  it('env takes exactly one name; credentials one name, dots allowed', () => {
    expect(syntaxError('{{credentials}}').details?.expected).toBe('a credential name after credentials, as in {{credentials.apiToken}} or {{credentials.github.accessToken}}');
    expect(syntaxError('{{env.A.B}}').details?.expected).toBe('exactly one name after env, as in {{env.API_BASE}}');
    expect(syntaxError('{{credentials[0]}}').details?.expected).toContain('a credential name after credentials');
    expect(syntaxError('{{credentials.github[0]}}').details?.expected).toContain('a credential name after credentials');
    expect(compileTemplate('Bearer {{credentials.github.accessToken}}').credentials).toEqual(['github.accessToken']);
    expect(compileTemplate('{{credentials["github.token"]}}').credentials).toEqual(['github.token']);
  });

  it('bad paths, empty placeholders, invalid defaults, expressions', () => {
    expect(syntaxError('{{}}').details?.expected).toContain('a name such as extracted.title');
    expect(syntaxError('{{ a. }}').details?.expected).toBe('a field name or an index after "."');
    expect(syntaxError('{{a[x]}}').details?.expected).toContain('a list index such as [0]');
    expect(syntaxError('{{a[0}}').details?.expected).toBe('"]"');
    expect(syntaxError('{{a + 1}}').details?.expected).toBe('"}}", "|" or the rest of a path ("." or "[")');
    expect(syntaxError('{{a | default: }}').details?.expected).toContain('a JSON value after "default:"');
    expect(syntaxError("{{a | default: 'x'}}").details?.expected).toContain('a JSON value after "default:"');
    expect(syntaxError('{{a["x\\q"]}}').details?.expected).toBe('a key in double quotes with valid escapes');
  });
});
