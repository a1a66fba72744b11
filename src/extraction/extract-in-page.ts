/**
 * The extractor that runs inside the tab. `chrome.scripting.executeScript({ func, args })` sends
 * this function's source text to the page, so it must be self-contained: every helper is declared
 * inside it, nothing from a module is referenced at runtime (the imports below are types), and it
 * never throws — a throw would reach the background as a browser-specific string, so failures come
 * back as data. Its result is untrusted anyway: the page controls the DOM (see page-result.ts).
 *
 * Selector mode reads `spec.fields` (CSS or XPath; text, html, an attribute, a link or an image)
 * from each element matching `spec.itemSelector` or `spec.itemXPath`. Table mode turns one table's
 * body rows into records named by its header row. Selection mode returns the user's selection (copied
 * through an inert document, so the page's custom-element constructors never run inside the
 * extraction), and metadata mode the page's metadata, as one record. Automatic mode takes, in this
 * order, microdata items, JSON-LD objects, or the first table with a header row.
 *
 * It is one long function on purpose (the browser injects one function): the helpers below are its
 * modules. Hot paths (10,000-row tables) avoid per-record allocation beyond the record itself.
 */
import type { ExtractionMode, ExtractionOverflow, JsonRecord, JsonValue, PageExtraction, PageExtractorSpec, PageField } from './types';

