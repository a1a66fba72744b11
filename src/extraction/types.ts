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

/** One field of a selector extraction, normalized from `"a@href"` or `{ selector, attribute, all }`. */
export interface PageField {
  name: string;
  /** Relative to the item; empty means the item element itself. */
  selector: string;
  /** Read this attribute instead of the text; URL attributes (href, src, ...) come back absolute. */
  attribute?: string;
  /** Every match as a list instead of the first one. */
  all: boolean;
}

/** What the background passes to the page as the injected function's only argument (JSON). */
export type PageExtractorSpec =
  | { mode: 'selector'; itemSelector: string; fields: PageField[]; limits: ExtractionLimits }
  | { mode: 'auto'; limits: ExtractionLimits };

/** Which kind of markup the records came from. */
export type ExtractionMode = 'selector' | 'microdata' | 'json-ld' | 'table' | 'none';

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
      /** Selector mode: how many elements matched itemSelector. */
      matched?: number;
    }
  /**
   * BAD_SELECTOR: a selector the browser cannot parse; `field` is its config path (`itemSelector`,
   * `fields.price`). FAILED: the extractor itself failed in the page (a bug, or a hostile page).
   */
  | { ok: false; code: 'BAD_SELECTOR' | 'FAILED'; message: string; field?: string; selector?: string };
