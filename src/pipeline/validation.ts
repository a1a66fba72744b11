/**
 * Validates a mapped record against `dataTransformation.validation`. Rules are compiled once
 * (field paths parsed, patterns built) and applied per record; a record that fails gets every
 * reason, so the run's reject list says all that is wrong with it at once.
 */
import { FerryError } from '../errors/ferry-error';
import { getAtPath, parseDataPath } from './data-path';
import { FORMAT_NAMES, matchesFormat, toNumber } from './formats';
import { describeValue } from './issues';
import type { ValidationRules, ValueFormat } from './schema/data-transformation';
import type { PathSegment } from './template/ast';

export type RejectionRule = 'required' | 'format' | 'min' | 'max' | 'pattern' | 'template';

export interface RejectionReason {
  field: string;
  rule: RejectionRule;
  message: string;
}

export type ValidationResult = { ok: true } | { ok: false; reasons: RejectionReason[] };

export interface ValidateOptions {
  /** Fields whose values must not be quoted in messages (they hold a credential). */
  hiddenFields?: ReadonlySet<string>;
  /** Fields already rejected for another reason (a missing template path): not checked again. */
  skipFields?: ReadonlySet<string>;
}

interface FieldRules {
  field: string;
  path: readonly PathSegment[];
  required: boolean;
  format?: ValueFormat;
  min?: number;
  max?: number;
  pattern?: { regex: RegExp; source: string };
}

export interface CompiledValidation {
  readonly fields: readonly FieldRules[];
}

const OK: ValidationResult = { ok: true };

export function compileValidation(rules: ValidationRules | undefined): CompiledValidation {
  const byField = new Map<string, FieldRules>();
  const get = (field: string): FieldRules => {
    let entry = byField.get(field);
    if (!entry) byField.set(field, (entry = { field, path: parseDataPath(field) ?? [field], required: false }));
    return entry;
  };
  for (const field of rules?.required ?? []) get(field).required = true;
  for (const [field, format] of Object.entries(rules?.formats ?? {})) get(field).format = format;
  for (const [field, min] of Object.entries(rules?.min ?? {})) get(field).min = min;
  for (const [field, max] of Object.entries(rules?.max ?? {})) get(field).max = max;
  for (const [field, rule] of Object.entries(rules?.pattern ?? {})) {
    const source = typeof rule === 'string' ? rule : rule.regex;
    const flags = typeof rule === 'string' ? '' : (rule.flags ?? '');
    try {
      get(field).pattern = { regex: new RegExp(source, flags.replace(/[gy]/g, '')), source };
    } catch (err) {
      // The schema refuses such patterns; this guards rules that did not come through it.
      throw new FerryError('VALIDATION_PATTERN_INVALID', `validation.pattern.${field}: ${JSON.stringify(source)} is not a valid regular expression (${(err as Error).message}). Fix the pattern.`, {
        field,
        pattern: source,
      });
    }
  }
  return { fields: [...byField.values()] };
}

export function validateRecord(compiled: CompiledValidation, record: unknown, options: ValidateOptions = {}): ValidationResult {
  let reasons: RejectionReason[] | undefined;
  for (const rules of compiled.fields) {
    if (options.skipFields?.has(rules.field)) continue;
    const own = record !== null && typeof record === 'object' && Object.hasOwn(record, rules.field);
    const value = own ? (record as Record<string, unknown>)[rules.field] : getAtPath(record, rules.path);
    const hidden = options.hiddenFields?.has(String(rules.path[0])) ?? false;
    const problem = check(rules, value, hidden);
    if (problem) (reasons ??= []).push(problem);
  }
  return reasons ? { ok: false, reasons } : OK;
}

/** Absent: missing, null, or blank text (what a failed extraction yields). Only `required` looks at absent values. */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function check(r: FieldRules, value: unknown, hidden: boolean): RejectionReason | undefined {
  const got = hidden ? '' : `, got ${describeValue(value)}`;
  if (isAbsent(value)) return r.required ? { field: r.field, rule: 'required', message: `${r.field} is required${value === undefined ? '' : got}` } : undefined;
  if (r.format && !matchesFormat(r.format, value)) return { field: r.field, rule: 'format', message: `${r.field} must be ${FORMAT_NAMES[r.format]}${got}` };
  if (r.min !== undefined || r.max !== undefined) {
    const measured = measure(r, value);
    if (!measured) return { field: r.field, rule: r.min !== undefined ? 'min' : 'max', message: `${r.field} must be a number, text or a list to compare with its limits${got}` };
    if (r.min !== undefined && measured.size < r.min) return { field: r.field, rule: 'min', message: `${r.field} must be ${measured.what(r.min, 'least')}${got}` };
    if (r.max !== undefined && measured.size > r.max) return { field: r.field, rule: 'max', message: `${r.field} must be ${measured.what(r.max, 'most')}${got}` };
  }
  if (r.pattern) {
    const matches = (typeof value === 'string' || typeof value === 'number') && r.pattern.regex.test(String(value));
    if (!matches) return { field: r.field, rule: 'pattern', message: `${r.field} must match the pattern ${r.pattern.source}${got}` };
  }
  return undefined;
}

interface Measured {
  size: number;
  what: (limit: number, bound: 'least' | 'most') => string;
}

/** Numbers by value (numeric text too, when the field's format is number or integer); text by characters; lists by items. */
function measure(r: FieldRules, value: unknown): Measured | undefined {
  const numeric = r.format === 'number' || r.format === 'integer' ? toNumber(value) : typeof value === 'number' ? value : undefined;
  if (numeric !== undefined) return { size: numeric, what: (limit, bound) => `at ${bound} ${limit}` };
  if (typeof value === 'string') return { size: [...value].length, what: (limit, bound) => `at ${bound} ${limit} characters long` };
  if (Array.isArray(value)) return { size: value.length, what: (limit, bound) => `a list of at ${bound} ${limit} items` };
  return undefined;
}
