/**
 * `pagination` of an HTTP step: follow a next link, pass a cursor, or count pages, until the natural
 * end (no next link, no cursor, an empty page) or a "complete when" rule. The parsed shape is the
 * HTTP integration's `PaginationConfig` (src/integrations/http/pagination-types.ts), so a step's
 * pagination is handed over as is.
 */
import { z } from 'zod';
import { boolean, dataPath, integer, strict, text } from './common';

/** Any rule that holds ends the read after the current page. */
export const CompleteWhenSchema = strict(
  {
    /** The page's items (at `itemsPath`) are empty. */
    emptyItems: boolean().optional(),
    /** A body path that is `true` on the last page, such as "is_last". */
    truePath: dataPath().optional(),
    /** A body path that is `false` on the last page, such as "meta.has_more". */
    falsePath: dataPath().optional(),
    /** A body path holding the number of pages; done once that many were read. */
    totalPagesPath: dataPath().optional(),
    /** Never read more than this many pages in all, resumes included. */
    maxPages: integer(1, 1_000_000, 'a whole number of pages, 1 or more').optional(),
  },
  'an object with any of "emptyItems", "truePath", "falsePath", "totalPagesPath", "maxPages"',
);

const common = {
  /** Where the records of each page are in the body (e.g. "data.items"); the whole body when absent. */
  itemsPath: dataPath().optional(),
  completeWhen: CompleteWhenSchema.optional(),
};

export const PaginationSchema = z.discriminatedUnion(
  'type',
  [
    strict({
      type: z.literal('nextLink'),
      /** Body path of the next page's URL, such as "links.next"; when absent, the `Link: <...>; rel="next"` header. */
      nextPath: dataPath().optional(),
      ...common,
    }),
    strict({
      type: z.literal('cursor'),
      /** Body path of the next cursor; the read ends when it is missing, null or "". */
      cursorPath: dataPath(),
      /** Query parameter that carries the cursor on the next request. */
      param: text('a query parameter name such as "cursor"').default('cursor'),
      ...common,
    }),
    strict({
      type: z.literal('page'),
      /** Query parameter that carries the page number. */
      param: text('a query parameter name such as "page"').default('page'),
      /** The first page's number. */
      start: integer(0, 1_000_000, 'a whole number, usually 1 or 0').optional(),
      ...common,
    }),
  ],
  { error: 'a pagination: {"type": "nextLink"}, {"type": "cursor", "cursorPath": ...} or {"type": "page"}' },
);

export type CompleteWhen = z.output<typeof CompleteWhenSchema>;
export type Pagination = z.output<typeof PaginationSchema>;
