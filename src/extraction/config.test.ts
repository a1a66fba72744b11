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
    expect(problems({ itemSelecter: '.p', fields: { a: 'b' } })).toContain('extractor.itemSelecter: unknown key (did you mean "itemSelector"?); expected one of the keys "mode", "itemSelector", "fields", "table", "metadata", "limits"');
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
    expect(problems('.product')).toEqual(['extractor: expected an extractor: {"itemSelector": ".product", "fields": {"title": "h2", "url": "a@href"}}, {"table": "#prices"}, {"mode": "selection"}, {"mode": "metadata"} or {"mode": "auto"}, got ".product"']);
  });
});

describe('parseExtractorConfig: rules beyond plain selectors', () => {
  it('normalizes XPath items and fields, field types, table mode, metadata merging and the one-record modes', () => {
    expect(parseExtractorConfig({ itemSelector: { xpath: ' //tr ' }, fields: { name: { xpath: './td[1]' }, url: { selector: 'a', type: 'link' }, pic: { selector: 'img', type: 'image', srcset: 'largest' }, body: { type: 'html' }, id: { type: 'attribute', attribute: 'data-id' } }, metadata: true })).toMatchObject({
      mode: 'selector',
      itemSelector: '',
      itemXPath: '//tr',
      fields: [
        { name: 'name', selector: '', xpath: './td[1]', all: false },
        { name: 'url', selector: 'a', type: 'link', all: false },
        { name: 'pic', selector: 'img', type: 'image', srcset: 'largest', all: false },
        { name: 'body', selector: '', type: 'html', all: false },
        { name: 'id', selector: '', attribute: 'data-id', all: false },
      ],
      metadata: { key: 'page' },
    });
    expect(parseExtractorConfig({ itemSelector: { css: '.p' }, fields: { a: 'b' } })).toMatchObject({ itemSelector: '.p' });
    expect(parseExtractorConfig({ table: '#prices', metadata: 'from' })).toMatchObject({ mode: 'table', table: { css: '#prices' }, metadata: { key: 'from' } });
    expect(parseExtractorConfig({ mode: 'table', table: { xpath: '//table[2]' } })).toMatchObject({ mode: 'table', table: { xpath: '//table[2]' } });
    expect(parseExtractorConfig({ mode: 'selection' })).toEqual({ mode: 'selection', limits: { maxRecords: MAX_RECORDS, maxBytes: DEFAULT_MAX_BYTES, truncate: false } });
    expect(parseExtractorConfig({ mode: 'metadata' })).toMatchObject({ mode: 'metadata' });
  });

  it('names what does not belong to a mode or a field type', () => {
    expect(problems({ mode: 'table' })).toEqual(['extractor.table: expected a CSS selector for the table, such as "#prices" or "table.results", but it is missing']);
    expect(problems({ table: '#t', fields: { a: 'b' } })).toEqual(['extractor.fields: expected nothing in "table" mode (not used by mode "table"), got an object']);
    expect(problems({ mode: 'selection', metadata: true })[0]).toMatch(/^extractor\.metadata: expected nothing in "selection" mode/);
    expect(problems({ itemSelector: '.p', fields: { a: { selector: 'a', xpath: './a' } } })).toEqual(['extractor.fields.a.xpath: expected either "selector" or "xpath", not both, got "./a"']);
    expect(problems({ itemSelector: '.p', fields: { a: { type: 'attribute' } } })[0]).toMatch(/^extractor\.fields\.a\.attribute: expected an attribute name such as "href" \(type "attribute" reads one\)/);
    expect(problems({ itemSelector: '.p', fields: { a: { type: 'link', attribute: 'href' } } })[0]).toMatch(/^extractor\.fields\.a\.attribute: expected nothing with type "link"/);
    expect(problems({ itemSelector: '.p', fields: { a: { type: 'text', srcset: 'first' } } })[0]).toMatch(/^extractor\.fields\.a\.srcset: expected nothing unless "type" is "image"/);
    // An object that is not a field at all gets the whole phrase, which lists the types.
    expect(problems({ itemSelector: '.p', fields: { a: { type: 'json' } } })[0]).toMatch(/^extractor\.fields\.a: expected .*"type": "text" \| "html" \| "attribute" \| "link" \| "image"/);
    expect(problems({ itemSelector: { xpath: '' }, fields: { a: 'b' } })[0]).toMatch(/^extractor\.itemSelector\.xpath: expected an XPath/);
    expect(problems({ itemSelector: '.p', fields: { page: 'b' }, metadata: true })).toEqual(['extractor.metadata: expected a field name that no field uses ("page" is a field already), got true']);
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

  it('takes a whole extractor saved with the pipeline (what the picker produces), and refuses half of each form', () => {
    const source = (s: unknown) => parsePipeline({ version: 1, id: 'p', name: 'p', source: s, steps: [{ http: { method: 'POST', url: 'https://api.test/v1' } }] }).source;
    expect(extractorFromSource(source({ type: 'page', extractor: { table: { xpath: '//table[1]' }, metadata: true } }))).toMatchObject({ mode: 'table', table: { xpath: '//table[1]' }, metadata: { key: 'page' } });
    expect(extractorFromSource(source({ type: 'page', extractor: { itemSelector: '.card', fields: { img: { selector: 'img', type: 'image' } } } }))).toMatchObject({ mode: 'selector', fields: [{ name: 'img', type: 'image' }] });
    expect(() => source({ type: 'page', itemSelector: 'tr', extractor: { mode: 'selection' } })).toThrow(/source\.extractor: expected either "extractor" or "itemSelector" with "fields", not both/);
    expect(() => source({ type: 'page', itemSelector: 'tr' })).toThrow(/source\.fields: expected an object mapping field names/);
    expect(() => source({ type: 'page', extractor: { mode: 'table' } })).toThrow(/source\.extractor\.table: expected a CSS selector for the table/);
  });
});
