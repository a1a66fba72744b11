/**
 * Turns zod's issues into what a person fixing a pasted configuration needs: the JSON path, what is
 * expected there in plain words, and what was found (`steps[1].http.timeout: expected a number of
 * milliseconds from 1 to 300000, got "30s"`). Schema messages are expectation phrases (see
 * schema/common.ts); zod's own messages are replaced by phrases in `phraseFor`.
 */
import type { z } from 'zod';
import { FerryError } from '../errors/ferry-error';
import { getAtPath } from './data-path';
import type { PathSegment } from './template/ast';
import { joinPath } from './template/value';

export interface ConfigIssue {
  /** `steps[1].http.timeout`; empty for the document itself. */
  path: string;
  /** What belongs there, in plain words. */
  expected: string;
  /** What was found, shortened; absent when the key is missing. */
  got?: string;
  /** The line to show: path, expectation and what was found. */
  message: string;
}

/** Values under these keys are never quoted back: they may be a secret pasted by mistake. */
const SECRET_KEY = /authorization|token|secret|password|passwd|api[-_]?key|credential|cookie|^value$/i;

/** Validates with `schema` or throws FerryError(`code`) whose `details.issues` lists every problem. */
export function validateConfig<S extends z.ZodType>(schema: S, value: unknown, what = 'configuration', code = 'CONFIG_INVALID'): z.output<S> {
  const result = schema.safeParse(value, { error: phraseFor });
  if (result.success) return result.data;
  const issues = describeIssues(result.error, value);
  const shown = issues.slice(0, 10).map((i) => `- ${i.message}`);
  if (issues.length > shown.length) shown.push(`- and ${issues.length - shown.length} more`);
  const count = issues.length === 1 ? 'a problem' : `${issues.length} problems`;
  throw new FerryError(code, `The ${what} has ${count}:\n${shown.join('\n')}`, { issues });
}

export function describeIssues(error: z.ZodError, input: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysOf(issue.message);
      for (const key of issue.keys) out.push(unknownKey([...path, key], key, known));
      continue;
    }
    const aboutKey = issue.code === 'invalid_key' || (issue.code === 'custom' && (issue.params as { about?: string } | undefined)?.about === 'key');
    const expected = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? 'a valid key') : issue.message;
    // A union that found no matching discriminator points at the discriminator; the problem is the object.
    const atUnion = issue.code === 'invalid_union' && 'discriminator' in issue && getAtPath(input, path) === undefined ? path.slice(0, -1) : path;
    const value = aboutKey ? String(path[path.length - 1]) : getAtPath(input, atUnion);
    const hidden = !aboutKey && atUnion.some((seg) => typeof seg === 'string' && SECRET_KEY.test(seg));
    out.push(entry(atUnion, expected, value === undefined && !aboutKey ? undefined : hidden ? 'a value (not shown)' : describeValue(value)));
  }
  return out;
}

function entry(path: readonly PathSegment[], expected: string, got: string | undefined): ConfigIssue {
  const where = joinPath('', path) || '(the document)';
  const message = got === undefined ? `${where}: expected ${expected}, but it is missing` : `${where}: expected ${expected}, got ${got}`;
  return got === undefined ? { path: joinPath('', path), expected, message } : { path: joinPath('', path), expected, got, message };
}

function unknownKey(path: readonly PathSegment[], key: string, known: string[]): ConfigIssue {
  const where = joinPath('', path);
  const guess = closest(key, known);
  const expected = known.length ? `one of the keys ${known.map((k) => `"${k}"`).join(', ')}` : 'no keys here';
  const message = `${where}: unknown key${guess ? ` (did you mean "${guess}"?)` : ''}; expected ${expected}`;
  return { path: where, expected, got: JSON.stringify(key), message };
}

/** How a value is quoted back: text in quotes (shortened), numbers as written, containers by size. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** The error map for zod's own issues: phrases, like the schemas' messages. */
function phraseFor(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_PHRASES[issue.expected] ?? `a value of type ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys': {
      const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      return `${KNOWN_KEYS}${JSON.stringify(Object.keys(shape ?? {}))}`;
    }
    case 'too_small':
      return issue.origin === 'array' ? `a list of at least ${String(issue.minimum)} items` : `at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `a list of at most ${String(issue.maximum)} items` : `at most ${String(issue.maximum)}`;
    case 'invalid_union':
      return 'one of the allowed forms';
    default:
      return undefined;
  }
}

const TYPE_PHRASES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
  null: 'null',
};

// zod's issue has no room for the object's known keys; the error map carries them in the message.
const KNOWN_KEYS = '\u0000known:';
function knownKeysOf(message: string): string[] {
  return message.startsWith(KNOWN_KEYS) ? (JSON.parse(message.slice(KNOWN_KEYS.length)) as string[]) : [];
}

/** The known key nearest to a typo, if it is near enough to be a likely intent. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
