/**
 * The extractor configuration a caller (or a pipeline's `page` source) supplies, validated in the
 * background before anything is injected, and normalized into the spec the page receives. Messages
 * name the field (`extractor.fields.price: expected ...`), like every other configuration's.
 */
import { z } from 'zod';
import { validateConfig } from '../pipeline/issues';
import { boolean, integer, KEY_ISSUE, oneOf, strict, text } from '../pipeline/schema/common';
import type { Source } from '../pipeline/schema/source';
import type { ExtractionLimits, PageExtractorSpec, PageField } from './types';

/** The most records one extraction returns; a larger page is narrowed or truncated on purpose. */
export const MAX_RECORDS = 10_000;
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** Records are stored in one transaction when the run starts; bigger pages belong to pagination. */
export const MAX_BYTES = 32 * 1024 * 1024;
export const MAX_FIELDS = 200;

const SELECTOR = 'a CSS selector such as ".product" (each element it matches is one record)';
const FIELD =
  'a CSS selector such as ".price" (its text), ending in "@attribute" to read an attribute ("a@href", "img@src", "@data-id" for the item itself), or {"selector": ..., "attribute": ..., "all": true}';
/** An attribute name as it may follow "@": no quotes or brackets, so `a[href*="@"]` stays a selector. */
const ATTRIBUTE_NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;

/** `"a@href"` → selector `a`, attribute `href`; a selector with `@` elsewhere is left whole. */
export function splitFieldSelector(value: string): { selector: string; attribute?: string } {
  const at = value.lastIndexOf('@');
  const attribute = at === -1 ? '' : value.slice(at + 1).trim();
  if (at === -1 || !ATTRIBUTE_NAME.test(attribute)) return { selector: value.trim() };
  return { selector: value.slice(0, at).trim(), attribute };
}

const fieldText = z.string(FIELD).superRefine((value, ctx) => {
  if (value.trim() === '') return ctx.addIssue({ code: 'custom', message: `${FIELD} (not empty)` });
  if (value.trim().endsWith('@')) ctx.addIssue({ code: 'custom', message: 'an attribute name after "@", such as "a@href"' });
});

const FieldSchema = z.union(
  [
    fieldText,
    strict({
      /** Empty or absent: the item element itself. */
      selector: z.string({ error: 'a CSS selector relative to the item ("" for the item itself)' }).optional(),
      attribute: z.string({ error: 'an attribute name such as "href"' }).regex(ATTRIBUTE_NAME, { error: 'an attribute name such as "href"' }).optional(),
      all: boolean().optional(),
    }),
  ],
  { error: FIELD },
);

// zod drops a `__proto__` key from records, so it can never become a field that sets a prototype.
const FieldName = z.string().superRefine((name, ctx) => {
  if (name.trim() === '') ctx.addIssue({ code: 'custom', message: 'a field name such as "price"', params: KEY_ISSUE });
});

const LimitsSchema = strict({
  maxRecords: integer(1, MAX_RECORDS, `a whole number of records from 1 to ${MAX_RECORDS}`).optional(),
  maxBytes: integer(1024, MAX_BYTES, `a number of bytes from 1024 to ${MAX_BYTES}`).optional(),
  /** At a limit: keep the first records that fit and warn, instead of refusing the extraction. */
  truncate: boolean().optional(),
});

export const ExtractorConfigSchema = strict(
  {
    /** `auto` (also when no extractor is given): microdata, else JSON-LD, else the first table with a header row. */
    mode: oneOf(['selector', 'auto']).optional(),
    itemSelector: text(SELECTOR).optional(),
    fields: z.record(FieldName, FieldSchema, { error: 'an object mapping field names to selectors, such as {"title": "h2", "url": "a@href"}' }).optional(),
    limits: LimitsSchema.optional(),
  },
  'an extractor: {"itemSelector": ".product", "fields": {"title": "h2", "url": "a@href"}}, or {"mode": "auto"}',
).superRefine((config, ctx) => {
  if (config.mode === 'auto') {
    for (const key of ['itemSelector', 'fields'] as const) {
      if (config[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'nothing in automatic mode (leave out "mode": "auto" to extract with selectors)' });
    }
    return;
  }
  if (config.itemSelector === undefined) ctx.addIssue({ code: 'custom', path: ['itemSelector'], message: SELECTOR });
  const count = Object.keys(config.fields ?? {}).length;
  if (count === 0) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'an object with at least one field, such as {"title": "h2", "url": "a@href"}' });
  if (count > MAX_FIELDS) ctx.addIssue({ code: 'custom', path: ['fields'], message: `at most ${MAX_FIELDS} fields` });
});

/** What callers send (`runs.startFromTab`'s `extractor`). */
export type ExtractorConfig = z.input<typeof ExtractorConfigSchema>;

const Wrapped = z.object({ extractor: ExtractorConfigSchema });

/**
 * Validates a caller's extractor and normalizes it for the page. Absent means automatic mode.
 * Throws FerryError `EXTRACTOR_INVALID` whose `details.issues` name each field (`extractor.fields.price`).
 */
export function parseExtractorConfig(value: unknown): PageExtractorSpec {
  if (value === undefined) return { mode: 'auto', limits: limitsOf(undefined) };
  const { extractor } = validateConfig(Wrapped, { extractor: value }, 'extractor', 'EXTRACTOR_INVALID');
  const limits = limitsOf(extractor.limits);
  if (extractor.mode === 'auto') return { mode: 'auto', limits };
  return { mode: 'selector', itemSelector: extractor.itemSelector!.trim(), fields: Object.entries(extractor.fields!).map(([name, f]) => normalizeField(name, f)), limits };
}

/** A pipeline's `page` source is an extractor too (already validated by parsePipeline). */
export function extractorFromSource(source: Source): PageExtractorSpec | undefined {
  if (source.type !== 'page') return undefined;
  return { mode: 'selector', itemSelector: source.itemSelector.trim(), fields: Object.entries(source.fields).map(([name, f]) => normalizeField(name, f)), limits: limitsOf(undefined) };
}

function normalizeField(name: string, field: string | { selector?: string; attribute?: string; all?: boolean }): PageField {
  if (typeof field === 'string') return { name, ...splitFieldSelector(field), all: false };
  return { name, selector: (field.selector ?? '').trim(), ...(field.attribute ? { attribute: field.attribute } : {}), all: field.all ?? false };
}

function limitsOf(limits: z.output<typeof LimitsSchema> | undefined): ExtractionLimits {
  return { maxRecords: limits?.maxRecords ?? MAX_RECORDS, maxBytes: limits?.maxBytes ?? DEFAULT_MAX_BYTES, truncate: limits?.truncate ?? false };
}
