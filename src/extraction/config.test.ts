import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { parsePipeline } from '../pipeline';
import { DEFAULT_MAX_BYTES, extractorFromSource, MAX_RECORDS, parseExtractorConfig, splitFieldSelector } from './config';

function problems(config: unknown): string[] {
  try {
    parseExtractorConfig(config);
  } catch (error) {
    if (!isFerryError(error, 'EXTRACTOR_INVALID')) throw error;
    return (error.details?.issues as { message: string }[]).map((i) => i.message);
  }
  throw new Error('expected EXTRACTOR_INVALID');
}

describe('splitFieldSelector', () => {
  it.each([
    ['h2', { selector: 'h2' }],
    ['a@href', { selector: 'a', attribute: 'href' }],
    [' img.main @ src ', { selector: 'img.main', attribute: 'src' }],
    ['@data-sku', { selector: '', attribute: 'data-sku' }],
    ['a[href*="@"]', { selector: 'a[href*="@"]' }],
    ['a[title=me@example]', { selector: 'a[title=me@example]' }],
    ['a[href*="@"]@href', { selector: 'a[href*="@"]', attribute: 'href' }],
  ])('%s', (input, expected) => {
    expect(splitFieldSelector(input)).toEqual(expected);
  });
});

describe('parseExtractorConfig', () => {
  it('normalizes a selector config for the page, with default limits', () => {
    expect(parseExtractorConfig({ itemSelector: ' .product ', fields: { title: 'h2', url: 'a@href', tags: { selector: '.tag', all: true }, sku: { attribute: 'data-sku' } } })).toEqual({
      mode: 'selector',
      itemSelector: '.product',
      fields: [
        { name: 'title', selector: 'h2', all: false },
        { name: 'url', selector: 'a', attribute: 'href', all: false },
        { name: 'tags', selector: '.tag', all: true },
        { name: 'sku', selector: '', attribute: 'data-sku', all: false },
      ],
      limits: { maxRecords: MAX_RECORDS, maxBytes: DEFAULT_MAX_BYTES, truncate: false },
    });
  });

  it('is automatic without a config, or with mode "auto" (limits still apply)', () => {
    expect(parseExtractorConfig(undefined)).toEqual({ mode: 'auto', limits: { maxRecords: 10_000, maxBytes: DEFAULT_MAX_BYTES, truncate: false } });
    expect(parseExtractorConfig({ mode: 'auto', limits: { maxRecords: 50, truncate: true } })).toEqual({ mode: 'auto', limits: { maxRecords: 50, maxBytes: DEFAULT_MAX_BYTES, truncate: true } });
  });

  it('names each field that is wrong, and says what belongs there', () => {
    expect(problems({ fields: { title: 'h2' } })).toEqual(['extractor.itemSelector: expected a CSS selector such as ".product" (each element it matches is one record), but it is missing']);
    expect(problems({ itemSelector: '.p', fields: {} })).toEqual(['extractor.fields: expected an object with at least one field, such as {"title": "h2", "url": "a@href"}, got an object']);
    expect(problems({ itemSelector: '.p', fields: { price: 3 } })[0]).toMatch(/^extractor\.fields\.price: expected a CSS selector such as "\.price" \(its text\), ending in "@attribute"/);
    expect(problems({ itemSelector: '.p', fields: { url: 'a@' } })).toEqual(['extractor.fields.url: expected an attribute name after "@", such as "a@href", got "a@"']);
    expect(problems({ itemSelector: '.p', fields: { url: '  ' } })[0]).toMatch(/^extractor\.fields\.url: expected .*\(not empty\)/);
    expect(problems({ itemSelector: '.p', fields: { title: { selector: 'h2', atribute: 'x' } } })[0]).toMatch(/^extractor\.fields\.title/);
    expect(problems({ itemSelecter: '.p', fields: { a: 'b' } })).toContain('extractor.itemSelecter: unknown key (did you mean "itemSelector"?); expected one of the keys "mode", "itemSelector", "fields", "limits"');
    expect(problems({ itemSelector: '', fields: { a: 'b' } })[0]).toMatch(/^extractor\.itemSelector: expected .*\(not empty\), got ""/);
    expect(problems({ itemSelector: '.p', fields: { '': 'h2' } })[0]).toMatch(/^extractor\.fields\[""\]: expected a field name such as "price", got ""/);
  });

  it('never lets a "__proto__" field through (it would set a record\'s prototype)', () => {
    const spec = parseExtractorConfig({ itemSelector: '.p', fields: JSON.parse('{"__proto__": "h2", "name": "b"}') });
    expect(spec.mode === 'selector' && spec.fields.map((f) => f.name)).toEqual(['name']);
  });

  it('refuses limits beyond what one extraction may return', () => {
    expect(problems({ mode: 'auto', limits: { maxRecords: 20_000 } })).toEqual(['extractor.limits.maxRecords: expected a whole number of records from 1 to 10000, got 20000']);
    expect(problems({ mode: 'auto', limits: { maxBytes: 10 } })[0]).toMatch(/^extractor\.limits\.maxBytes: expected a number of bytes from 1024 to/);
    expect(problems({ mode: 'auto', itemSelector: '.p' })).toEqual(['extractor.itemSelector: expected nothing in automatic mode (leave out "mode": "auto" to extract with selectors), got ".p"']);
    expect(problems('.product')).toEqual(['extractor: expected an extractor: {"itemSelector": ".product", "fields": {"title": "h2", "url": "a@href"}}, or {"mode": "auto"}, got ".product"']);
  });
});

describe('extractorFromSource', () => {
  it('turns a pipeline page source into a selector extractor; a supplied source has none', () => {
    const source = (s: unknown) => parsePipeline({ version: 1, id: 'p', name: 'p', source: s, steps: [{ http: { method: 'POST', url: 'https://api.test/v1' } }] }).source;
    expect(extractorFromSource(source({ type: 'page', itemSelector: 'tr', fields: { name: 'td', link: 'a@href', all: { selector: 'i', all: true } } }))).toMatchObject({
      mode: 'selector',
      itemSelector: 'tr',
      fields: [
        { name: 'name', selector: 'td', all: false },
        { name: 'link', selector: 'a', attribute: 'href', all: false },
        { name: 'all', selector: 'i', all: true },
      ],
    });
    expect(extractorFromSource(source({ type: 'supplied' }))).toBeUndefined();
  });
});
