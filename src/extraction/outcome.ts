/**
 * Turns the page's (re-checked) answer into records or a typed error whose message says what to
 * change. The prose lives here, in the background, so the in-page function stays small and every
 * browser words a failure the same way.
 */
import { FerryError } from '../errors/ferry-error';
import { MAX_RECORDS } from './config';
import type { ExtractionMode, JsonRecord, PageExtraction, PageExtractorSpec } from './types';

export interface ExtractedRecords {
  mode: ExtractionMode;
  records: JsonRecord[];
  source: { url: string; title: string };
  warnings: string[];
}

/**
 * Throws FerryError `EXTRACTOR_INVALID` (a selector the browser cannot parse), `EXTRACTION_FAILED`,
 * `EXTRACTION_TOO_LARGE` (a limit was reached and `limits.truncate` is off) or `EXTRACTION_EMPTY`.
 */
export function settleExtraction(spec: PageExtractorSpec, result: PageExtraction): ExtractedRecords {
  if (!result.ok) {
    if (result.code === 'BAD_SELECTOR') {
      const path = `extractor.${result.field ?? 'itemSelector'}`;
      const xpath = result.language === 'xpath';
      const expected = xpath ? 'a valid XPath expression' : 'a valid CSS selector';
      const fix = xpath ? 'check its brackets, quotes and axes ("./td[2]", "//li[@class=\'item\']")' : 'check its brackets and quotes';
      throw new FerryError('EXTRACTOR_INVALID', `${path}: ${JSON.stringify(result.selector ?? '')} is not ${xpath ? 'an XPath expression' : 'a CSS selector'} the browser understands; ${fix}.`, {
        issues: [{ path, expected, got: JSON.stringify(result.selector ?? ''), message: result.message }],
      });
    }
    if (result.code === 'NOT_FOUND') {
      throw new FerryError('EXTRACTION_EMPTY', `extractor.${result.field ?? 'table'}: ${result.message}. Check the selector against the page (it may load the table later: wait for it, then try again).`, {
        field: `extractor.${result.field ?? 'table'}`,
      });
    }
    throw new FerryError('EXTRACTION_FAILED', `The extractor failed in the page: ${result.message}. Reload the page and try again.`);
  }
  const warnings = [...result.warnings];
  if (result.overflow) {
    const { limit, kept, available } = result.overflow;
    const what = limit === 'maxRecords' ? `${spec.limits.maxRecords} records` : `${spec.limits.maxBytes} bytes of records`;
    const has = available !== undefined ? `The page has ${available} items; ` : '';
    if (!spec.limits.truncate) {
      const raise = limit === 'maxRecords' ? (spec.limits.maxRecords < MAX_RECORDS ? `raise extractor.limits.maxRecords (up to ${MAX_RECORDS}), ` : '') : 'raise extractor.limits.maxBytes, ';
      throw new FerryError(
        'EXTRACTION_TOO_LARGE',
        `${has}Ferry extracts at most ${what} at once (extractor.limits.${limit}). Narrow the extraction (a more specific extractor.itemSelector, fewer fields), ${raise}or set extractor.limits.truncate to true to keep the first ${kept}.`,
        { limit, max: limit === 'maxRecords' ? spec.limits.maxRecords : spec.limits.maxBytes, kept, ...(available !== undefined ? { available } : {}) },
      );
    }
    warnings.unshift(`${has}kept the first ${kept}: extractor.limits.${limit} allows ${what}. The rest were not extracted.`);
  }
  if (result.records.length === 0) throw new FerryError('EXTRACTION_EMPTY', nothingFound(spec, result), { mode: result.mode, url: result.source.url });
  return { mode: result.mode, records: result.records, source: result.source, warnings };
}

function nothingFound(spec: PageExtractorSpec, result: PageExtraction & { ok: true }): string {
  const page = result.source.url || 'the page';
  if (spec.mode === 'selector') {
    const items = spec.itemXPath !== undefined ? `XPath ${JSON.stringify(spec.itemXPath)}` : JSON.stringify(spec.itemSelector);
    return `Nothing on ${page} matches extractor.itemSelector ${items}. Check the selector against the page (it may load its items later: wait for them, then try again).`;
  }
  if (spec.mode === 'table') return `The table extractor.table points at on ${page} has no body rows.`;
  if (spec.mode === 'selection') return `Nothing is selected on ${page}. Select the text to extract, then try again.`;
  return `Found no records on ${page}: it has no microdata items, no JSON-LD objects and no table with a header row. Tell the pipeline where its records are with a page source, such as "source": {"type": "page", "itemSelector": ".product", "fields": {"title": "h2", "url": "a@href"}}.`;
}
