/**
 * The extractor: which records a page yields. Its schema lives with the pipeline's, because a
 * pipeline's `page` source holds one (rules picked on a page are saved with the pipeline); the
 * extraction module (src/extraction/config.ts) normalizes it for the page and runs it.
 */
import { z } from 'zod';
import { boolean, integer, KEY_ISSUE, oneOf, strict, text } from './common';

/** The most records one extraction returns; a larger page is narrowed or truncated on purpose. */
export const MAX_RECORDS = 10_000;
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** Records are stored in one transaction when the run starts; bigger pages belong to pagination. */
export const MAX_BYTES = 32 * 1024 * 1024;
export const MAX_FIELDS = 200;

const SELECTOR = 'a CSS selector such as ".product" (each element it matches is one record)';
const FIELD =
  'a CSS selector such as ".price" (its text), ending in "@attribute" to read an attribute ("a@href", "img@src", "@data-id" for the item itself), or {"selector" or "xpath": ..., "type": "text" | "html" | "attribute" | "link" | "image", "attribute": ..., "all": true}';
/** An attribute name as it may follow "@": no quotes or brackets, so `a[href*="@"]` stays a selector. */
export const ATTRIBUTE_NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;

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

export const FIELD_TYPES = ['text', 'html', 'attribute', 'link', 'image'] as const;
const XPATH = 'an XPath such as "//tr" (items) or "./td[2]" (a field, relative to the item)';

const FieldSchema = z.union(
  [
    fieldText,
    strict({
      /** Empty or absent: the item element itself. */
      selector: z.string({ error: 'a CSS selector relative to the item ("" for the item itself)' }).optional(),
      /** Instead of `selector`: an XPath relative to the item; it may select attributes or text nodes. */
      xpath: text(XPATH).optional(),
      type: oneOf(FIELD_TYPES).optional(),
      attribute: z.string({ error: 'an attribute name such as "href"' }).regex(ATTRIBUTE_NAME, { error: 'an attribute name such as "href"' }).optional(),
      all: boolean().optional(),
      /** Images: read `srcset`'s first or largest candidate (falls back to `src`). */
      srcset: oneOf(['first', 'largest']).optional(),
    }),
  ],
  { error: FIELD },
);

/** Where items or a table are: CSS as text or `{"css": ...}`, or `{"xpath": ...}`. */
const Locator = (phrase: string) =>
  z.union([text(phrase), strict({ css: text(phrase) }), strict({ xpath: text(XPATH) })], { error: `${phrase}, or {"xpath": "//tr"}` });

// zod drops a `__proto__` key from records, so it can never become a field that sets a prototype.
const FieldName = z.string().superRefine((name, ctx) => {
  if (name.trim() === '') ctx.addIssue({ code: 'custom', message: 'a field name such as "price"', params: KEY_ISSUE });
});

export const LimitsSchema = strict({
  maxRecords: integer(1, MAX_RECORDS, `a whole number of records from 1 to ${MAX_RECORDS}`).optional(),
  maxBytes: integer(1024, MAX_BYTES, `a number of bytes from 1024 to ${MAX_BYTES}`).optional(),
  /** At a limit: keep the first records that fit and warn, instead of refusing the extraction. */
  truncate: boolean().optional(),
});

const MODES = ['selector', 'table', 'selection', 'metadata', 'auto'] as const;
const TABLE = 'a CSS selector for the table, such as "#prices" or "table.results"';
/** Which keys each mode takes besides `mode` and `limits`. */
const MODE_KEYS: Record<(typeof MODES)[number], readonly string[]> = {
  selector: ['itemSelector', 'fields', 'metadata'],
  table: ['table', 'metadata'],
  selection: [],
  metadata: [],
  auto: [],
};

export const ExtractorConfigSchema = strict(
  {
    /**
     * `selector` (the default with itemSelector), `table` (the default with table), `selection`
     * (the user's selection as one record), `metadata` (the page's metadata as one record), `auto`
     * (also when no extractor is given): microdata, else JSON-LD, else the first table with a header row.
     */
    mode: oneOf(MODES).optional(),
    itemSelector: Locator(SELECTOR).optional(),
    fields: z.record(FieldName, FieldSchema, { error: 'an object mapping field names to selectors, such as {"title": "h2", "url": "a@href"}' }).optional(),
    table: Locator(TABLE).optional(),
    /** Adds the page's metadata (url, title, meta tags, JSON-LD) to each record: true (as "page") or the field name. */
    metadata: z.union([boolean(), text('a field name such as "page"')], { error: 'true, or the field name to put the page\'s metadata under, such as "page"' }).optional(),
    limits: LimitsSchema.optional(),
  },
  'an extractor: {"itemSelector": ".product", "fields": {"title": "h2", "url": "a@href"}}, {"table": "#prices"}, {"mode": "selection"}, {"mode": "metadata"} or {"mode": "auto"}',
).superRefine((config, ctx) => {
  const mode = modeOf(config);
  const allowed = MODE_KEYS[mode];
  for (const key of ['itemSelector', 'fields', 'table', 'metadata'] as const) {
    if (config[key] === undefined || allowed.includes(key)) continue;
    const hint = mode === 'auto' ? 'leave out "mode": "auto" to extract with selectors' : `not used by mode "${mode}"`;
    ctx.addIssue({ code: 'custom', path: [key], message: `nothing in ${mode === 'auto' ? 'automatic' : `"${mode}"`} mode (${hint})` });
  }
  if (mode === 'table' && config.table === undefined) ctx.addIssue({ code: 'custom', path: ['table'], message: TABLE });
  if (mode !== 'selector') return;
  if (config.itemSelector === undefined) ctx.addIssue({ code: 'custom', path: ['itemSelector'], message: SELECTOR });
  const entries = Object.entries(config.fields ?? {});
  if (entries.length === 0) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'an object with at least one field, such as {"title": "h2", "url": "a@href"}' });
  if (entries.length > MAX_FIELDS) ctx.addIssue({ code: 'custom', path: ['fields'], message: `at most ${MAX_FIELDS} fields` });
  for (const [name, field] of entries) {
    if (typeof field === 'string') continue;
    const at = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: ['fields', name, key], message });
    if (field.xpath !== undefined && field.selector !== undefined && field.selector.trim() !== '') at('xpath', 'either "selector" or "xpath", not both');
    if (field.type === 'attribute' && !field.attribute) at('attribute', 'an attribute name such as "href" (type "attribute" reads one)');
    if (field.attribute && field.type !== undefined && field.type !== 'attribute') at('attribute', `nothing with type "${field.type}" (leave out "type" or use "attribute")`);
    if (field.srcset !== undefined && field.type !== 'image') at('srcset', 'nothing unless "type" is "image"');
  }
  const key = metadataKey(config.metadata);
  if (key !== undefined && entries.some(([name]) => name === key)) {
    ctx.addIssue({ code: 'custom', path: ['metadata'], message: `a field name that no field uses ("${key}" is a field already)` });
  }
});

export function modeOf(config: { mode?: (typeof MODES)[number]; table?: unknown }): (typeof MODES)[number] {
  return config.mode ?? (config.table !== undefined ? 'table' : 'selector');
}

export function metadataKey(metadata: boolean | string | undefined): string | undefined {
  return metadata === true ? 'page' : typeof metadata === 'string' ? metadata.trim() : undefined;
}
