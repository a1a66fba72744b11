/**
 * `{{token}}`s in a path, rendered on the host from a small fixed set: no expressions, no eval.
 * Anything else between double braces is refused (PathTemplateInvalid) rather than written into a
 * file name. The rendered path is then an ordinary path for the guard (resolveInRoot) to judge.
 * Times are UTC and contain no `:` so the names are valid on every platform.
 */
import { randomUUID } from 'node:crypto';
import { PATH_TEMPLATE_TOKENS } from '../../../src/protocol/catalogue-fs';
import { sandboxError } from './sandbox-error';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const day = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const clock = (d: Date) => `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

/** The tokens, by name; `now()`, `date()` and the like are accepted with or without the parentheses. */
const TOKENS: Record<(typeof PATH_TEMPLATE_TOKENS)[number], (now: Date) => string> = {
  /** Milliseconds since 1970 (`1718000000000`). */
  timestamp: (d) => String(d.getTime()),
  /** Seconds since 1970. */
  unix: (d) => String(Math.floor(d.getTime() / 1000)),
  /** `2024-06-10` */
  date: day,
  /** `153012` (HHmmss) */
  time: clock,
  /** `2024-06-10T153012Z` */
  now: (d) => `${day(d)}T${clock(d)}Z`,
  datetime: (d) => `${day(d)}T${clock(d)}Z`,
  /** A random UUID, for names that must never collide. */
  uuid: () => randomUUID(),
};

export const TEMPLATE_TOKENS: readonly string[] = PATH_TEMPLATE_TOKENS;

const TOKEN = /\{\{([^{}]*)\}\}/g;

/** True when the path has anything that looks like a template (`{{` or `}}`). */
export function isTemplated(input: string): boolean {
  return input.includes('{{') || input.includes('}}');
}

/** Renders every `{{token}}`; refuses unknown tokens and stray braces. */
export function renderPathTemplate(input: string, now: Date = new Date()): string {
  if (!isTemplated(input)) return input;
  const rendered = input.replace(TOKEN, (whole, body: string) => {
    const name = body.trim().replace(/\(\s*\)$/, '');
    const render = Object.prototype.hasOwnProperty.call(TOKENS, name) ? TOKENS[name as keyof typeof TOKENS] : undefined;
    if (!render) {
      throw sandboxError(
        'PathTemplateInvalid',
        `${whole} is not a path token the host renders; use one of ${TEMPLATE_TOKENS.map((t) => `{{${t}}}`).join(', ')}`,
        input,
        'unknown-token',
      );
    }
    return render(now);
  });
  if (isTemplated(rendered)) throw sandboxError('PathTemplateInvalid', `${input} has unbalanced {{ }} braces`, input, 'unbalanced');
  return rendered;
}
