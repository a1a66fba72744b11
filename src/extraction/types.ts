/**
 * Shapes shared by the in-page extractor (which runs in the tab and may import nothing at runtime)
 * and the background that injects it. Types only: erased at build time, so `extract-in-page.ts`
 * stays self-contained.
 */

/** How much one extraction may return. The page stops collecting at either limit. */
export interface ExtractionLimits {
  maxRecords: number;
  /** UTF-8 bytes of the records as JSON. */
  maxBytes: number;
  /** At a limit, keep what fits and warn (true), or refuse the extraction (false). */
  truncate: boolean;
}

/** How a field reads its element. Absent: the text, or the attribute when `attribute` is set. */
export type PageFieldType = 'text' | 'html' | 'attribute' | 'link' | 'image';

/** One field of a selector extraction, normalized from `"a@href"` or `{ selector | xpath, type, attribute, all }`. */
export interface PageField {
  name: string;
  /** CSS, relative to the item; empty means the item element itself (unless `xpath` is set). */
  selector: string;
  /** An XPath relative to the item (`./td[2]`, `.//a`) instead of `selector`. */
  xpath?: string;
  /** Read this attribute instead of the text; URL attributes (href, src, ...) come back absolute. */
  attribute?: string;
  /**
   * `html`: the element's innerHTML; `link`: the absolute URL of its href (or of the first `a[href]`
   * inside it); `image`: the absolute URL of its src (or of the first `img` inside it). Absent: text,
   * or `attribute` when set.
   */
  type?: 'html' | 'link' | 'image';
  /** Images: take this candidate of `srcset` instead of `src` (when it has one). */
  srcset?: 'first' | 'largest';
  /** Every match as a list instead of the first one. */
  all: boolean;
}

/** Where items (or a table) are: a CSS selector, or an XPath. */
export type PageLocator = { css: string } | { xpath: string };

/** Page metadata added to each record under `key` (selector and table modes). */
export interface MetadataMerge {
  key: string;
}

/** What the background passes to the page as the injected function's only argument (JSON). */
export type PageExtractorSpec =
  | { mode: 'selector'; itemSelector: string; itemXPath?: string; fields: PageField[]; metadata?: MetadataMerge; limits: ExtractionLimits }
  /** Rows of one table; the header row names the fields. */
  | { mode: 'table'; table: PageLocator; metadata?: MetadataMerge; limits: ExtractionLimits }
  /** One record: the user's current selection (text, html, links). */
  | { mode: 'selection'; limits: ExtractionLimits }
  /** One record: url, title, canonical, language, meta tags (og:*, twitter:*, ...), JSON-LD. */
  | { mode: 'metadata'; limits: ExtractionLimits }
  | { mode: 'auto'; limits: ExtractionLimits };

/** Which kind of markup the records came from. */
export type ExtractionMode = 'selector' | 'microdata' | 'json-ld' | 'table' | 'selection' | 'metadata' | 'none';

/** Set when a limit was reached: what was kept, and how much the page had when that is known. */
export interface ExtractionOverflow {
  limit: 'maxRecords' | 'maxBytes';
  kept: number;
  /** Items the page had in total (known when they were counted before collecting). */
  available?: number;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonRecord = { [key: string]: JsonValue };

export type PageExtraction =
  | {
      ok: true;
      mode: ExtractionMode;
      records: JsonRecord[];
      source: { url: string; title: string };
      warnings: string[];
      overflow?: ExtractionOverflow;
      /** Selector mode: how many elements matched itemSelector; table mode: how many body rows. */
      matched?: number;
    }
  /**
   * BAD_SELECTOR: a selector (or XPath) the browser cannot parse; `field` is its config path
   * (`itemSelector`, `fields.price`, `table`). NOT_FOUND: the table locator matched nothing, or not a
   * table. FAILED: the extractor itself failed in the page (a bug, or a hostile page).
   */
  | { ok: false; code: 'BAD_SELECTOR' | 'NOT_FOUND' | 'FAILED'; message: string; field?: string; selector?: string; language?: 'css' | 'xpath' };
