import { describe, expect, it } from 'vitest';
import { isFerryError, type FerryError } from '../errors/ferry-error';
import { settleExtraction } from './outcome';
import type { ExtractionLimits, PageExtraction, PageExtractorSpec } from './types';

const limits = (overrides: Partial<ExtractionLimits> = {}): ExtractionLimits => ({ maxRecords: 10_000, maxBytes: 8_388_608, truncate: false, ...overrides });
const selector = (overrides: Partial<ExtractionLimits> = {}): PageExtractorSpec => ({ mode: 'selector', itemSelector: '.product', fields: [{ name: 'title', selector: 'h2', all: false }], limits: limits(overrides) });
const auto: PageExtractorSpec = { mode: 'auto', limits: limits() };
const found = (overrides: Partial<PageExtraction & { ok: true }> = {}): PageExtraction => ({ ok: true, mode: 'selector', records: [{ title: 'A' }], source: { url: 'https://shop.test/list', title: 'Shop' }, warnings: ['w'], ...overrides });

function failure(spec: PageExtractorSpec, result: PageExtraction): FerryError {
  try {
    settleExtraction(spec, result);
  } catch (error) {
    if (isFerryError(error)) return error;
    throw error;
  }
  throw new Error('expected a FerryError');
}

describe('settleExtraction', () => {
  it('returns the records, the source and the warnings', () => {
    expect(settleExtraction(selector(), found())).toEqual({ mode: 'selector', records: [{ title: 'A' }], source: { url: 'https://shop.test/list', title: 'Shop' }, warnings: ['w'] });
  });

  it('says what to change when a limit is reached and truncation is off', () => {
    const error = failure(selector({ maxRecords: 500 }), found({ records: [], overflow: { limit: 'maxRecords', kept: 500, available: 12_345 } }));
    expect(error.code).toBe('EXTRACTION_TOO_LARGE');
    expect(error.message).toBe(
      'The page has 12345 items; Ferry extracts at most 500 records at once (extractor.limits.maxRecords). Narrow the extraction (a more specific extractor.itemSelector, fewer fields), raise extractor.limits.maxRecords (up to 10000), or set extractor.limits.truncate to true to keep the first 500.',
    );
    expect(error.details).toEqual({ limit: 'maxRecords', max: 500, kept: 500, available: 12_345 });
    // At the ceiling there is nothing to raise.
    expect(failure(selector(), found({ records: [], overflow: { limit: 'maxRecords', kept: 10_000, available: 12_345 } })).message).not.toContain('raise');
    expect(failure(selector({ maxBytes: 2048 }), found({ records: [], overflow: { limit: 'maxBytes', kept: 9 } })).message).toMatch(/^Ferry extracts at most 2048 bytes of records at once \(extractor\.limits\.maxBytes\)\. .* raise extractor\.limits\.maxBytes, or set extractor\.limits\.truncate to true to keep the first 9\.$/);
  });

  it('keeps the first records and warns first when truncation is on', () => {
    const settled = settleExtraction(selector({ maxRecords: 1, truncate: true }), found({ overflow: { limit: 'maxRecords', kept: 1, available: 4 } }));
    expect(settled.records).toHaveLength(1);
    expect(settled.warnings).toEqual(['The page has 4 items; kept the first 1: extractor.limits.maxRecords allows 1 records. The rest were not extracted.', 'w']);
  });

  it('refuses to start a run over nothing, saying what was looked for', () => {
    const none = failure(selector(), found({ records: [], matched: 0 }));
    expect(none.code).toBe('EXTRACTION_EMPTY');
    expect(none.message).toMatch(/^Nothing on https:\/\/shop\.test\/list matches extractor\.itemSelector "\.product"\./);
    const nothingAuto = failure(auto, found({ mode: 'none', records: [] }));
    expect(nothingAuto.message).toMatch(/no microdata items, no JSON-LD objects and no table with a header row\. Tell the pipeline where its records are with a page source/);
  });

  it('reports a selector the page could not parse as an invalid extractor field', () => {
    const error = failure(selector(), { ok: false, code: 'BAD_SELECTOR', field: 'fields.title', selector: 'h2[', message: 'x' });
    expect(error.code).toBe('EXTRACTOR_INVALID');
    expect(error.message).toMatch(/^extractor\.fields\.title: "h2\[" is not a CSS selector the browser understands/);
    expect(failure(selector(), { ok: false, code: 'FAILED', message: 'boom' }).code).toBe('EXTRACTION_FAILED');
  });
});
