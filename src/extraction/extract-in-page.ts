/**
 * The extractor that runs inside the tab. `chrome.scripting.executeScript({ func, args })` sends
 * this function's source text to the page, so it must be self-contained: every helper is declared
 * inside it, nothing from a module is referenced at runtime (the imports below are types), and it
 * never throws — a throw would reach the background as a browser-specific string, so failures come
 * back as data. Its result is untrusted anyway: the page controls the DOM (see page-result.ts).
 *
 * Selector mode reads `spec.fields` from each element matching `spec.itemSelector`. Automatic mode
 * takes, in this order, microdata items, JSON-LD objects, or the first table with a header row.
 */
import type { ExtractionMode, ExtractionOverflow, JsonRecord, JsonValue, PageExtraction, PageExtractorSpec } from './types';

export function extractInPage(spec: PageExtractorSpec): PageExtraction {
  // Attributes whose value is a URL: read back absolute, so a record does not depend on the page's base.
  const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'poster', 'cite', 'data', 'background'];
  const MAX_ITEM_DEPTH = 16;
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

  /** Keeps the record when it fits both limits; records the overflow (and returns false) when not. */
  const add = (record: JsonRecord, available?: number): boolean => {
    const size = encoder.encode(JSON.stringify(record)).byteLength + 1;
    const limit = records.length >= spec.limits.maxRecords ? 'maxRecords' : bytes + size > spec.limits.maxBytes ? 'maxBytes' : undefined;
    if (limit) {
      overflow = { limit, kept: records.length, ...(available !== undefined ? { available } : {}) };
      return false;
    }
    records.push(record);
    bytes += size;
    return true;
  };

  const done = (mode: ExtractionMode, extra: { matched?: number } = {}): PageExtraction => {
    // Refused extractions send nothing back: the background reports the overflow, not partial data.
    const kept = overflow && !spec.limits.truncate ? [] : records;
    return { ok: true, mode, records: kept, source, warnings, ...(overflow ? { overflow } : {}), ...extra };
  };

  const badSelector = (field: string, selector: string): PageExtraction => ({
    ok: false,
    code: 'BAD_SELECTOR',
    field,
    selector,
    message: `${field}: "${selector}" is not a CSS selector this browser understands`,
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

  const bySelectors = (s: PageExtractorSpec & { mode: 'selector' }): PageExtraction => {
    if (!parses(s.itemSelector)) return badSelector('itemSelector', s.itemSelector);
    for (const field of s.fields) {
      if (field.selector !== '' && !parses(field.selector)) return badSelector(`fields.${field.name}`, field.selector);
    }
    const items = Array.from(document.querySelectorAll(s.itemSelector));
    const misses = new Map<string, number>();
    for (const item of items) {
      const record: JsonRecord = {};
      for (const field of s.fields) {
        const read = (element: Element): string | null => (field.attribute ? attributeOf(element, field.attribute) : text(element.textContent));
        let value: JsonValue;
        if (field.all) {
          const matches = field.selector === '' ? [item] : Array.from(item.querySelectorAll(field.selector));
          value = matches.map(read).filter((v): v is string => v !== null);
          if (matches.length === 0) misses.set(field.name, (misses.get(field.name) ?? 0) + 1);
        } else {
          const element = field.selector === '' ? item : item.querySelector(field.selector);
          value = element ? read(element) : null;
          if (value === null) misses.set(field.name, (misses.get(field.name) ?? 0) + 1);
        }
        put(record, field.name, value);
      }
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

  const cellsOf = (row: Element): Element[] => Array.from(row.children).filter((c) => c.localName === 'td' || c.localName === 'th');

  const headedTable = (): { rows: Element[][]; names: string[] } | undefined => {
    for (const table of Array.from(document.querySelectorAll('table'))) {
      // Rows of this table only: a nested table's rows are part of a cell, not of this table.
      const rows = Array.from(table.querySelectorAll('tr')).filter((r) => r.closest('table') === table);
      const headerIndex = rows.findIndex((r) => {
        const cells = cellsOf(r);
        return cells.length > 0 && (r.parentElement?.localName === 'thead' || cells.every((c) => c.localName === 'th'));
      });
      if (headerIndex === -1) continue;
      const names: string[] = [];
      cellsOf(rows[headerIndex]!).forEach((cell, i) => {
        const base = camelCase(text(cell.textContent)) || `column${i + 1}`;
        let name = base;
        for (let n = 2; names.includes(name); n += 1) name = `${base}${n}`;
        names.push(name);
      });
      const body = rows.slice(headerIndex + 1).filter((r) => {
        const cells = cellsOf(r);
        // Repeated header rows and the footer (totals) are not records.
        return cells.length > 0 && !cells.every((c) => c.localName === 'th') && r.parentElement?.localName !== 'tfoot' && r.parentElement?.localName !== 'thead';
      });
      return { rows: body.map(cellsOf), names };
    }
    return undefined;
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
      if (table.rows.some((cells) => cells.length !== table.names.length)) {
        warnings.push('some table rows have a different number of cells than the header (merged cells?); missing cells are null');
      }
      for (const cells of table.rows) {
        const record: JsonRecord = {};
        table.names.forEach((name, i) => put(record, name, cells[i] ? text(cells[i].textContent) : null));
        if (!add(record, table.rows.length)) break;
      }
      return done('table');
    }
    return done('none');
  };

  try {
    return spec.mode === 'selector' ? bySelectors(spec) : automatic();
  } catch (error) {
    // Not expected; returned as data so the background can report it in the same words everywhere.
    return { ok: false, code: 'FAILED', message: `the extractor failed in the page: ${error instanceof Error ? error.message : String(error)}` };
  }
}
