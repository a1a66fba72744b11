/**
 * `dataTransformation`: the seed's "Data Preparation" block. `mapping` builds the outgoing record
 * from templates; `validation` decides whether it may be sent. The seed has `required` and
 * `formats`; `min`, `max` and `pattern` follow the same shape (a map from field to rule).
 */
import { z } from 'zod';
import { parseDataPath } from '../data-path';
import { KEY_ISSUE, list, oneOf, record, strict, templatedJson, text } from './common';

export const VALUE_FORMATS = ['email', 'url', 'date-time', 'date', 'number', 'integer', 'uuid'] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];

const FIELD = 'a field name of the mapped record, such as "apiField1" or "address.city"';
const field = () => text(FIELD).refine((v) => parseDataPath(v) !== undefined, { error: FIELD });
const bound = z.number({ error: 'a number (for text: its length; for lists: their item count)' }).refine(Number.isFinite, {
  error: 'a number (for text: its length; for lists: their item count)',
});

const PATTERN = 'a regular expression such as "^[A-Z]{3}-\\\\d+$", or {"regex": "...", "flags": "i"}';
/** Checked with `new RegExp` here so a bad pattern is a configuration error, not a rejection of every record. */
function regexProblem(source: string, flags = ''): string | undefined {
  if (/[gy]/.test(flags)) return `${PATTERN}; the flags g and y are not allowed (they make matching depend on the previous record)`;
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (err) {
    return `${PATTERN}; this one does not compile: ${(err as Error).message}`;
  }
}
const patternRule = z
  .union([z.string(), strict({ regex: z.string({ error: PATTERN }), flags: z.string({ error: 'regular expression flags such as "i"' }).optional() })], { error: PATTERN })
  .superRefine((rule, ctx) => {
    const problem = typeof rule === 'string' ? regexProblem(rule) : regexProblem(rule.regex, rule.flags);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const ValidationRulesSchema = strict(
  {
    /** Fields that must be present and not null or blank text. */
    required: list(field(), 'a list of field names').optional(),
    formats: record(oneOf(VALUE_FORMATS), 'an object mapping field names to formats').optional(),
    /** Numbers: the smallest value; text: the shortest length; lists: the fewest items. */
    min: record(bound, 'an object mapping field names to numbers').optional(),
    max: record(bound, 'an object mapping field names to numbers').optional(),
    pattern: record(patternRule, 'an object mapping field names to regular expressions').optional(),
  },
  'an object with any of "required", "formats", "min", "max", "pattern"',
).superRefine((rules, ctx) => {
  for (const [name, min] of Object.entries(rules.min ?? {})) {
    const max = rules.max?.[name];
    if (max !== undefined && max < min) ctx.addIssue({ code: 'custom', path: ['max', name], message: `a number no smaller than min.${name} (${min})` });
  }
});

export const DataTransformationSchema = strict(
  {
    mapping: record(templatedJson(), 'an object mapping each output field to a value or template, such as {"apiField1": "{{extracted.field1}}"}'),
    validation: ValidationRulesSchema.optional(),
  },
  'an object with "mapping" and optionally "validation"',
).superRefine((block, ctx) => {
  // A rule for a field the mapping never produces is almost always a typo, and would pass or fail every record.
  const produced = Object.keys(block.mapping);
  const known = (name: string) => Object.hasOwn(block.mapping, name) || produced.includes(String(parseDataPath(name)?.[0]));
  const phrase = `a field the mapping produces (${produced.join(', ')})`;
  const v = block.validation;
  v?.required?.forEach((name, i) => known(name) || ctx.addIssue({ code: 'custom', path: ['validation', 'required', i], message: phrase }));
  for (const rule of ['formats', 'min', 'max', 'pattern'] as const) {
    for (const name of Object.keys(v?.[rule] ?? {})) if (!known(name)) ctx.addIssue({ code: 'custom', path: ['validation', rule, name], message: phrase, params: KEY_ISSUE });
  }
});

export type ValidationRules = z.output<typeof ValidationRulesSchema>;
export type DataTransformation = z.output<typeof DataTransformationSchema>;
