import { getPath } from '../shared/body-path';
import type { CompleteWhen } from './pagination-types';

/**
 * Whether the page just read was the last one by the configured rules. `pages` counts every page
 * read so far, this one included and pages read before a resume, so maxPages and totalPagesPath
 * hold across worker restarts.
 */
export function isComplete(rules: CompleteWhen, body: unknown, items: unknown[], pages: number): boolean {
  if (rules.emptyItems && items.length === 0) return true;
  if (rules.truePath !== undefined && getPath(body, rules.truePath) === true) return true;
  if (rules.falsePath !== undefined && getPath(body, rules.falsePath) === false) return true;
  if (rules.totalPagesPath !== undefined) {
    const total = Number(getPath(body, rules.totalPagesPath));
    if (Number.isFinite(total) && pages >= total) return true;
  }
  return rules.maxPages !== undefined && pages >= rules.maxPages;
}
