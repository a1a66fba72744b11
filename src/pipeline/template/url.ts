/**
 * URL templates: the one way Ferry renders a URL from `{{...}}` (an HTTP step's `url`, a GraphQL
 * `endpoint`, a saved integration's `baseUrl` and `endpoint`). A value is written into the URL
 * according to where its placeholder sits, so data can never move the request elsewhere:
 *
 * - before the path (scheme, host, port: `{{env.API}}/v1`, `https://{{env.HOST}}/`): as written,
 *   since that is the author's own configuration; page data is refused there at compile time, so a
 *   page never chooses the server that receives the step's headers and credentials;
 * - in the path: one segment (`encodeURIComponent`, which encodes `/ \ ? # % &` and everything
 *   else that could end the segment). A segment that would be `.` or `..` (the URL parser treats
 *   `%2e` as a dot too, so encoding cannot help) or empty is refused, naming the field;
 * - in the query: one name or value; in the fragment: fragment text (both `encodeURIComponent`);
 * - `| raw` (author values only, parse.ts): as written; `| segments`: several path segments, each
 *   encoded and checked on its own.
 *
 * Lists and objects are refused (a URL takes one text value; a list belongs in the step's `query`).
 */
import { FerryError } from '../../errors/ferry-error';
import type { CompiledTemplate, Placeholder } from './ast';
import { compileTemplate } from './parse';
import { evaluatePlaceholder, toText, type RecordRef, type RenderOptions, type TemplateScope } from './render';

/** Where a placeholder sits in the URL it renders into. */
export type UrlPlace = 'origin' | 'path' | 'query' | 'fragment';

export interface CompiledUrl {
  readonly template: CompiledTemplate;
  /** The place of each of `template.parts` (undefined for literal text). */
  readonly places: readonly (UrlPlace | undefined)[];
}

/** Why one record's value cannot go into the URL; becomes the record's reject reason. */
export interface UrlValueProblem {
  /** The placeholder's expression: `extracted.id`. */
  field: string;
  message: string;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** Compiles `text` and finds each placeholder's place; throws URL_TEMPLATE_PAGE_ORIGIN for page data before the path. */
export function compileUrlTemplate(text: string, location = ''): CompiledUrl {
  const template = compileTemplate(text, location);
  const places = urlPlaces(template);
  template.parts.forEach((part, i) => {
    if (typeof part === 'string' || places[i] !== 'origin' || part.expression.kind !== 'path') return;
    throw new FerryError(
      'URL_TEMPLATE_PAGE_ORIGIN',
      `${part.source}${location ? ` in ${location}` : ''} sits before the URL's path, where it would choose the server that receives the request and its credentials. Write the scheme and host yourself (or use {{env.NAME}}) and put page data in the path or the query.`,
      { location, template: text, placeholder: part.source },
    );
  });
  return { template, places };
}

/** Scans the literal text: `/` after the host starts the path, `?` the query, `#` the fragment. */
export function urlPlaces(template: CompiledTemplate): (UrlPlace | undefined)[] {
  let place: UrlPlace = 'origin';
  return template.parts.map((part, i) => {
    if (typeof part !== 'string') return place;
    const from = i === 0 ? (SCHEME.exec(part)?.[0].length ?? 0) : 0;
    for (let c = from; c < part.length; c++) place = next(place, part[c]!);
    return undefined;
  });
}

function next(place: UrlPlace, ch: string): UrlPlace {
  if (place === 'fragment') return place;
  if (ch === '#') return 'fragment';
  if (place === 'query') return place;
  if (ch === '?') return 'query';
  return place === 'origin' && ch === '/' ? 'path' : place;
}

/** The URL for this scope; throws URL_VALUE_REFUSED (naming the field and the record) for a value it cannot hold as written. */
export function renderUrl(compiled: CompiledUrl, scope: TemplateScope, options: RenderOptions = {}): string {
  const built = assemble(compiled, (p) => evaluatePlaceholder(compiled.template, p, scope, options));
  if (typeof built === 'string') return built;
  throw urlValueRefused(compiled, built, options.record);
}

/**
 * The problem this record's page data would cause in the URL, checked when a run starts so the record
 * becomes a reject instead of a failed batch. Only page data is evaluated (credentials are not
 * resolved yet); a missing value is left to the send, which reports it as it always has.
 */
export function urlValueProblem(compiled: CompiledUrl, scope: TemplateScope, options: RenderOptions = {}): UrlValueProblem | undefined {
  const built = assemble(compiled, (p) => {
    if (p.expression.kind !== 'path') return STAND_IN;
    try {
      return evaluatePlaceholder(compiled.template, p, scope, options);
    } catch {
      return STAND_IN;
    }
  });
  return typeof built === 'string' ? undefined : built;
}

const STAND_IN = 'x';

function assemble(compiled: CompiledUrl, valueOf: (p: Placeholder) => unknown): string | UrlValueProblem {
  let out = '';
  const spans: [number, number, Placeholder][] = [];
  const { parts } = compiled.template;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const place = compiled.places[i] ?? 'origin';
    const value = valueOf(part);
    if (place === 'origin' || part.urlEncoding === 'raw') {
      out += toText(value);
      continue;
    }
    const encoded = encodeValue(value, place, part);
    if (typeof encoded !== 'string') return encoded;
    if (place === 'path') spans.push([out.length, out.length + encoded.length, part]);
    out += encoded;
  }
  for (const [start, end, p] of spans) {
    const problem = segmentProblem(out, start, end, p);
    if (problem) return problem;
  }
  return out;
}

function encodeValue(value: unknown, place: UrlPlace, p: Placeholder): string | UrlValueProblem {
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return { field: p.name, message: `is ${Array.isArray(value) ? 'a list' : 'an object'}, and a URL takes one text value here (pick one field of it, or send lists in the step's "query")` };
  }
  const text = toText(value);
  const pieces = place === 'path' && p.urlEncoding === 'segments' ? text.split('/') : [text];
  try {
    return pieces.map((piece) => encodeURIComponent(piece)).join('/');
  } catch {
    return { field: p.name, message: 'holds text that is not valid Unicode (a lone surrogate), which a URL cannot carry' };
  }
}

/** The segments the value's characters ended up in (with any literal text around them) must each be a real name. */
function segmentProblem(url: string, start: number, end: number, p: Placeholder): UrlValueProblem | undefined {
  const from = url.lastIndexOf('/', start - 1) + 1;
  let to = end;
  while (to < url.length && !'/?#'.includes(url[to]!)) to++;
  for (const segment of url.slice(from, to).split('/')) {
    if (DOT_SEGMENT.test(segment)) {
      return { field: p.name, message: `would make the path segment "${segment}", which the URL parser reads as "${segment.replace(/%2e/gi, '.')}" and resolves to another path; Ferry sends requests only where the URL names` };
    }
    if (segment === '') return { field: p.name, message: 'is empty, which would leave an empty path segment and send the request to another path' };
  }
  return undefined;
}

function urlValueRefused(compiled: CompiledUrl, problem: UrlValueProblem, record: RecordRef | undefined): FerryError {
  const { location } = compiled.template;
  const which = record?.index !== undefined ? ` for record ${record.index}` : '';
  return new FerryError('URL_VALUE_REFUSED', `${location ? `${location}: ` : ''}{{${problem.field}}}${which} ${problem.message}.`, {
    location,
    field: problem.field,
    reason: problem.message,
    ...(record ? { record } : {}),
  });
}
