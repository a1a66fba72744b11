import { Button } from './Button';
import { formatCount } from './runs/runFormat';

export interface PagerProps {
  /** From 0. */
  page: number;
  pageSize: number;
  total: number;
  onPage(page: number): void;
  /** What is being paged ("runs"), for the buttons' accessible names. */
  noun: string;
  'data-testid'?: string;
}

export const pageCount = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

/** "51–100 of 1,000" with Previous and Next; nothing when everything fits on one page. */
export function Pager({ page, pageSize, total, onPage, noun, 'data-testid': testId }: PagerProps) {
  const pages = pageCount(total, pageSize);
  if (total <= pageSize) return null;
  const first = page * pageSize + 1;
  const last = Math.min(total, (page + 1) * pageSize);
  return (
    <nav aria-label={`Pages of ${noun}`} className="flex items-center justify-between gap-3 pt-3" data-testid={testId}>
      <p className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400" aria-live="polite" data-testid={testId && `${testId}-range`}>
        {formatCount(first)}–{formatCount(last)} of {formatCount(total)}
      </p>
      <div className="flex gap-2">
        <Button variant="secondary" onClick={() => onPage(page - 1)} disabled={page === 0} aria-label={`Previous ${noun}`}>
          Previous
        </Button>
        <Button variant="secondary" onClick={() => onPage(page + 1)} disabled={page >= pages - 1} aria-label={`Next ${noun}`} data-testid={testId && `${testId}-next`}>
          Next
        </Button>
      </div>
    </nav>
  );
}
