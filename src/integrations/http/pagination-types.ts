import type { AttemptOptions, HttpAttempt, HttpRequestNode } from './types';

/** When a paginated read is over, besides the natural end (no next link, no cursor). Any rule met ends it. */
export interface CompleteWhen {
  /** The items at `itemsPath` are empty (the default, and the only natural end, for `page`). */
  emptyItems?: boolean;
  /** A body path that is `true` on the last page, e.g. `is_last`. */
  truePath?: string;
  /** A body path that is `false` on the last page, e.g. `has_more`. */
  falsePath?: string;
  /** A body path holding the number of pages; done once that many pages were read. */
  totalPagesPath?: string;
  /** Never read more than this many pages in all (resumes included). */
  maxPages?: number;
}

interface Common {
  /** Where the page's records are in the body; omitted: the body itself. */
  itemsPath?: string;
  completeWhen?: CompleteWhen;
}

export type PaginationConfig =
  /** The next page's URL: a body path such as `links.next`, else the Link header's rel="next". */
  | (Common & { type: 'nextLink'; nextPath?: string })
  /** A cursor read from `cursorPath` and sent as the query parameter `param`. */
  | (Common & { type: 'cursor'; cursorPath: string; param: string })
  /** A page number sent as the query parameter `param`, counting from `start` (default 1). */
  | (Common & { type: 'page'; param: string; start?: number });

/**
 * Where to start the next page, and how many pages were read before it. Plain JSON: a durable runner
 * persists it after each page and passes it back as `from` after the worker stopped.
 */
export type PageCheckpoint = { nextUrl: string; pages: number } | { cursor: string; pages: number } | { page: number; pages: number };

export interface Page {
  /** 0-based position of this page in the whole read, resumes included. */
  index: number;
  attempt: HttpAttempt;
  items: unknown[];
  /** Where the page after this one starts; null when this was the last page. */
  checkpoint: PageCheckpoint | null;
}

export type SendAttempt = (node: HttpRequestNode, options: AttemptOptions) => Promise<HttpAttempt>;

export interface PaginateOptions {
  /** The first page's request; later pages are derived from it. */
  request: HttpRequestNode;
  pagination: PaginationConfig;
  /** Resume from a checkpoint a previous read yielded; omitted: start at the first page. */
  from?: PageCheckpoint;
  /** The attempt function, e.g. sendHttpRequest wrapped in retry and breaker; default sendHttpRequest. */
  send?: SendAttempt;
  /** Which attempts are pages; default `attempt.ok`. Any other attempt ends the read with PAGE_FAILED. */
  isSuccess?: (attempt: HttpAttempt) => boolean;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}
