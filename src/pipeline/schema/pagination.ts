/**
 * `pagination` of an HTTP step: follow a next link, pass a cursor, or count pages, until a
 * "complete when" rule holds (or `maxPages`, a guard against a server that never stops).
 */
import { z } from 'zod';
import { dataPath, integer, strict, templatedJson, text } from './common';

const COMPLETE = 'a rule such as {"path": "meta.hasMore", "equals": false} or {"path": "items", "isEmpty": true}';

/** Done when the value at `path` in the response body equals `equals`, or is empty (missing, null, "", [] or {}). */
export const CompleteWhenSchema = strict(
  {
    path: dataPath(),
    equals: templatedJson().optional(),
    isEmpty: z.literal(true, { error: 'true' }).optional(),
  },
  COMPLETE,
).superRefine((rule, ctx) => {
  if ((rule.equals === undefined) === (rule.isEmpty === undefined)) ctx.addIssue({ code: 'custom', message: `${COMPLETE}: exactly one of "equals" and "isEmpty"` });
});

const common = {
  /** Where the records of each page are in the body (e.g. "data.items"); the whole body when absent. */
  itemsPath: dataPath().optional(),
  maxPages: integer(1, 100_000, 'a whole number of pages from 1 to 100000').default(1000),
  completeWhen: CompleteWhenSchema.optional(),
};

export const PaginationSchema = z.discriminatedUnion(
  'type',
  [
    strict({
      type: z.literal('nextLink'),
      /** Path of the next page's URL in the body; when absent, the `Link: <...>; rel="next"` header. Done when there is none. */
      nextLinkPath: dataPath().optional(),
      ...common,
    }),
    strict({
      type: z.literal('cursor'),
      /** Path of the next cursor in the body; done when it is missing, null or "". */
      cursorPath: dataPath(),
      /** Query parameter that carries the cursor on the next request. */
      cursorParam: text('a query parameter name such as "cursor"').default('cursor'),
      ...common,
    }),
    strict({
      type: z.literal('page'),
      pageParam: text('a query parameter name such as "page"').default('page'),
      startPage: integer(0, 1_000_000, 'a whole number, usually 1 or 0').default(1),
      pageSizeParam: text('a query parameter name such as "per_page"').optional(),
      pageSize: integer(1, 10_000, 'a whole number of records per page from 1 to 10000').optional(),
      ...common,
    }).superRefine((p, ctx) => {
      // Without either, nothing tells the last page apart from the others.
      if (!p.itemsPath && !p.completeWhen) ctx.addIssue({ code: 'custom', path: ['completeWhen'], message: `${COMPLETE} (or "itemsPath", so an empty page ends it)` });
      if ((p.pageSizeParam === undefined) !== (p.pageSize === undefined)) ctx.addIssue({ code: 'custom', path: ['pageSize'], message: 'a page size together with "pageSizeParam" (both or neither)' });
    }),
  ],
  { error: 'a pagination: {"type": "nextLink"}, {"type": "cursor", "cursorPath": ...} or {"type": "page", ...}' },
);

export type CompleteWhen = z.output<typeof CompleteWhenSchema>;
export type Pagination = z.output<typeof PaginationSchema>;
