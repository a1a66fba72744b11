/**
 * Parses configuration text as users paste it from the integration guide: JSON plus what the guide's
 * blocks actually contain — `//` line comments (each block opens with one), backtick strings for
 * multi-line text (GraphQL and SQL queries), and trailing commas. Nothing else: no single quotes, no
 * unquoted keys, no `${}` interpolation, so a paste either means exactly what JSON would mean or is
 * refused with the line, the column and what was expected there.
 */
import { FerryError } from '../errors/ferry-error';
import type { JsonValue } from '../protocol/jsonrpc';
import { describeFound, positionOf } from './config-text-position';
import { joinPath } from './template/value';

/** Deeper than any real configuration; keeps hostile input from exhausting the stack. */
const MAX_DEPTH = 200;

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const VALUE_EXPECTED = 'a value (an object, a list, a string in double quotes or backticks, a number, true, false or null)';

/** Returns the value the text describes, or throws FerryError `CONFIG_SYNTAX` (details: line, column, expected, found). */
export function parseConfigText(text: string): JsonValue {
  return new ConfigTextParser(text).parseDocument();
}

/**
 * As parseConfigText, and where each value's key (or list item) starts in the text, by JSON path as
 * validation messages write it (`steps[1].http.url`; the document itself is ""): what an editor needs
 * to show a message on the line it is about.
 */
export function parseConfigTextWithPositions(text: string): { value: JsonValue; positions: Map<string, number> } {
  const positions = new Map<string, number>();
  const value = new ConfigTextParser(text, positions).parseDocument();
  return { value, positions };
}

class ConfigTextParser {
  private pos = 0;
  private path: (string | number)[] = [];

  constructor(private readonly text: string, private readonly positions?: Map<string, number>) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1; // a byte-order mark from a saved file
  }

  parseDocument(): JsonValue {
    this.skipTrivia();
    if (this.pos >= this.text.length) this.fail('a value; the text is empty (only whitespace or comments)');
    this.positions?.set('', this.pos);
    const value = this.parseValue(0);
    this.skipTrivia();
    if (this.pos < this.text.length) this.fail('the end of the text after the value (only one value may be given)');
    return value;
  }

  private parseValue(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`at most ${MAX_DEPTH} levels of nesting`);
    const ch = this.text[this.pos];
    switch (ch) {
      case '{':
        return this.parseObject(depth);
      case '[':
        return this.parseArray(depth);
      case '"':
        return this.parseQuoted();
      case '`':
        return this.parseBackticked();
    }
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos) && !isWordChar(this.text[this.pos + word.length])) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail(VALUE_EXPECTED);
  }

  private parseObject(depth: number): JsonValue {
    const out: Record<string, JsonValue> = {};
    const seen = new Map<string, number>();
    this.pos++; // {
    for (;;) {
      this.skipTrivia();
      if (this.text[this.pos] === '}') break;
      if (this.text[this.pos] !== '"') this.fail(seen.size === 0 ? 'a key in double quotes or "}"' : 'a key in double quotes (keys are always quoted, e.g. "url")');
      const keyAt = this.pos;
      const key = this.parseQuoted();
      const first = seen.get(key);
      if (first !== undefined) {
        const at = positionOf(this.text, first);
        this.fail(`each key once; "${key}" was already given at line ${at.line}, column ${at.column}`, keyAt);
      }
      seen.set(key, keyAt);
      this.skipTrivia();
      if (this.text[this.pos] !== ':') this.fail(`":" after the key "${key}"`);
      this.pos++;
      this.skipTrivia();
      const value = this.at(key, keyAt, () => this.parseValue(depth + 1));
      // Plain assignment of "__proto__" would replace the prototype instead of adding a key.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      this.skipTrivia();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue; // a trailing comma is fine: the loop then finds "}"
      }
      if (this.text[this.pos] === '}') break;
      this.fail(this.text[this.pos] === '"' ? '"," or "}" (is a comma missing after the previous value?)' : '"," or "}"');
    }
    this.pos++; // }
    return out;
  }

  private parseArray(depth: number): JsonValue {
    const out: JsonValue[] = [];
    this.pos++; // [
    for (;;) {
      this.skipTrivia();
      if (this.text[this.pos] === ']') break;
      out.push(this.at(out.length, this.pos, () => this.parseValue(depth + 1)));
      this.skipTrivia();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === ']') break;
      this.fail('"," or "]" (is a comma missing between two items?)');
    }
    this.pos++; // ]
    return out;
  }

  /** Parses the value at `segment` of the current path, noting where it starts when positions are kept. */
  private at<T>(segment: string | number, start: number, parse: () => T): T {
    if (!this.positions) return parse();
    this.path.push(segment);
    this.positions.set(joinPath('', this.path), start);
    try {
      return parse();
    } finally {
      this.path.pop();
    }
  }

  private parseQuoted(): string {
    this.pos++; // "
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined || ch === '\n' || ch === '\r') {
        this.fail('a closing double quote: a string in double quotes ends on the line it starts (use backticks for multi-line text)');
      }
      if (ch === '"') break;
      if (ch < ' ' && ch !== '\t') this.fail('text without control characters (write them as escapes such as \\n)');
      if (ch === '\\') {
        out += this.text.slice(chunkStart, this.pos);
        out += this.parseEscape();
        chunkStart = this.pos;
        continue;
      }
      this.pos++;
    }
    out += this.text.slice(chunkStart, this.pos);
    this.pos++; // "
    return out;
  }

  private parseEscape(): string {
    const esc = this.text[this.pos + 1];
    if (esc === 'u') {
      const hex = this.text.slice(this.pos + 2, this.pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('four hex digits after \\u');
      this.pos += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    const decoded = esc === undefined ? undefined : ESCAPES[esc];
    if (decoded === undefined) this.fail('an escape such as \\" \\\\ \\n \\t or \\u00e9 after the backslash (write a backslash itself as \\\\)');
    this.pos += 2;
    return decoded;
  }

  /** Backtick strings are raw, like a JS template literal without `${}`: kept exactly as written. */
  private parseBackticked(): string {
    const start = this.pos;
    const end = this.text.indexOf('`', start + 1);
    if (end < 0) this.fail('a closing backtick for the text that starts here', start, 'the end of the text');
    this.pos = end + 1;
    // JavaScript normalizes line endings inside template literals; pasted Windows text gets the same.
    return this.text.slice(start + 1, end).replace(/\r\n?/g, '\n');
  }

  private parseNumber(): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    const next = match ? this.text[this.pos + match[0].length] : undefined;
    if (!match || match[0] === '-' || isWordChar(next) || next === '.') this.fail('a number such as 42, -3.5 or 1e3');
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private skipTrivia(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') this.pos++;
      else if (ch === '/' && text[this.pos + 1] === '/') {
        const eol = text.indexOf('\n', this.pos);
        this.pos = eol < 0 ? text.length : eol + 1;
      } else break;
    }
  }

  private fail(expected: string, at = this.pos, foundText?: string): never {
    const { line, column } = positionOf(this.text, at);
    const found = foundText === undefined ? describeFound(this.text, at) : { text: foundText };
    throw new FerryError('CONFIG_SYNTAX', `Configuration text, line ${line}, column ${column}: expected ${expected}, found ${found.text}.${found.hint ? ` ${found.hint}` : ''}`, {
      line,
      column,
      expected,
      found: found.text,
    });
  }
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\w$]/.test(ch);
}
