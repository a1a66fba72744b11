/**
 * `source`: where a pipeline's records come from when it is started without records in hand.
 * `supplied`: the caller passes the records (the background API, tests). `page`: a minimal
 * extractor run by the content script in the current tab; the extraction UI grows it later (the
 * document is versioned, so richer extractors arrive through a migration).
 */
import { z } from 'zod';
import { boolean, record, strict, text } from './common';
import { ExtractorConfigSchema } from './extractor';

const SELECTOR = 'a CSS selector such as ".product .title"';

/** A field is a selector (its text), or a selector with the attribute to read and whether to collect all matches. */
export const ExtractedFieldSchema = z.union(
  [
    text(SELECTOR),
    strict({
      selector: text(SELECTOR),
      /** An attribute such as "href" or "src"; the element's text when absent. */
      attribute: text('an attribute name such as "href"').optional(),
      /** Collect every match into a list instead of the first one. */
      all: boolean().optional(),
    }),
  ],
  { error: `${SELECTOR}, or {"selector": ..., "attribute": "href", "all": true}` },
);

export const SourceSchema = z.discriminatedUnion(
  'type',
  [
    strict({ type: z.literal('supplied') }),
    strict({
      type: z.literal('page'),
      /** Each element it matches is one record. */
      itemSelector: text(SELECTOR).optional(),
      fields: record(ExtractedFieldSchema, 'an object mapping field names to selectors, such as {"title": "h2"}').optional(),
      /** The whole extractor (XPath, field types, a table, the selection, the page's metadata): what the element picker saves. */
      extractor: ExtractorConfigSchema.optional(),
    }).superRefine((source, ctx) => {
      const simple = source.itemSelector !== undefined || source.fields !== undefined;
      if (source.extractor !== undefined && simple) ctx.addIssue({ code: 'custom', path: ['extractor'], message: 'either "extractor" or "itemSelector" with "fields", not both' });
      else if (source.extractor === undefined && source.itemSelector === undefined) ctx.addIssue({ code: 'custom', path: ['itemSelector'], message: `${SELECTOR} (or an "extractor")` });
      else if (source.extractor === undefined && source.fields === undefined) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'an object mapping field names to selectors, such as {"title": "h2"}' });
    }),
  ],
  { error: 'a source: {"type": "supplied"}, {"type": "page", "itemSelector": ..., "fields": {...}} or {"type": "page", "extractor": {...}}' },
);

export type ExtractedField = z.output<typeof ExtractedFieldSchema>;
export type Source = z.output<typeof SourceSchema>;
