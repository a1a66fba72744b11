// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.test/catalog/page.html"}
import { beforeEach, describe, expect, it } from 'vitest';
import { extractInPage } from './extract-in-page';
import type { ExtractionLimits, PageExtraction, PageExtractorSpec, PageField } from './types';

/**
 * The browser injects the function's source text, not the module: rebuild it from its text, so a
 * helper accidentally referenced from outside the function fails here instead of in the tab.
 */
const injected = new Function(`return (${extractInPage.toString()})`)() as typeof extractInPage;

const limits = (overrides: Partial<ExtractionLimits> = {}): ExtractionLimits => ({ maxRecords: 10_000, maxBytes: 8 * 1024 * 1024, truncate: false, ...overrides });
const field = (name: string, selector: string, extra: Partial<PageField> = {}): PageField => ({ name, selector, all: false, ...extra });
const selectorSpec = (itemSelector: string, fields: PageField[], overrides: Partial<ExtractionLimits> = {}): PageExtractorSpec => ({ mode: 'selector', itemSelector, fields, limits: limits(overrides) });
const auto = (overrides: Partial<ExtractionLimits> = {}): PageExtractorSpec => ({ mode: 'auto', limits: limits(overrides) });

function page(html: string, title = 'Catalog') {
  document.head.innerHTML = `<title>${title}</title>`;
  document.body.innerHTML = html;
}

function ok(result: PageExtraction): PageExtraction & { ok: true } {
  if (!result.ok) throw new Error(`expected records, got ${result.code}: ${result.message}`);
  // Whatever the page returns crosses a structured clone; it must be JSON through and through.
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  return result;
}

const PRODUCTS = `
  <ul class="products">
    <li class="product" data-sku="A-1">
      <h2>
        Blue   Widget
      </h2>
      <span class="price">9.99</span>
      <a href="../items/a-1?ref=list">details</a>
      <img src="/img/a-1.png" alt="">
      <span class="tag">new</span><span class="tag">sale</span>
    </li>
    <li class="product" data-sku="B-2">
      <h2>Red Gadget</h2>
      <a href="https://cdn.test/b-2">details</a>
      <img src="img/b-2.png">
    </li>
  </ul>`;

beforeEach(() => page(''));

describe('extractInPage: selector mode', () => {
  it('reads trimmed text, attributes (URLs made absolute), the item itself and lists', () => {
    page(PRODUCTS, 'Widgets');
    const result = ok(
      injected(
        selectorSpec('.product', [
          field('title', 'h2'),
          field('price', '.price'),
          field('url', 'a', { attribute: 'href' }),
          field('image', 'img', { attribute: 'src' }),
          field('sku', '', { attribute: 'data-sku' }),
          field('tags', '.tag', { all: true }),
        ]),
      ),
    );
    expect(result.mode).toBe('selector');
    expect(result.matched).toBe(2);
    expect(result.source).toEqual({ url: 'https://shop.test/catalog/page.html', title: 'Widgets' });
    expect(result.records).toEqual([
      { title: 'Blue Widget', price: '9.99', url: 'https://shop.test/items/a-1?ref=list', image: 'https://shop.test/img/a-1.png', sku: 'A-1', tags: ['new', 'sale'] },
      { title: 'Red Gadget', price: null, url: 'https://cdn.test/b-2', image: 'https://shop.test/catalog/img/b-2.png', sku: 'B-2', tags: [] },
    ]);
    // Missing values are reported, so a selector that drifted from the page does not go unnoticed.
    expect(result.warnings).toEqual(['fields.price found nothing in 1 of 2 items (left null)', 'fields.tags found nothing in 1 of 2 items (left empty)']);
  });

  it('follows the base URL when the page sets one, and leaves other attributes as written', () => {
    page(`<base href="https://media.test/v2/"><div class="i"><img src="x.png" alt=" A photo "><a href="#top">top</a></div>`);
    const result = ok(injected(selectorSpec('.i', [field('src', 'img', { attribute: 'src' }), field('alt', 'img', { attribute: 'alt' }), field('anchor', 'a', { attribute: 'href' })])));
    expect(result.records).toEqual([{ src: 'https://media.test/v2/x.png', alt: 'A photo', anchor: 'https://media.test/v2/#top' }]);
  });

  it('returns no records and no warning noise when nothing matches', () => {
    page(PRODUCTS);
    const result = ok(injected(selectorSpec('.nothing-here', [field('title', 'h2')])));
    expect(result).toMatchObject({ records: [], matched: 0, warnings: [] });
  });

  it('names the field whose selector the browser cannot parse', () => {
    page(PRODUCTS);
    expect(injected(selectorSpec('.product[', [field('title', 'h2')]))).toMatchObject({ ok: false, code: 'BAD_SELECTOR', field: 'itemSelector', selector: '.product[' });
    expect(injected(selectorSpec('.product', [field('title', 'h2'), field('price', 'span::(')]))).toMatchObject({ ok: false, code: 'BAD_SELECTOR', field: 'fields.price' });
  });
});

