/**
 * Evaluates compiled templates against a scope. Synchronous and allocation-light, because it runs per
 * field per record (the HTTP benchmark maps 10,000 records): credentials are resolved before, once.
 */
import { FerryError } from '../../errors/ferry-error';
import type { CompiledTemplate, PathSegment, Placeholder } from './ast';
import type { CredentialValues } from './credentials';

/** Top-level names a template may read: `extracted`, `source`, `transformedData`, anything the caller puts in. */
export type TemplateScope = Readonly<Record<string, unknown>>;

/** Which record is being rendered, so an error can name it. */
export interface RecordRef {
  index?: number;
  id?: string | number;
}

export interface RenderOptions {
  /** Values for `{{env.NAME}}`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Resolved by the caller that owns the vault (the background). Without them, credential templates fail. */
  credentials?: CredentialValues;
  record?: RecordRef;
  /** The render time in epoch milliseconds for `now()`, `timestamp` and `yesterday`; default: the clock. */
  now?: number;
  /** Defaults to `crypto.randomUUID()`. */
  generateId?: () => string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MISSING = Symbol('missing');

/** The template's value: one whole placeholder keeps its type; anything else renders as text. */
export function renderTemplate(template: CompiledTemplate, scope: TemplateScope, options: RenderOptions = {}): unknown {
  if (template.whole) return evaluate(template, template.whole, scope, options);
  return renderText(template, scope, options);
}

/** Always text: a whole placeholder that yields a list or object is written as JSON. */
export function renderTemplateString(template: CompiledTemplate, scope: TemplateScope, options: RenderOptions = {}): string {
  return template.whole ? toText(evaluate(template, template.whole, scope, options)) : renderText(template, scope, options);
}

function renderText(template: CompiledTemplate, scope: TemplateScope, options: RenderOptions): string {
  let out = '';
  for (const part of template.parts) out += typeof part === 'string' ? part : toText(evaluate(template, part, scope, options));
  return out;
}

/** How a value reads inside text: objects and lists as JSON, null as nothing. */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One placeholder's value (its default applied; a missing value throws), for renderers that write values their own way (url.ts). */
export function evaluatePlaceholder(template: CompiledTemplate, p: Placeholder, scope: TemplateScope, options: RenderOptions = {}): unknown {
  return evaluate(template, p, scope, options);
}

function evaluate(template: CompiledTemplate, p: Placeholder, scope: TemplateScope, options: RenderOptions): unknown {
  const e = p.expression;
  let value: unknown;
  let missing = ''; // what was not there, for the error
  switch (e.kind) {
    case 'now':
      return new Date(options.now ?? Date.now()).toISOString();
    case 'yesterday':
      return new Date((options.now ?? Date.now()) - DAY_MS).toISOString();
    case 'generateId':
      return options.generateId ? options.generateId() : crypto.randomUUID();
    case 'env':
      value = options.env && Object.hasOwn(options.env, e.name) ? options.env[e.name] : undefined;
      missing = `the environment variable ${e.name} is not set`;
      break;
    case 'credential':
      if (!options.credentials) {
        throw new FerryError(
          'TEMPLATE_CREDENTIALS_UNAVAILABLE',
          `${p.source}${where(template)} reads a credential, and credentials are only resolved in the background when a request is sent.`,
          { template: p.source, location: template.location, credential: e.name },
        );
      }
      value = options.credentials.get(e.name);
      if (value === undefined && !p.fallback) {
        throw new FerryError('TEMPLATE_MISSING_CREDENTIAL', `${p.source}${where(template)}: there is no credential named "${e.name}". Add it under Credentials, or correct the name.`, {
          template: p.source,
          location: template.location,
          credential: e.name,
        });
      }
      break;
    case 'path': {
      value = lookup(scope, e.root, e.segments);
      if (value === MISSING) missing = describeMissing(scope, e.root, e.segments);
      break;
    }
  }
  if (value === undefined || value === MISSING || value === null) {
    if (p.fallback) return p.fallback.value;
    if (value === null) return null;
    throw missingPath(template, p, missing, options.record);
  }
  return value;
}

/** Own properties only: a template must never reach `constructor` or `__proto__` of the data. */
function lookup(scope: TemplateScope, root: string, segments: readonly PathSegment[]): unknown {
  let v: unknown = Object.hasOwn(scope, root) ? scope[root] : MISSING;
  for (let i = 0; i < segments.length && v !== MISSING; i++) v = step(v, segments[i]!);
  return v === undefined ? MISSING : v;
}

function step(v: unknown, seg: PathSegment): unknown {
  if (typeof seg === 'number' && Array.isArray(v)) {
    const item: unknown = v[seg < 0 ? v.length + seg : seg];
    return item === undefined ? MISSING : item;
  }
  if (v === null || typeof v !== 'object') return MISSING;
  const key = String(seg);
  if (!Object.hasOwn(v, key)) return MISSING;
  const item = (v as Record<string, unknown>)[key];
  return item === undefined ? MISSING : item;
}

function describeMissing(scope: TemplateScope, root: string, segments: readonly PathSegment[]): string {
  if (!Object.hasOwn(scope, root)) return `there is no "${root}" here (available: ${Object.keys(scope).join(', ') || 'nothing'})`;
  let v: unknown = scope[root];
  let name = root;
  for (const seg of segments) {
    const next = step(v, seg);
    const shown = typeof seg === 'number' ? `${name}[${seg}]` : `${name}.${seg}`;
    if (next === MISSING) {
      if (v === null || typeof v !== 'object') return `${name} is ${v === null ? 'null' : typeof v}, so it has no ${typeof seg === 'number' ? `item ${seg}` : `"${seg}"`}`;
      if (Array.isArray(v) && typeof seg === 'number') return `${name} has ${v.length} item${v.length === 1 ? '' : 's'}, so there is no ${shown}`;
      return `${name} has no "${seg}"`;
    }
    v = next;
    name = shown;
  }
  return `${name} is missing`;
}

function missingPath(template: CompiledTemplate, p: Placeholder, missing: string, record: RecordRef | undefined): FerryError {
  const which = describeRecord(record);
  return new FerryError(
    'TEMPLATE_MISSING_PATH',
    `${p.source}${where(template)}${which ? ` for ${which}` : ''}: ${missing}. If the value is optional, give a default: {{${p.name} | default: null}}.`,
    { template: p.source, location: template.location, path: p.name, reason: missing, ...(record ? { record } : {}) },
  );
}

function describeRecord(record: RecordRef | undefined): string {
  if (!record) return '';
  const parts = [record.index !== undefined ? `record ${record.index}` : 'the record', record.id !== undefined ? `(id ${JSON.stringify(record.id)})` : ''];
  return parts.filter(Boolean).join(' ');
}

function where(template: CompiledTemplate): string {
  return template.location ? ` in ${template.location}` : '';
}
