import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { parseConfigText } from './config-text';

const SEED_DIR = join(__dirname, '../../tests/fixtures/seed');

function syntaxError(text: string) {
  try {
    parseConfigText(text);
  } catch (e) {
    if (isFerryError(e, 'CONFIG_SYNTAX')) return e;
    throw e;
  }
  throw new Error('expected CONFIG_SYNTAX');
}

describe('parseConfigText: what JSON means', () => {
  it('parses plain JSON exactly as JSON.parse does', () => {
    const text = '{"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"}, "e": ""}';
    expect(parseConfigText(text)).toEqual(JSON.parse(text));
  });

  it('parses scalars at the top level', () => {
    expect(parseConfigText(' 42 ')).toBe(42);
    expect(parseConfigText('"x"')).toBe('x');
    expect(parseConfigText('null')).toBe(null);
  });

  it('keeps "__proto__" as an ordinary key instead of replacing the prototype', () => {
    const value = parseConfigText('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('skips a byte-order mark', () => {
    expect(parseConfigText('\ufeff{"a": 1}')).toEqual({ a: 1 });
  });
});

describe('parseConfigText: what the seed adds', () => {
  it('skips // line comments, but not // inside strings', () => {
    const text = '// leading comment\n{\n  "url": "https://api.example.com/v1", // trailing\n  // own line\n  "n": 1\n}\n// after';
    expect(parseConfigText(text)).toEqual({ url: 'https://api.example.com/v1', n: 1 });
  });

  it('accepts trailing commas in objects and lists', () => {
    expect(parseConfigText('{"a": [1, 2,], "b": {"c": 1,},}')).toEqual({ a: [1, 2], b: { c: 1 } });
  });

  it('keeps backtick text exactly as written, newlines and $ included, with CRLF normalized', () => {
    const text = '{"query": `\n  mutation M($input: In!) {\n    x(input: $input) { id }\n  }\n`, "sql": `a\\nb ${x}`, "w": `l1\r\nl2`}';
    expect(parseConfigText(text)).toEqual({
      query: '\n  mutation M($input: In!) {\n    x(input: $input) { id }\n  }\n',
      sql: 'a\\nb ${x}',
      w: 'l1\nl2',
    });
  });

  it('parses every seed block', () => {
    const files = readdirSync(SEED_DIR).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThanOrEqual(26);
    for (const file of files) {
      const text = readFileSync(join(SEED_DIR, file), 'utf8');
      expect(text.trimStart().startsWith('//'), file).toBe(true);
      const value = parseConfigText(text);
      expect(typeof value, file).toBe('object');
    }
  });

  it('reads the GraphQL query of the seed as the raw text between the backticks', () => {
    const value = parseConfigText(readFileSync(join(SEED_DIR, 'graphql-config.txt'), 'utf8')) as { graphqlConfig: { query: string } };
    expect(value.graphqlConfig.query.startsWith('\nmutation CreateRecord($input: RecordInput!) {\ncreateRecord(input: $input) {\n')).toBe(true);
    expect(value.graphqlConfig.query.endsWith('}\n}\n')).toBe(true);
  });
});

describe('parseConfigText: errors say where and what was expected', () => {
  it('a missing comma between keys', () => {
    const e = syntaxError('{\n  "a": 1\n  "b": 2\n}');
    expect(e.details).toEqual({ line: 3, column: 3, expected: '"," or "}" (is a comma missing after the previous value?)', found: '"\\""' });
    expect(e.message).toContain('line 3, column 3');
  });

  it('an unquoted key', () => {
    const e = syntaxError('{\n  method: "POST"\n}');
    expect(e.details).toMatchObject({ line: 2, column: 3, found: 'the word method' });
    expect(e.message).toContain('Keys are written in double quotes: "method"');
  });

  it('single and typographic quotes', () => {
    expect(syntaxError("{'a': 1}").message).toContain('Strings use double quotes');
    expect(syntaxError('{"a": \u201cx\u201d}').message).toContain('Typographic quotes');
  });

  it('a string that runs past the end of its line', () => {
    const e = syntaxError('{"a": "one\ntwo"}');
    expect(e.details).toMatchObject({ line: 1, column: 11, found: 'the end of the line' });
    expect(e.message).toContain('use backticks for multi-line text');
  });

  it('an unclosed backtick points at where it opens', () => {
    const e = syntaxError('{\n"q": `abc\n\n}');
    expect(e.details).toMatchObject({ line: 2, column: 6, found: 'the end of the text' });
  });

  it('an unclosed object', () => {
    const e = syntaxError('{"a": {"b": 1}');
    expect(e.details).toMatchObject({ found: 'the end of the text' });
    expect(e.message).toContain('Is a closing } or ] missing?');
  });

  it('duplicate keys name the first occurrence', () => {
    const e = syntaxError('{\n"url": "a",\n"url": "b"\n}');
    expect(e.details).toMatchObject({ line: 3, column: 1 });
    expect(e.message).toContain('"url" was already given at line 2, column 1');
  });

  it('values JSON does not have', () => {
    expect(syntaxError('{"a": undefined}').message).toContain('use null');
    expect(syntaxError('{"a": NaN}').details).toMatchObject({ found: 'the word NaN' });
    expect(syntaxError('[01]').details).toMatchObject({ expected: 'a number such as 42, -3.5 or 1e3' });
    expect(syntaxError('[1.]').details).toMatchObject({ expected: 'a number such as 42, -3.5 or 1e3' });
    expect(syntaxError('[-]').details).toMatchObject({ expected: 'a number such as 42, -3.5 or 1e3' });
    expect(syntaxError('[.5]').details).toMatchObject({ found: '"."' });
    expect(syntaxError('[truex]').details).toMatchObject({ found: 'the word truex' });
  });

  it('bad escapes, block comments, stray text after the value, empty text', () => {
    expect(syntaxError('"a\\qb"').details).toMatchObject({ column: 3 });
    expect(syntaxError('"\\u12"').details).toMatchObject({ expected: 'four hex digits after \\u' });
    expect(syntaxError('/* c */ {}').message).toContain('Only // line comments');
    expect(syntaxError('{} {}').details).toMatchObject({ expected: 'the end of the text after the value (only one value may be given)', column: 4 });
    expect(syntaxError('  // nothing\n').details).toMatchObject({ expected: 'a value; the text is empty (only whitespace or comments)' });
    expect(syntaxError('[1 2]').details).toMatchObject({ expected: '"," or "]" (is a comma missing between two items?)' });
  });

  it('counts lines across CRLF and CR line endings', () => {
    expect(syntaxError('{\r\n"a": 1\r\n"b": 2}').details).toMatchObject({ line: 3, column: 1 });
    expect(syntaxError('{\r"a": 1\r"b": 2}').details).toMatchObject({ line: 3, column: 1 });
  });

  it('refuses nesting deeper than any configuration needs instead of overflowing the stack', () => {
    expect(syntaxError('['.repeat(5000)).details).toMatchObject({ expected: 'at most 200 levels of nesting' });
  });
});

describe('parseConfigTextWithPositions', () => {
  it('notes where each key and list item starts, by the JSON path validation messages use', async () => {
    const { parseConfigTextWithPositions } = await import('./config-text');
    const text = '// a comment\n{\n  "steps": [\n    { "http": { "url": "x" } },\n  ],\n  "odd key": 1\n}';
    const { value, positions } = parseConfigTextWithPositions(text);
    expect(value).toEqual({ steps: [{ http: { url: 'x' } }], 'odd key': 1 });
    const lineOf = (path: string) => text.slice(0, positions.get(path)).split('\n').length;
    expect([lineOf(''), lineOf('steps'), lineOf('steps[0]'), lineOf('steps[0].http.url'), lineOf('["odd key"]')]).toEqual([2, 3, 4, 4, 6]);
    expect(text.slice(positions.get('steps[0].http.url'))).toMatch(/^"url"/);
  });
});