describe('extractInPage: automatic mode', () => {
  it('reads microdata items, nested items as objects, with each element kind read as the standard says', () => {
    page(`
      <div itemscope itemtype="https://schema.org/Product" itemid="/p/1">
        <span itemprop="name">Blue Widget</span>
        <meta itemprop="sku" content="A-1">
        <a itemprop="url" href="/p/1">link</a>
        <img itemprop="image" src="a.png">
        <span itemprop="color">blue</span><span itemprop="color">navy</span>
        <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
          <span itemprop="price" content="9.99">$9.99</span>
          <time itemprop="validFrom" datetime="2026-01-01">New year</time>
        </div>
        <span itemprop="__proto__">polluted</span>
      </div>
      <div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Red Gadget</span></div>`);
    const result = ok(injected(auto()));
    expect(result.mode).toBe('microdata');
    expect(result.records).toEqual([
      {
        '@type': 'Product',
        '@id': 'https://shop.test/p/1',
        name: 'Blue Widget',
        sku: 'A-1',
        url: 'https://shop.test/p/1',
        image: 'https://shop.test/catalog/a.png',
        color: ['blue', 'navy'],
        offers: { '@type': 'Offer', price: '9.99', validFrom: '2026-01-01' },
      },
      { '@type': 'Product', name: 'Red Gadget' },
    ]);
    expect(Object.getPrototypeOf(result.records[0])).toBe(Object.prototype);
  });

  it('falls back to JSON-LD objects (lists and @graph flattened), skipping blocks that are not JSON', () => {
    page(`
      <script type="application/ld+json">{"@type": "Product", "name": "Blue Widget", "offers": {"price": 9.99}}</script>
      <script type="application/ld+json">[{"@type": "Product", "name": "Red Gadget"}, 3]</script>
      <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "Organization", "name": "Shop"}]}</script>
      <script type="application/ld+json">{ not json </script>
      <script>var notData = 1;</script>`);
    const result = ok(injected(auto()));
    expect(result.mode).toBe('json-ld');
    expect(result.records.map((r) => r.name)).toEqual(['Blue Widget', 'Red Gadget', 'Shop']);
    expect(result.records[0]).toEqual({ '@type': 'Product', name: 'Blue Widget', offers: { price: 9.99 } });
    expect(result.warnings).toEqual(['JSON-LD block 4 is not valid JSON; skipped']);
  });

  it('falls back to the first table with a header row: header cells become camelCased field names', () => {
    page(`
      <table><tr><td>layout table, no header</td></tr></table>
      <table>
        <thead><tr><th>Product name</th><th>Unit price (EUR)</th><th>SKU</th><th></th><th>Unit price (EUR)</th></tr></thead>
        <tbody>
          <tr><td> Blue
            Widget </td><td>9.99</td><td>A-1</td><td>x</td><td>10</td></tr>
          <tr><th>Red Gadget</th><td>19.50</td><td>B-2
            <table><tr><th>nested</th></tr><tr><td>rows</td></tr></table></td><td></td></tr>
        </tbody>
        <tfoot><tr><td>Total</td><td>29.49</td></tr></tfoot>
      </table>
      <table><tr><th>Second</th></tr><tr><td>not used</td></tr></table>`);
    const result = ok(injected(auto()));
    expect(result.mode).toBe('table');
    expect(result.records).toEqual([
      { productName: 'Blue Widget', unitPriceEur: '9.99', sku: 'A-1', column4: 'x', unitPriceEur2: '10' },
      { productName: 'Red Gadget', unitPriceEur: '19.50', sku: 'B-2 nestedrows', column4: '', unitPriceEur2: null },
    ]);
    expect(result.warnings).toEqual(['some table rows have a different number of cells than the header (merged cells?); missing cells are null']);
  });

  it('takes a header row of th cells without a thead, and keeps letters of any script (accents dropped)', () => {
    page(`<table><tr><th>Größe</th><th>価格</th></tr><tr><td>M</td><td>100</td></tr></table>`);
    expect(ok(injected(auto())).records).toEqual([{ große: 'M', 価格: '100' }]);
  });

  it('prefers microdata to JSON-LD to tables, and says what else the page has', () => {
    const table = '<table><tr><th>A</th></tr><tr><td>1</td></tr></table>';
    const jsonLd = '<script type="application/ld+json">{"name": "from JSON-LD"}</script>';
    page(`<div itemscope><span itemprop="name">from microdata</span></div>${jsonLd}${table}`);
    let result = ok(injected(auto()));
    expect(result.records).toEqual([{ name: 'from microdata' }]);
    expect(result.warnings.join('\n')).toMatch(/also has JSON-LD or a table: pass an extractor \{ itemSelector, fields \}/);
    page(`${jsonLd}${table}`);
    result = ok(injected(auto()));
    expect(result).toMatchObject({ mode: 'json-ld', records: [{ name: 'from JSON-LD' }] });
    expect(result.warnings.join('\n')).toMatch(/also has a table/);
  });

  it('finds nothing on a page without structured data', () => {
    page('<p>Just prose.</p><table><tr><td>no header</td></tr></table>');
    expect(ok(injected(auto()))).toMatchObject({ mode: 'none', records: [] });
  });
});

