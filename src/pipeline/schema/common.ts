/**
 * Building blocks for the pipeline schemas. Every message set here is an *expectation phrase* ("a
 * number of milliseconds from 1 to 300000"), never a sentence: `issues.ts` turns each issue into
 * `path: expected <phrase>, got <value>`. One phrase per field covers all of its failures (wrong
 * type, not an integer, out of range), so a person reads the whole rule at once.
 */
import { z } from 'zod';
import { isFerryError } from '../../errors/ferry-error';
import type { JsonValue } from '../../protocol/jsonrpc';
import { parseDataPath } from '../data-path';
import { compileTemplate, hasTemplate } from '../template/parse';
import { compileUrlTemplate } from '../template/url';

const e = (phrase: string) => ({ error: phrase });

/** `params` of a custom issue about a key rather than its value: the message then quotes the key. */
export const KEY_ISSUE = { about: 'key' } as const;

/** An object that refuses unknown keys, so a typo ("timout") is reported instead of ignored. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T, phrase = 'an object') {
  // Only the type error gets the phrase: unknown keys fall through to issues.ts, which lists the known ones.
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : phrase) });
}

export function integer(min: number, max: number, phrase: string) {
  return z.number(e(phrase)).int(e(phrase)).min(min, e(phrase)).max(max, e(phrase));
}

export function milliseconds(min = 0, max = 24 * 60 * 60 * 1000) {
  return integer(min, max, `a number of milliseconds from ${min} to ${max}`);
}

export function statusCode() {
  return integer(100, 599, 'an HTTP status code from 100 to 599');
}

export function boolean() {
  return z.boolean(e('true or false'));
}

export function text(phrase = 'text') {
  return z.string(e(phrase)).min(1, e(`${phrase} (not empty)`));
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, e(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`));
}

export function list<T extends z.ZodType>(item: T, phrase: string) {
  return z.array(item, e(phrase));
}

export function record<T extends z.ZodType>(value: T, phrase: string) {
  return z.record(z.string(), value, e(phrase));
}

/** The template's syntax problem as a phrase, or undefined when it compiles. */
function templateProblem(value: string): string | undefined {
  if (!hasTemplate(value)) return undefined;
  try {
    compileTemplate(value);
    return undefined;
  } catch (err) {
    if (!isFerryError(err, 'TEMPLATE_SYNTAX')) throw err;
    return `a valid template: ${String(err.details?.expected)} at position ${String(err.details?.position)}`;
  }
}

/** Text that may contain `{{...}}` templates; their syntax is checked here, once, at load time. */
export function templateText(phrase = 'text (templates allowed)') {
  return z.string(e(phrase)).superRefine((value, ctx) => {
    const problem = templateProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/**
 * Text with templates that must never render a secret: what it renders is stored and shown (a
 * result's storage key). A `{{credentials.*}}` in it is refused with `phrase` at its own path.
 */
export function templateTextWithoutCredentials(phrase: string) {
  return z.string(e(phrase)).superRefine((value, ctx) => {
    const problem = templateProblem(value);
    if (problem) return ctx.addIssue({ code: 'custom', message: problem });
    if (hasTemplate(value) && compileTemplate(value).credentials.length > 0) ctx.addIssue({ code: 'custom', message: phrase });
  });
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Request headers: valid names, text values with templates (e.g. "Bearer {{credentials.apiToken}}"). */
export function headers() {
  return z.record(z.string().regex(HEADER_NAME, e('a header name (letters, digits and -, no spaces)')), templateText(), e('an object of header names and values'));
}

/** An absolute http(s) URL, or one built from templates (checked when it is rendered). */
export function urlTemplate() {
  const phrase = 'an absolute http or https URL such as "https://api.example.com/v1/data" (templates allowed)';
  return z.string(e(phrase)).superRefine((value, ctx) => {
    const problem = templateProblem(value);
    if (problem) return ctx.addIssue({ code: 'custom', message: problem });
    if (!(hasTemplate(value) ? /^(https?:\/\/|\{\{)/i.test(value) : isHttpUrl(value))) return ctx.addIssue({ code: 'custom', message: phrase });
    const pageOrigin = hasTemplate(value) ? pageDataBeforePath(value) : undefined;
    if (pageOrigin) ctx.addIssue({ code: 'custom', message: `the scheme and host written out or from {{env.NAME}}: ${pageOrigin} would let page data choose the server that receives the request (put it in the path or the query, where it is encoded)` });
  });
}

/** The first placeholder that reads page data before the URL's path (template/url.ts refuses it when compiling). */
function pageDataBeforePath(value: string): string | undefined {
  try {
    compileUrlTemplate(value);
    return undefined;
  } catch (err) {
    if (!isFerryError(err, 'URL_TEMPLATE_PAGE_ORIGIN')) throw err;
    return String(err.details?.placeholder);
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A secret is never written into a pipeline: it is referenced, and the vault supplies it at send time. */
export function credentialReference() {
  const phrase = 'a credential reference such as "{{credentials.apiToken}}" (secrets live in the credential store, not in the pipeline)';
  return z.string(e(phrase)).superRefine((value, ctx) => {
    const problem = templateProblem(value);
    if (problem) return ctx.addIssue({ code: 'custom', message: problem });
    if (!hasTemplate(value) || compileTemplate(value).credentials.length === 0) ctx.addIssue({ code: 'custom', message: phrase });
  });
}

/** A path into data, such as `data.items[0].id`. */
export function dataPath(phrase = 'a field path such as "id" or "data.items[0].id"') {
  return z.string(e(phrase)).refine((v) => parseDataPath(v) !== undefined, e(phrase));
}

/** Any JSON value; templates in its strings are checked and reported at their own path. */
export function templatedJson(phrase = 'a JSON value (templates allowed in text)') {
  return z.custom<JsonValue>(() => true, e(phrase)).superRefine((value, ctx) => {
    const walk = (v: unknown, path: PropertyKey[]): void => {
      if (typeof v === 'string') {
        const problem = templateProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path });
      } else if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
      else if (v !== null && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, [...path, k]));
      else if (!(v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
        ctx.addIssue({ code: 'custom', message: 'a JSON value: text, a number, true, false, null, a list or an object', path });
      }
    };
    walk(value, []);
  });
}

/**
 * A JSON value with templates whose rendering is written somewhere the vault does not reach (a
 * database row, a file): a `{{credentials.*}}` anywhere in it is refused at its own path with `phrase`.
 */
export function templatedJsonWithoutCredentials(phrase: string) {
  return templatedJson().superRefine((value, ctx) => {
    const walk = (v: unknown, path: PropertyKey[]): void => {
      if (typeof v === 'string') {
        if (hasTemplate(v) && templateProblem(v) === undefined && compileTemplate(v).credentials.length > 0) ctx.addIssue({ code: 'custom', message: phrase, path });
      } else if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
      else if (v !== null && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, [...path, k]));
    };
    walk(value, []);
  });
}
