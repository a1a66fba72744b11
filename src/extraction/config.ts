/**
 * The extractor configuration a caller (or a pipeline's `page` source) supplies, validated in the
 * background before anything is injected, and normalized into the spec the page receives. Messages
 * name the field (`extractor.fields.price: expected ...`), like every other configuration's.
 */
import { z } from 'zod';
import { validateConfig } from '../pipeline/issues';
import { DEFAULT_MAX_BYTES, ExtractorConfigSchema, FIELD_TYPES, LimitsSchema, MAX_RECORDS, metadataKey, modeOf } from '../pipeline/schema/extractor';
import type { Source } from '../pipeline/schema/source';

export { DEFAULT_MAX_BYTES, ExtractorConfigSchema, MAX_BYTES, MAX_FIELDS, MAX_RECORDS, splitFieldSelector } from '../pipeline/schema/extractor';
import { splitFieldSelector } from '../pipeline/schema/extractor';
import type { ExtractionLimits, PageExtractorSpec, PageField, PageLocator } from './types';

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
  const key = metadataKey(extractor.metadata);
  const metadata = key !== undefined ? { metadata: { key } } : {};
  const mode = modeOf(extractor);
  if (mode === 'table') return { mode, table: locatorOf(extractor.table!), ...metadata, limits };
  if (mode !== 'selector') return { mode, limits };
  const items = locatorOf(extractor.itemSelector!);
  const fields = Object.entries(extractor.fields!).map(([name, f]) => normalizeField(name, f));
  return { mode, itemSelector: 'css' in items ? items.css : '', ...('xpath' in items ? { itemXPath: items.xpath } : {}), fields, ...metadata, limits };
}

function locatorOf(value: string | { css: string } | { xpath: string }): PageLocator {
  if (typeof value === 'string') return { css: value.trim() };
  return 'css' in value ? { css: value.css.trim() } : { xpath: value.xpath.trim() };
}

/** A pipeline's `page` source is an extractor too (already validated by parsePipeline). */
export function extractorFromSource(source: Source): PageExtractorSpec | undefined {
  if (source.type !== 'page') return undefined;
  if (source.extractor !== undefined) return parseExtractorConfig(source.extractor);
  return { mode: 'selector', itemSelector: (source.itemSelector ?? '').trim(), fields: Object.entries(source.fields ?? {}).map(([name, f]) => normalizeField(name, f)), limits: limitsOf(undefined) };
}

type FieldInput = string | { selector?: string; xpath?: string; type?: (typeof FIELD_TYPES)[number]; attribute?: string; all?: boolean; srcset?: 'first' | 'largest' };

function normalizeField(name: string, field: FieldInput): PageField {
  if (typeof field === 'string') return { name, ...splitFieldSelector(field), all: false };
  const type = field.type === 'html' || field.type === 'link' || field.type === 'image' ? field.type : undefined;
  return {
    name,
    selector: (field.selector ?? '').trim(),
    ...(field.xpath !== undefined ? { xpath: field.xpath.trim() } : {}),
    ...(field.attribute ? { attribute: field.attribute } : {}),
    ...(type ? { type } : {}),
    ...(field.srcset ? { srcset: field.srcset } : {}),
    all: field.all ?? false,
  };
}

function limitsOf(limits: z.output<typeof LimitsSchema> | undefined): ExtractionLimits {
  return { maxRecords: limits?.maxRecords ?? MAX_RECORDS, maxBytes: limits?.maxBytes ?? DEFAULT_MAX_BYTES, truncate: limits?.truncate ?? false };
}
