/**
 * Compiles template strings: finds each `{{...}}` and parses what is inside into a small AST.
 *
 * Grammar inside the braces (whitespace allowed between tokens):
 *   expression := reference ( "|" ( "raw" | "segments" ) )? ( "|" "default" ":" JSON )?
 *   reference  := name "(" ")"                          now(), generateId()
 *               | name ( "." name | "." digits | "[" integer "]" | "[" "string" "]" )*
 *   name       := [A-Za-z_$][A-Za-z0-9_$-]*             hyphens allowed: there is no arithmetic
 *
 * `raw` and `segments` say how a value is written into a URL (template/url.ts); `raw` is refused on
 * page data (anything but env, credentials and the clock), whose values a URL always encodes.
 */
import { FerryError } from '../../errors/ferry-error';
import type { JsonValue } from '../../protocol/jsonrpc';
import type { CompiledTemplate, PathSegment, Placeholder, TemplateExpression } from './ast';

// Maps, not object literals: a name like "toString" must not find Object.prototype's.
const FUNCTIONS = new Map<string, TemplateExpression>([['now', { kind: 'now' }], ['generateId', { kind: 'generateId' }]]);
const VALUES = new Map<string, TemplateExpression>([['timestamp', { kind: 'now' }], ['yesterday', { kind: 'yesterday' }]]);
const NAME = /[A-Za-z_$][\w$-]*/y;
const INDEX = /-?\d+/y;

/** True when the text contains a `{{`, i.e. would be compiled as a template. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** Parses `text` once; throws FerryError `TEMPLATE_SYNTAX` naming the template, where it is and what was expected. */
export function compileTemplate(text: string, location = ''): CompiledTemplate {
  const parts: (string | Placeholder)[] = [];
  const credentials = new Set<string>();
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    if (open > pos) parts.push(text.slice(pos, open));
    const close = findClose(text, open + 2);
    if (close < 0) fail(text, location, open, 'a closing "}}" for the "{{" here');
    const placeholder = parsePlaceholder(text, location, open, close);
    if (placeholder.expression.kind === 'credential') credentials.add(placeholder.expression.name);
    parts.push(placeholder);
    pos = close + 2;
  }
  if (pos < text.length) parts.push(text.slice(pos));
  const only = parts.length === 1 ? parts[0] : undefined;
  return { source: text, location, whole: typeof only === 'object' ? only : undefined, parts, credentials: [...credentials] };
}

