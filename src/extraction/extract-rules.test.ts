// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.test/catalog/page.html"}
/**
 * The extraction rules beyond plain selectors: field types, table mode, the user's selection and the
 * page's metadata. XPath needs document.evaluate, which happy-dom lacks: here only its soft failure
 * is checked; tests/e2e/picker.spec.ts runs XPath rules in real Chromium.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseExtractorConfig } from './config';
import { extractInPage } from './extract-in-page';
import type { PageExtraction } from './types';

const injected = new Function(`return (${extractInPage.toString()})`)() as typeof extractInPage;
const run = (config: unknown): PageExtraction => injected(parseExtractorConfig(config));

function page(html: string, head = '<title>Catalog</title>') {
  document.head.innerHTML = head;
  document.body.innerHTML = html;
}

function ok(result: PageExtraction): PageExtraction & { ok: true } {
  if (!result.ok) throw new Error(`expected records, got ${result.code}: ${result.message}`);
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  return result;
}

beforeEach(() => page(''));

describe('field types', () => {
  it('reads html, links and images (absolute), srcset candidates, and attributes by type', () => {
    page(`
      <div class="card" data-id="7">
        <h2>Blue <b>Widget</b></h2>
        <p class="more"><a href="../items/7">more</a></p>
        <picture><img src="/img/7.png" srcset="img/7-small.png 320w, img/7-large.png 1280w, img/7-mid.png 640w"></picture>
        <img class="lazy" data-src="lazy/7.png">
      </div>`);
    const result = ok(
      run({
        itemSelector: '.card',
        fields: {
          html: { selector: 'h2', type: 'html' },
          link: { selector: '.more', type: 'link' },
          self: { selector: 'a', type: 'link' },
          image: { selector: 'picture', type: 'image' },
          first: { selector: 'img', type: 'image', srcset: 'first' },
          largest: { selector: 'img', type: 'image', srcset: 'largest' },
          lazy: { selector: 'img.lazy', type: 'image' },
          id: { type: 'attribute', attribute: 'data-id' },
          missing: { selector: '.none', type: 'link' },
        },
      }),
    );
    expect(result.records).toEqual([
      {
        html: 'Blue <b>Widget</b>',
        link: 'https://shop.test/items/7',
        self: 'https://shop.test/items/7',
        image: 'https://shop.test/img/7.png',
        first: 'https://shop.test/catalog/img/7-small.png',
        largest: 'https://shop.test/catalog/img/7-large.png',
        lazy: 'https://shop.test/catalog/lazy/7.png',
        id: '7',
        missing: null,
      },
    ]);
  });

  it('picks the densest candidate of an x-descriptor srcset, and lists every match with all', () => {
    page(`<ul><li><img src="a.png" srcset="a1.png 1x,a2.png 2x"><a href="/x">x</a><a href="/y">y</a></li></ul>`);
    const result = ok(run({ itemSelector: 'li', fields: { img: { selector: 'img', type: 'image', srcset: 'largest' }, links: { selector: 'a', type: 'link', all: true } } }));
    expect(result.records).toEqual([{ img: 'https://shop.test/catalog/a2.png', links: ['https://shop.test/x', 'https://shop.test/y'] }]);
  });

  it('explains, naming the field, when the page cannot evaluate XPath', () => {
    page('<ul><li>a</li></ul>');
    expect(run({ itemSelector: { xpath: '//li' }, fields: { name: { xpath: '.' } } })).toMatchObject({ ok: false, code: 'FAILED', message: expect.stringContaining('XPath') });
  });
});

const bigTable = (rows: number) =>
  `<table id="big"><thead><tr><th>Id</th><th>Name</th><th>Unit price (EUR)</th></tr></thead><tbody>${Array.from({ length: rows }, (_, i) => `<tr><td>${i}</td><td>Item ${i}</td><td>${(i * 1.5).toFixed(2)}</td></tr>`).join('')}</tbody></table>`;

describe('table mode', () => {
  it('turns the chosen table into records named by its header row, skipping footers and nested tables', () => {
    page(`
      <table id="first"><tr><th>Other</th></tr><tr><td>not this one</td></tr></table>
      <div id="wrap"><table>
        <thead><tr><th>Product name</th><th>Price</th></tr></thead>
        <tbody>
          <tr><td>Blue <i>Widget</i></td><td>9.99</td></tr>
          <tr><td>Red Gadget<table><tr><td>nested</td></tr></table></td><td>19.50</td></tr>
        </tbody>
        <tfoot><tr><td>Total</td><td>29.49</td></tr></tfoot>
      </table></div>`);
    for (const table of ['#wrap', '#wrap td', { css: '#wrap > table' }]) {
      const result = ok(run({ table }));
      expect(result).toMatchObject({ mode: 'table', matched: 2, warnings: [] });
      expect(result.records).toEqual([
        { productName: 'Blue Widget', price: '9.99' },
        // textContent: a nested table's text is part of its cell
        { productName: 'Red Gadgetnested', price: '19.50' },
      ]);
    }
  });

  it('names columns column1.. when the table has no header row, and says so', () => {
    page('<table id="t"><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>');
    const result = ok(run({ table: '#t' }));
    expect(result.records).toEqual([
      { column1: 'a', column2: 'b' },
      { column1: 'c', column2: null },
    ]);
    expect(result.warnings[0]).toMatch(/no header row/);
  });

  it('answers NOT_FOUND naming the locator, and BAD_SELECTOR for a selector that does not parse', () => {
    page('<p id="x">no table</p>');
    expect(run({ table: '#x' })).toMatchObject({ ok: false, code: 'NOT_FOUND', field: 'table', message: 'table: "#x" matches no table on this page' });
    expect(run({ table: '#none' })).toMatchObject({ ok: false, code: 'NOT_FOUND', message: 'table: "#none" matches nothing on this page' });
    expect(run({ table: 'table[' })).toMatchObject({ ok: false, code: 'BAD_SELECTOR', field: 'table', language: 'css' });
  });

  it('reads a 10,000-row table, within the default limits', () => {
    page(bigTable(10_000));
    const result = ok(run({ table: '#big' }));
    expect(result.records).toHaveLength(10_000);
    expect(result.records[9_999]).toEqual({ id: '9999', name: 'Item 9999', unitPriceEur: '14998.50' });
  });

  it('keeps the limits: refuses or truncates past maxRecords', () => {
    page(bigTable(30));
    expect(ok(run({ table: '#big', limits: { maxRecords: 10 } }))).toMatchObject({ records: [], overflow: { limit: 'maxRecords', kept: 10, available: 30 } });
    expect(ok(run({ table: '#big', limits: { maxRecords: 10, truncate: true } })).records).toHaveLength(10);
  });
});

const HEAD = `<title>Widgets</title>
  <meta name="description" content=" Blue widgets. ">
  <meta property="og:title" content="Widgets!"><meta property="og:image" content="https://cdn.test/w.png">
  <meta name="twitter:card" content="summary"><meta charset="utf-8">
  <link rel="canonical" href="/catalog/widgets">
  <script type="application/ld+json">{"@type": "Product", "name": "Widget"}</script>`;

describe('metadata', () => {
  it('returns url, title, canonical (absolute), language, meta tags by name or property, and JSON-LD as one record', () => {
    page('<p>Hi</p>', HEAD);
    document.documentElement.setAttribute('lang', 'en');
    const result = ok(run({ mode: 'metadata' }));
    expect(result.mode).toBe('metadata');
    expect(result.records).toEqual([
      {
        url: 'https://shop.test/catalog/page.html',
        title: 'Widgets',
        canonical: 'https://shop.test/catalog/widgets',
        language: 'en',
        description: 'Blue widgets.',
        meta: { description: 'Blue widgets.', 'og:title': 'Widgets!', 'og:image': 'https://cdn.test/w.png', 'twitter:card': 'summary' },
        jsonLd: [{ '@type': 'Product', name: 'Widget' }],
      },
    ]);
    document.documentElement.removeAttribute('lang');
  });

  it('merges into each record under the chosen key (selector and table modes)', () => {
    page('<ul><li>a</li><li>b</li></ul><table id="t"><tr><th>N</th></tr><tr><td>1</td></tr></table>', HEAD);
    const items = ok(run({ itemSelector: 'li', fields: { name: { selector: '' } }, metadata: true }));
    expect(items.records.map((r) => [r.name, (r.page as { title: string }).title])).toEqual([
      ['a', 'Widgets'],
      ['b', 'Widgets'],
    ]);
    const rows = ok(run({ table: '#t', metadata: 'from' }));
    expect(rows.records[0]).toMatchObject({ n: '1', from: { canonical: 'https://shop.test/catalog/widgets' } });
  });
});

describe('selection', () => {
  it('returns the selected text, its HTML and the links in it (absolute)', () => {
    page('<p id="p">Read <a href="/docs">the docs</a> and <a href="https://x.test/">x</a> today.</p><p>Not this.</p>');
    const p = document.getElementById('p')!;
    const range = document.createRange();
    range.selectNodeContents(p);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    const result = ok(run({ mode: 'selection' }));
    expect(result.records).toEqual([
      {
        text: 'Read the docs and x today.',
        html: 'Read <a href="/docs">the docs</a> and <a href="https://x.test/">x</a> today.',
        links: [
          { text: 'the docs', url: 'https://shop.test/docs' },
          { text: 'x', url: 'https://x.test/' },
        ],
      },
    ]);
  });

  const select = (startNode: Node, startOffset: number, endNode: Node, endOffset: number): Range => {
    const range = document.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    return range;
  };
  const htmlOf = (fragment: DocumentFragment) => {
    const div = document.createElement('div');
    div.appendChild(fragment);
    return div.innerHTML;
  };

  it('cuts partly selected text and elements as range.cloneContents() does, without cloning the live nodes', () => {
    page('<div id="d"><p id="a">First <b>bold words</b> end</p><ul id="l"><li>one</li><li>two <a href="/t">link</a> tail</li><li>three</li></ul></div>');
    const bold = document.querySelector('b')!.firstChild!;
    const link = document.querySelector('a')!.firstChild!;
    const cases: [Node, number, Node, number][] = [
      [bold, 5, link, 2], // text to text, across elements
      [document.getElementById('a')!, 1, document.getElementById('l')!, 2], // element boundaries
      [bold, 0, bold, 4], // inside one text node
      [document.getElementById('d')!, 0, document.getElementById('d')!, 2], // all of it
      [document.body, 0, link, 4],
    ];
    for (const [startNode, startOffset, endNode, endOffset] of cases) {
      const range = select(startNode, startOffset, endNode, endOffset);
      const expected = htmlOf(range.cloneContents());
      expect(ok(run({ mode: 'selection' })).records[0]).toMatchObject({ html: expected });
    }
    expect(ok(run({ mode: 'selection' })).records[0]).toMatchObject({ links: [{ text: 'link', url: 'https://shop.test/t' }] });
  });

  // happy-dom runs a custom element's constructor in any document (and its importNode clones the
  // source), so here the test is that no live range is cloned and the copy is imported into a
  // document without a window; tests/e2e/extract-selection.spec.ts checks in Chromium that a slow
  // constructor does not run.
  it('clones no live range: the selection is imported into an inert document', () => {
    page('<p id="p">Before <counted-widget data-x="1"><i>inside</i></counted-widget> after</p>');
    const p = document.getElementById('p')!;
    select(p, 0, p, 3);
    const live: string[] = [];
    const inertDocuments: Document[] = [];
    const { cloneContents } = Range.prototype;
    const { implementation } = document;
    const createHTMLDocument = implementation.createHTMLDocument.bind(implementation);
    Range.prototype.cloneContents = function (this: Range) {
      if (this.startContainer.ownerDocument === document || this.startContainer === document) live.push('range.cloneContents');
      return cloneContents.call(this);
    };
    implementation.createHTMLDocument = (title?: string) => {
      const created = createHTMLDocument(title);
      inertDocuments.push(created);
      return created;
    };
    try {
      const result = ok(run({ mode: 'selection' }));
      expect(result.records[0]).toMatchObject({ html: 'Before <counted-widget data-x="1"><i>inside</i></counted-widget> after', text: 'Before inside after' });
    } finally {
      Object.assign(Range.prototype, { cloneContents });
      Reflect.deleteProperty(implementation, 'createHTMLDocument');
    }
    expect(live).toEqual([]);
    expect(inertDocuments).toHaveLength(1);
    expect(inertDocuments[0]).not.toBe(document);
    expect(inertDocuments[0]!.body.childNodes).toHaveLength(0); // nothing of the copy left behind
  });

  it('says to select something first when nothing is selected', () => {
    page('<p>text</p>');
    window.getSelection()!.removeAllRanges();
    const result = ok(run({ mode: 'selection' }));
    expect(result.records).toEqual([]);
    expect(result.warnings[0]).toMatch(/nothing is selected/);
  });
});