export function extractInPage(spec: PageExtractorSpec): PageExtraction {
  // Attributes whose value is a URL: read back absolute, so a record does not depend on the page's base.
  const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'poster', 'cite', 'data', 'background'];
  const MAX_ITEM_DEPTH = 16;
  // XPathResult's constants, spelled out: the global is not referenced, so a DOM without XPath fails softly.
  const XPATH_SNAPSHOT = 7;
  const XPATH_FIRST = 9;
  // JSON.stringify escapes control characters, so its output is ASCII exactly when it is printable ASCII.
  const NON_ASCII = /[^ -~]/;
  const warnings: string[] = [];
  const records: JsonRecord[] = [];
  const encoder = new TextEncoder();
  let bytes = 2; // the list's brackets
  let overflow: ExtractionOverflow | undefined;
  const source = { url: location.href, title: document.title };

  // textContent carries the markup's indentation and line breaks; a record wants the words.
  const text = (value: string | null | undefined): string => (value ?? '').replace(/\s+/g, ' ').trim();

  const absolute = (value: string): string => {
    try {
      return new URL(value, document.baseURI).href;
    } catch {
      return value;
    }
  };

  const attributeOf = (element: Element, name: string): string | null => {
    const raw = element.getAttribute(name);
    if (raw === null) return null;
    const value = raw.trim();
    return URL_ATTRIBUTES.includes(name.toLowerCase()) && value !== '' ? absolute(value) : value;
  };

  // A key that would set an object's prototype instead of a field is dropped, never assigned.
  const put = (record: Record<string, JsonValue>, key: string, value: JsonValue): void => {
    if (key === '__proto__') return;
    const existing = Object.hasOwn(record, key) ? record[key] : undefined;
    if (existing === undefined) record[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else record[key] = [existing, value];
  };

  /**
   * An upper bound of the record's size as JSON in UTF-8, without serializing it: a UTF-16 unit is
   * at most 3 bytes, and JSON writes a control character as 6 (\u0000), so 6 per unit bounds any
   * string. While the bounds add up to less than the limit the exact size cannot exceed it either,
   * so records are only serialized to be measured once a page comes near the limit.
   */
  const bound = (value: JsonValue): number => {
    if (typeof value === 'string') return value.length * 6 + 2;
    if (value === null || typeof value !== 'object') return 24;
    let n = 2;
    if (Array.isArray(value)) for (const item of value) n += bound(item) + 1;
    else for (const key in value) n += key.length * 6 + 4 + bound(value[key]!);
    return n;
  };
  let bounded = true;

  /** Keeps the record when it fits both limits; records the overflow (and returns false) when not. */
  const add = (record: JsonRecord, available?: number): boolean => {
    if (records.length >= spec.limits.maxRecords) {
      overflow = { limit: 'maxRecords', kept: records.length, ...(available !== undefined ? { available } : {}) };
      return false;
    }
    if (bounded) {
      const upper = bound(record) + 1;
      if (bytes + upper <= spec.limits.maxBytes) {
        records.push(record);
        bytes += upper;
        return true;
      }
      // Near the limit: from here on, exact sizes (the records so far measured once).
      bounded = false;
      bytes = 2 + records.reduce((n, r) => n + exactSize(r), 0);
    }
    const size = exactSize(record);
    if (bytes + size > spec.limits.maxBytes) {
      overflow = { limit: 'maxBytes', kept: records.length, ...(available !== undefined ? { available } : {}) };
      return false;
    }
    records.push(record);
    bytes += size;
    return true;
  };

  const exactSize = (record: JsonRecord): number => {
    const json = JSON.stringify(record);
    // UTF-8 bytes: the string's length when it is ASCII (the common case), else encoded.
    return (NON_ASCII.test(json) ? encoder.encode(json).byteLength : json.length) + 1;
  };

  const done = (mode: ExtractionMode, extra: { matched?: number } = {}): PageExtraction => {
    // Refused extractions send nothing back: the background reports the overflow, not partial data.
    const kept = overflow && !spec.limits.truncate ? [] : records;
    return { ok: true, mode, records: kept, source, warnings, ...(overflow ? { overflow } : {}), ...extra };
  };

  const badSelector = (field: string, selector: string, language: 'css' | 'xpath' = 'css'): PageExtraction => ({
    ok: false,
    code: 'BAD_SELECTOR',
    field,
    selector,
    language,
    message: `${field}: "${selector}" is not ${language === 'css' ? 'a CSS selector' : 'an XPath expression'} this browser understands`,
  });

  const parses = (selector: string): boolean => {
    try {
      // A fragment parses the selector without matching anything on the page.
      document.createDocumentFragment().querySelector(selector);
      return true;
    } catch {
      return false;
    }
  };

  const xpathParses = (expression: string): boolean => {
    try {
      document.createExpression(expression, null);
      return true;
    } catch {
      return false;
    }
  };

  const hasXPath = (): boolean => typeof document.evaluate === 'function' && typeof document.createExpression === 'function';
  const noXPath = (): PageExtraction => ({ ok: false, code: 'FAILED', message: 'this page cannot evaluate XPath (document.evaluate is missing); use CSS selectors' });

  /** Nodes an XPath selects from `context`, in document order: elements, attributes or text. */
  const xpathAll = (expression: string, context: Node): Node[] => {
    const result = document.evaluate(expression, context, null, XPATH_SNAPSHOT, null);
    const nodes: Node[] = [];
    for (let i = 0; i < result.snapshotLength; i += 1) nodes.push(result.snapshotItem(i)!);
    return nodes;
  };
  const xpathFirst = (expression: string, context: Node): Node | null => document.evaluate(expression, context, null, XPATH_FIRST, null).singleNodeValue;

  /** `srcset`'s first candidate, or the one with the largest width (`640w`) or density (`2x`). */
  const fromSrcset = (srcset: string, pick: 'first' | 'largest'): string | null => {
    const candidates: string[][] = [];
    // "a.jpg 1x, b.jpg 2x" or "s.jpg 320w,l.jpg 1024w": a URL, an optional descriptor, a comma.
    for (const match of srcset.matchAll(/\s*([^\s,][^\s]*?)(?:\s+([\d.]+[wx]))?\s*(?:,|$)/g)) {
      if (match[1]) candidates.push(match[2] ? [match[1], match[2]] : [match[1]]);
    }
    if (candidates.length === 0) return null;
    if (pick === 'first') return absolute(candidates[0]![0]!);
    let best = candidates[0]!;
    let bestSize = 0;
    for (const words of candidates) {
      const size = parseFloat(words[1] ?? '1x') || 1;
      if (size > bestSize) [best, bestSize] = [words, size];
    }
    return absolute(best[0]!);
  };

  const linkOf = (element: Element): string | null => {
    const anchor = element.hasAttribute('href') ? element : element.querySelector('a[href], area[href]');
    return anchor ? attributeOf(anchor, 'href') : null;
  };

  const imageOf = (element: Element, srcset: 'first' | 'largest' | undefined): string | null => {
    const image = element.localName === 'img' || element.localName === 'source' ? element : element.querySelector('img');
    if (!image) return null;
    const set = srcset ? image.getAttribute('srcset') : null;
    const chosen = set ? fromSrcset(set, srcset!) : null;
    // Lazy-loading pages keep the real address in data-src until the image scrolls into view.
    return chosen ?? attributeOf(image, 'src') ?? (image.getAttribute('data-src') ? absolute(image.getAttribute('data-src')!.trim()) : null);
  };

  /** A field's value from one node: an element per the field's type, an attribute's value, a text node's text. */
  const readNode = (field: PageField, node: Node): string | null => {
    if (node.nodeType === 2) {
      const attr = node as Attr;
      return URL_ATTRIBUTES.includes(attr.name.toLowerCase()) && attr.value.trim() !== '' ? absolute(attr.value.trim()) : attr.value.trim();
    }
    if (node.nodeType !== 1) return text(node.textContent);
    const element = node as Element;
    if (field.attribute) return attributeOf(element, field.attribute);
    if (field.type === 'html') return element.innerHTML.trim();
    if (field.type === 'link') return linkOf(element);
    if (field.type === 'image') return imageOf(element, field.srcset);
    return text(element.textContent);
  };

  /** Checks every selector and XPath before anything is read, so a typo is named, not half-applied. */
  const checkFields = (fields: PageField[]): PageExtraction | undefined => {
    for (const field of fields) {
      if (field.xpath !== undefined) {
        if (!hasXPath()) return noXPath();
        if (!xpathParses(field.xpath)) return badSelector(`fields.${field.name}`, field.xpath, 'xpath');
      } else if (field.selector !== '' && !parses(field.selector)) return badSelector(`fields.${field.name}`, field.selector);
    }
    return undefined;
  };

  const bySelectors = (s: PageExtractorSpec & { mode: 'selector' }): PageExtraction => {
    if (s.itemXPath !== undefined) {
      if (!hasXPath()) return noXPath();
      if (!xpathParses(s.itemXPath)) return badSelector('itemSelector', s.itemXPath, 'xpath');
    } else if (!parses(s.itemSelector)) return badSelector('itemSelector', s.itemSelector);
    const invalid = checkFields(s.fields);
    if (invalid) return invalid;
    const items: Element[] = s.itemXPath !== undefined ? (xpathAll(s.itemXPath, document).filter((n) => n.nodeType === 1) as Element[]) : Array.from(document.querySelectorAll(s.itemSelector));
    const misses = new Map<string, number>();
    const metadata = s.metadata ? pageMetadata() : undefined;
    for (const item of items) {
      const record: JsonRecord = {};
      for (const field of s.fields) {
        let value: JsonValue;
        if (field.all) {
          const matches: Node[] = field.xpath !== undefined ? xpathAll(field.xpath, item) : field.selector === '' ? [item] : Array.from(item.querySelectorAll(field.selector));
          const values: string[] = [];
          for (const match of matches) {
            const v = readNode(field, match);
            if (v !== null) values.push(v);
          }
          value = values;
          if (matches.length === 0) misses.set(field.name, (misses.get(field.name) ?? 0) + 1);
        } else {
          const node = field.xpath !== undefined ? xpathFirst(field.xpath, item) : field.selector === '' ? item : item.querySelector(field.selector);
          value = node ? readNode(field, node) : null;
          if (value === null) misses.set(field.name, (misses.get(field.name) ?? 0) + 1);
        }
        put(record, field.name, value);
      }
      if (metadata) put(record, s.metadata!.key, metadata);
      if (!add(record, items.length)) break;
    }
    for (const [name, count] of misses) {
      warnings.push(`fields.${name} found nothing in ${count} of ${items.length} items (left ${s.fields.find((f) => f.name === name)?.all ? 'empty' : 'null'})`);
    }
    return done('selector', { matched: items.length });
  };

  // Microdata: the value of an itemprop element, as the HTML standard defines it per element.
  const propertyValue = (element: Element): string => {
    const tag = element.localName;
    if (tag === 'meta' || element.hasAttribute('content')) return text(element.getAttribute('content'));
    if (['audio', 'embed', 'iframe', 'img', 'source', 'track', 'video'].includes(tag)) return attributeOf(element, 'src') ?? '';
    if (['a', 'area', 'link'].includes(tag)) return attributeOf(element, 'href') ?? '';
    if (tag === 'object') return attributeOf(element, 'data') ?? '';
    if (tag === 'data' || tag === 'meter') return text(element.getAttribute('value'));
    if (tag === 'time' && element.hasAttribute('datetime')) return text(element.getAttribute('datetime'));
    return text(element.textContent);
  };

  const typeName = (itemtype: string): string => {
    const first = itemtype.trim().split(/\s+/)[0] ?? '';
    return first.split(/[/#]/).filter(Boolean).pop() ?? first;
  };

  const microdataItem = (scope: Element, depth: number): JsonRecord => {
    const item: JsonRecord = {};
    const itemtype = scope.getAttribute('itemtype');
    if (itemtype) put(item, '@type', typeName(itemtype));
    const itemid = scope.getAttribute('itemid');
    if (itemid) put(item, '@id', absolute(itemid.trim()));
    const visit = (parent: Element): void => {
      for (const child of Array.from(parent.children)) {
        const names = (child.getAttribute('itemprop') ?? '').split(/\s+/).filter(Boolean);
        const nested = child.hasAttribute('itemscope');
        if (names.length > 0) {
          const value = nested ? (depth < MAX_ITEM_DEPTH ? microdataItem(child, depth + 1) : null) : propertyValue(child);
          for (const name of names) put(item, name, value);
        }
        // An element inside a nested item belongs to that item, not to this one.
        if (!nested) visit(child);
      }
    };
    visit(scope);
    return item;
  };

  const jsonLdObjects = (): JsonRecord[] => {
    const found: JsonRecord[] = [];
    const scripts = Array.from(document.querySelectorAll('script')).filter((s) => text(s.getAttribute('type')).toLowerCase() === 'application/ld+json');
    scripts.forEach((script, index) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(script.textContent ?? '');
      } catch {
        warnings.push(`JSON-LD block ${index + 1} is not valid JSON; skipped`);
        return;
      }
      const graph = (value: unknown): unknown[] =>
        Array.isArray(value) ? value.flatMap(graph) : value !== null && typeof value === 'object' && Array.isArray((value as { '@graph'?: unknown })['@graph']) ? graph((value as { '@graph': unknown[] })['@graph']) : [value];
      for (const value of graph(parsed)) {
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) found.push(value as JsonRecord);
      }
    });
    return found;
  };

  const camelCase = (label: string): string => {
    const words = label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .map((w) => w.toLowerCase());
    return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  };

  // Indexed loops over the live collections: Array.from on an HTMLCollection costs more than the reads.
  const cellsOf = (row: Element): Element[] => {
    const cells: Element[] = [];
    const children = row.children;
    for (let i = 0; i < children.length; i += 1) {
      const child = children[i]!;
      if (child.localName === 'td' || child.localName === 'th') cells.push(child);
    }
    return cells;
  };
  /** A table's own rows, as HTMLTableElement.rows lists them: never those of a table nested in a cell. */
  const rowsOf = (table: Element): Element[] => {
    const rows: Element[] = [];
    const sections = table.children;
    for (let i = 0; i < sections.length; i += 1) {
      const child = sections[i]!;
      if (child.localName === 'tr') rows.push(child);
      else if (child.localName === 'thead' || child.localName === 'tbody' || child.localName === 'tfoot') {
        const inner = child.children;
        for (let j = 0; j < inner.length; j += 1) if (inner[j]!.localName === 'tr') rows.push(inner[j]!);
      }
    }
    return rows;
  };
  const allTh = (cells: Element[]): boolean => {
    for (const cell of cells) if (cell.localName !== 'th') return false;
    return true;
  };

  /** Field names from header cells: camelCased, `column3` for an empty one, `name2` for a repeat. */
  const headerNames = (cells: Element[]): string[] => {
    const names: string[] = [];
    cells.forEach((cell, i) => {
      const base = camelCase(text(cell.textContent)) || `column${i + 1}`;
      let name = base;
      for (let n = 2; names.includes(name); n += 1) name = `${base}${n}`;
      names.push(name);
    });
    return names;
  };

  /** A table's body rows and the names its header row gives them; `requireHeader` skips tables without one. */
  const tableRows = (table: Element, requireHeader: boolean): { rows: Element[][]; names: string[]; headed: boolean } | undefined => {
    const rows = rowsOf(table);
    const headerIndex = rows.findIndex((r) => {
      const cells = cellsOf(r);
      return cells.length > 0 && (r.parentElement?.localName === 'thead' || allTh(cells));
    });
    if (headerIndex === -1 && requireHeader) return undefined;
    const width = (): number => rows.reduce((max, r) => Math.max(max, cellsOf(r).length), 0);
    const names = headerIndex === -1 ? Array.from({ length: width() }, (_, i) => `column${i + 1}`) : headerNames(cellsOf(rows[headerIndex]!));
    const body: Element[][] = [];
    for (let i = headerIndex + 1; i < rows.length; i += 1) {
      const row = rows[i]!;
      const section = row.parentElement?.localName;
      // Repeated header rows and the footer (totals) are not records.
      if (section === 'tfoot' || section === 'thead') continue;
      const cells = cellsOf(row);
      if (cells.length > 0 && !allTh(cells)) body.push(cells);
    }
    return { rows: body, names, headed: headerIndex !== -1 };
  };

  const headedTable = (): { rows: Element[][]; names: string[] } | undefined => {
    for (const table of Array.from(document.querySelectorAll('table'))) {
      const found = tableRows(table, true);
      if (found) return found;
    }
    return undefined;
  };

  /** One record per row; cells past the header's width are left out, missing ones are null. */
  const addRows = (table: { rows: Element[][]; names: string[] }, metadata?: { key: string; value: JsonRecord }): void => {
    if (table.rows.some((cells) => cells.length !== table.names.length)) {
      warnings.push('some table rows have a different number of cells than the header (merged cells?); missing cells are null');
    }
    const { names } = table;
    for (const cells of table.rows) {
      const record: JsonRecord = {};
      // Header names are unique and camelCased (never "__proto__"), so plain assignment is safe here.
      for (let i = 0; i < names.length; i += 1) {
        const cell = cells[i];
        record[names[i]!] = cell ? text(cell.textContent) : null;
      }
      if (metadata) put(record, metadata.key, metadata.value);
      if (!add(record, table.rows.length)) break;
    }
  };

  const byTable = (s: PageExtractorSpec & { mode: 'table' }): PageExtraction => {
    let found: Node | null;
    if ('xpath' in s.table) {
      if (!hasXPath()) return noXPath();
      if (!xpathParses(s.table.xpath)) return badSelector('table', s.table.xpath, 'xpath');
      found = xpathFirst(s.table.xpath, document);
    } else {
      if (!parses(s.table.css)) return badSelector('table', s.table.css);
      found = document.querySelector(s.table.css);
    }
    const where = 'xpath' in s.table ? s.table.xpath : s.table.css;
    // The locator may point at the table, at something inside it (a cell), or at a wrapper around it.
    const element = found && found.nodeType === 1 ? (found as Element) : null;
    const table = element ? (element.localName === 'table' ? element : (element.closest('table') ?? element.querySelector('table'))) : null;
    if (!table) return { ok: false, code: 'NOT_FOUND', field: 'table', selector: where, message: `table: "${where}" ${element ? 'matches no table' : 'matches nothing'} on this page` };
    const rows = tableRows(table, false)!;
    if (!rows.headed) warnings.push('the table has no header row (a <thead> or a row of <th> cells); fields are named column1, column2, ...');
    addRows(rows, s.metadata ? { key: s.metadata.key, value: pageMetadata() } : undefined);
    return done('table', { matched: rows.rows.length });
  };

  /** url, title, canonical, language, every meta tag by name or property (og:*, twitter:*), JSON-LD. */
  const pageMetadata = (): JsonRecord => {
    const meta: JsonRecord = {};
    for (const tag of Array.from(document.querySelectorAll('meta'))) {
      // itemprop metas belong to microdata items, not to the page.
      if (tag.hasAttribute('itemprop')) continue;
      const key = (tag.getAttribute('property') ?? tag.getAttribute('name') ?? tag.getAttribute('http-equiv') ?? '').trim();
      const content = tag.getAttribute('content');
      if (key !== '' && content !== null) put(meta, key, content.trim());
    }
    const canonical = document.querySelector('link[rel~="canonical" i][href]');
    const description = typeof meta.description === 'string' ? meta.description : null;
    return {
      url: location.href,
      title: document.title,
      canonical: canonical ? attributeOf(canonical, 'href') : null,
      language: document.documentElement.getAttribute('lang') || null,
      description,
      meta,
      jsonLd: jsonLdObjects(),
    };
  };

  /** Where `node` sits below `root`, as child indexes from the root down. */
  const pathFrom = (root: Node, node: Node): number[] => {
    const path: number[] = [];
    for (let n = node; n !== root && n.parentNode; n = n.parentNode) path.unshift(Array.prototype.indexOf.call(n.parentNode.childNodes, n));
    return path;
  };

  const follow = (root: Node, path: number[]): Node => path.reduce<Node>((n, index) => n.childNodes[index]!, root);

  const isCharacterData = (node: Node): node is CharacterData => node.nodeType === 3 || node.nodeType === 4 || node.nodeType === 7 || node.nodeType === 8;

  /** Removes what follows `node`, and what follows each of its ancestors, up to `root`. */
  const trimAfter = (root: Node, node: Node): void => {
    for (let n = node; n !== root && n.parentNode; n = n.parentNode) while (n.nextSibling) n.parentNode.removeChild(n.nextSibling);
  };

  const trimBefore = (root: Node, node: Node): void => {
    for (let n = node; n !== root && n.parentNode; n = n.parentNode) while (n.previousSibling) n.parentNode.removeChild(n.previousSibling);
  };

  /**
   * What `range.cloneContents()` returns, made without cloning a live element: the range's common
   * ancestor is imported into the inert document (which has no custom element registry), and the
   * copy is cut down to the range, its boundaries found again by their child indexes (the end
   * first, so the start's indexes still hold).
   */
  const inertContents = (inert: Document, range: Range): DocumentFragment => {
    let root = range.commonAncestorContainer;
    let [start, startOffset, end, endOffset] = [range.startContainer, range.startOffset, range.endContainer, range.endOffset];
    // A document cannot be imported: a range that spans the whole one is its root element's content.
    if (root.nodeType === 9) {
      root = (root as Document).documentElement;
      if (start.nodeType === 9) [start, startOffset] = [root, 0];
      if (end.nodeType === 9) [end, endOffset] = [root, root.childNodes.length];
    }
    const copy = inert.importNode(root, true);
    const last = follow(copy, pathFrom(root, end));
    const first = follow(copy, pathFrom(root, start));
    if (isCharacterData(last)) last.data = last.data.slice(0, endOffset);
    else while (last.childNodes.length > endOffset) last.removeChild(last.lastChild!);
    trimAfter(copy, last);
    if (isCharacterData(first)) first.data = first.data.slice(startOffset);
    else for (let i = 0; i < startOffset && first.firstChild; i += 1) first.removeChild(first.firstChild);
    trimBefore(copy, first);
    const contents = inert.createDocumentFragment();
    if (isCharacterData(copy)) contents.appendChild(copy);
    else while (copy.firstChild) contents.appendChild(copy.firstChild);
    return contents;
  };

  /** The user's selection (or the selected part of a focused text field) as text, HTML and links. */
  const selection = (): PageExtraction => {
    const field = document.activeElement as HTMLInputElement | HTMLTextAreaElement | null;
    const inField = field && (field.localName === 'textarea' || field.localName === 'input') && typeof field.selectionStart === 'number' && field.selectionStart !== field.selectionEnd;
    if (inField) {
      const selected = field.value.slice(field.selectionStart!, field.selectionEnd!);
      add({ text: selected, html: null, links: [] });
      return done('selection');
    }
    const current = window.getSelection();
    if (!current || current.rangeCount === 0 || current.isCollapsed) {
      warnings.push('nothing is selected on the page: select some text first, then extract again');
      return done('selection');
    }
    // The selection is copied into an inert document (no browsing context): cloning there creates
    // plain elements, so the page's custom-element constructors, image loads and the like never run
    // inside the extraction, as they would for range.cloneContents() on the live page.
    const inert = document.implementation.createHTMLDocument('');
    const holder = inert.createElement('div');
    const links: JsonValue[] = [];
    for (let i = 0; i < current.rangeCount; i += 1) {
      const range = current.getRangeAt(i);
      holder.appendChild(inertContents(inert, range));
      // A selection inside one link's text carries no <a> of its own: take the link around it.
      const start = range.commonAncestorContainer;
      const around = (start.nodeType === 1 ? (start as Element) : start.parentElement)?.closest('a[href]');
      if (around) links.push({ text: text(around.textContent), url: attributeOf(around, 'href') });
    }
    for (const anchor of Array.from(holder.querySelectorAll('a[href]'))) links.push({ text: text(anchor.textContent), url: attributeOf(anchor, 'href') });
    add({ text: current.toString().trim(), html: holder.innerHTML, links });
    return done('selection');
  };

  const automatic = (): PageExtraction => {
    const items = Array.from(document.querySelectorAll('[itemscope]')).filter((el) => !el.hasAttribute('itemprop'));
    const jsonLd = items.length === 0 ? jsonLdObjects() : [];
    const table = items.length === 0 && jsonLd.length === 0 ? headedTable() : undefined;
    const hint = 'pass an extractor { itemSelector, fields } to choose what to extract';
    if (items.length > 0) {
      if (document.querySelector('[itemref]')) warnings.push('microdata itemref links are not followed yet; properties they point to are missing');
      if (document.querySelector('script[type="application/ld+json"], table')) warnings.push(`used the page's microdata; it also has JSON-LD or a table: ${hint}`);
      for (const item of items) if (!add(microdataItem(item, 0), items.length)) break;
      return done('microdata');
    }
    if (jsonLd.length > 0) {
      if (document.querySelector('table')) warnings.push(`used the page's JSON-LD; it also has a table: ${hint}`);
      for (const object of jsonLd) if (!add(object, jsonLd.length)) break;
      return done('json-ld');
    }
    if (table) {
      addRows(table);
      return done('table');
    }
    return done('none');
  };

  try {
    switch (spec.mode) {
      case 'selector':
        return bySelectors(spec);
      case 'table':
        return byTable(spec);
      case 'selection':
        return selection();
      case 'metadata':
        add(pageMetadata());
        return done('metadata');
      default:
        return automatic();
    }
  } catch (error) {
    // Not expected; returned as data so the background can report it in the same words everywhere.
    return { ok: false, code: 'FAILED', message: `the extractor failed in the page: ${error instanceof Error ? error.message : String(error)}` };
  }
}