/** The `}}` that ends a placeholder: not one inside a quoted string or closing an object in a default. */
function findClose(text: string, from: number): number {
  let depth = 0;
  let inDefault = false; // brackets only nest in the JSON after "|"; in a path "[0}}" is an unclosed index
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === '|') inDefault = true;
    else if (inDefault && (ch === '{' || ch === '[')) depth++;
    else if (inDefault && depth > 0 && (ch === ']' || ch === '}')) depth--;
    else if (ch === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

function parsePlaceholder(text: string, location: string, open: number, close: number): Placeholder {
  const source = text.slice(open, close + 2);
  const p = new ExpressionReader(text, location, open + 2, close);
  p.skipSpace();
  const start = p.pos;
  const expression = p.reference();
  const name = text.slice(start, p.pos).trim();
  p.skipSpace();
  let fallback: { value: JsonValue } | undefined;
  let urlEncoding: 'raw' | 'segments' | undefined;
  while (p.peek() === '|' && !fallback) {
    p.pos++;
    p.skipSpace();
    const at = p.pos;
    const filter = p.name('a filter ("default", "raw" or "segments")');
    p.skipSpace();
    if (filter === 'default') {
      p.expect(':');
      fallback = { value: p.jsonRest() };
    } else if (filter === 'raw' || filter === 'segments') {
      if (urlEncoding) p.fail(`one of "raw" and "segments", not both`, at);
      if (filter === 'raw' && !AUTHOR_VALUES.has(expression.kind)) {
        p.fail(
          `no "| raw" on ${name}: raw keeps a value unencoded in a URL and is only for values the pipeline's author controls ({{env.*}}, {{credentials.*}}); values from the page are always encoded (write {{${name} | segments}} to let one fill several path segments)`,
          at,
        );
      }
      urlEncoding = filter;
    } else p.fail(`a filter ("default", "raw" or "segments"), not "${filter}"`, at);
  }
  if (p.pos < close) p.fail('"}}", "|" or the rest of a path ("." or "[")');
  return { source, name, expression, ...(fallback ? { fallback } : {}), ...(urlEncoding ? { urlEncoding } : {}) };
}

/** Values the pipeline's author wrote or chose, never the page's: the only ones `| raw` may mark. */
const AUTHOR_VALUES = new Set<TemplateExpression['kind']>(['env', 'credential', 'now', 'yesterday', 'generateId']);

class ExpressionReader {
  constructor(
    private readonly text: string,
    private readonly location: string,
    public pos: number,
    private readonly end: number,
  ) {}

  peek(): string | undefined {
    return this.pos < this.end ? this.text[this.pos] : undefined;
  }

  skipSpace(): void {
    while (this.pos < this.end && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`"${ch}"`);
    this.pos++;
  }

  name(what: string): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.text);
    if (!m || this.pos >= this.end) this.fail(what);
    this.pos += m[0].length;
    return m[0];
  }

  reference(): TemplateExpression {
    const root = this.name('a name such as extracted.title, source.url, env.NAME, credentials.name or now()');
    if (this.peek() === '(') {
      this.pos++;
      this.skipSpace();
      this.expect(')');
      const fn = FUNCTIONS.get(root);
      if (!fn) this.fail(`a known function (now() or generateId()), not ${root}()`, this.pos - root.length - 2);
      return fn;
    }
    if (FUNCTIONS.has(root)) this.fail(`"()" after ${root}: it is a function, written {{${root}()}}`);
    const segments = this.segments();
    const value = VALUES.get(root);
    if (value) {
      if (segments.length > 0) this.fail(`"}}" after ${root}: it is a single value with no fields`);
      return value;
    }
    if (root === 'env') {
      const [first, ...more] = segments;
      if (typeof first !== 'string' || more.length > 0) this.fail('exactly one name after env, as in {{env.API_BASE}}');
      return { kind: 'env', name: first };
    }
    if (root === 'credentials') {
      // Credential names may contain dots (github.token; an OAuth connection's github.accessToken),
      // so the name is every segment after `credentials`, joined again.
      if (segments.length === 0 || segments.some((segment) => typeof segment !== 'string')) {
        this.fail('a credential name after credentials, as in {{credentials.apiToken}} or {{credentials.github.accessToken}}');
      }
      return { kind: 'credential', name: segments.join('.') };
    }
    return { kind: 'path', root, segments };
  }

  private segments(): PathSegment[] {
    const out: PathSegment[] = [];
    for (;;) {
      const ch = this.peek();
      if (ch === '.') {
        this.pos++;
        const next = this.peek();
        out.push(next !== undefined && next >= '0' && next <= '9' ? this.index() : this.name('a field name or an index after "."'));
      } else if (ch === '[') {
        this.pos++;
        this.skipSpace();
        out.push(this.peek() === '"' ? this.quotedKey() : this.index());
        this.skipSpace();
        this.expect(']');
      } else return out;
    }
  }

  private index(): number {
    INDEX.lastIndex = this.pos;
    const m = INDEX.exec(this.text);
    if (!m || this.pos >= this.end) this.fail('a list index such as [0] or [-1], or a key in double quotes such as ["first name"]');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private quotedKey(): string {
    const start = this.pos;
    let i = this.pos + 1;
    for (; i < this.end && this.text[i] !== '"'; i++) if (this.text[i] === '\\') i++;
    if (i >= this.end) this.fail('a closing double quote for the key');
    try {
      const key = JSON.parse(this.text.slice(start, i + 1)) as string;
      this.pos = i + 1;
      return key;
    } catch {
      return this.fail('a key in double quotes with valid escapes');
    }
  }

  /** The default runs to the closing braces and is a JSON literal (parsed, not evaluated). */
  jsonRest(): JsonValue {
    const literal = this.text.slice(this.pos, this.end).trim();
    try {
      if (literal === '') throw new SyntaxError('empty');
      const value = JSON.parse(literal) as JsonValue;
      this.pos = this.end;
      return value;
    } catch {
      this.skipSpace();
      return this.fail('a JSON value after "default:" such as 0, "n/a", null, [] or {}');
    }
  }

  fail(expected: string, at = this.pos): never {
    return fail(this.text, this.location, at, expected);
  }
}

function fail(text: string, location: string, at: number, expected: string): never {
  const found = at >= text.length ? 'the end of the text' : text.startsWith('}}', at) ? '"}}"' : JSON.stringify(text.slice(at, at + 12));
  const where = location ? ` in ${location}` : '';
  const shown = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  throw new FerryError('TEMPLATE_SYNTAX', `Template ${JSON.stringify(shown)}${where}: expected ${expected} at position ${at + 1}, found ${found}.`, {
    template: text,
    location,
    position: at + 1,
    expected,
  });
}