describe('extractInPage: limits', () => {
  const rows = (n: number) => `<ul>${Array.from({ length: n }, (_, i) => `<li class="r">row ${i}</li>`).join('')}</ul>`;

  it('refuses past maxRecords, returning no records and what it found', () => {
    page(rows(12));
    const result = ok(injected(selectorSpec('.r', [field('text', '')], { maxRecords: 10 })));
    expect(result.records).toEqual([]);
    expect(result.overflow).toEqual({ limit: 'maxRecords', kept: 10, available: 12 });
  });

  it('keeps the first records that fit when truncate is on', () => {
    page(rows(12));
    const result = ok(injected(selectorSpec('.r', [field('text', '')], { maxRecords: 10, truncate: true })));
    expect(result.records).toHaveLength(10);
    expect(result.records[9]).toEqual({ text: 'row 9' });
    expect(result.overflow).toEqual({ limit: 'maxRecords', kept: 10, available: 12 });
  });

  it('stops at the byte budget (UTF-8 bytes of the records as JSON)', () => {
    page(`<ul>${Array.from({ length: 50 }, () => `<li class="r">${'é'.repeat(100)}</li>`).join('')}</ul>`);
    // Each record is {"text":"é×100"}: 211 bytes plus a separator.
    const result = ok(injected(selectorSpec('.r', [field('text', '')], { maxBytes: 2048, truncate: true })));
    expect(result.records).toHaveLength(9);
    expect(result.overflow).toEqual({ limit: 'maxBytes', kept: 9, available: 50 });
    expect(new TextEncoder().encode(JSON.stringify(result.records)).byteLength).toBeLessThanOrEqual(2048);
  });

  it('applies the limits in automatic mode too', () => {
    page(`<table><tr><th>N</th></tr>${Array.from({ length: 5 }, (_, i) => `<tr><td>${i}</td></tr>`).join('')}</table>`);
    expect(ok(injected(auto({ maxRecords: 3 })))).toMatchObject({ mode: 'table', records: [], overflow: { limit: 'maxRecords', kept: 3, available: 5 } });
  });
});
