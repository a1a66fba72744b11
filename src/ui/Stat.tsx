import type { ReactNode } from 'react';
import { cx } from './cx';

export interface StatProps {
  label: string;
  value: ReactNode;
  /** Monospace, for versions and paths. */
  mono?: boolean;
  title?: string;
  'data-testid'?: string;
}

/** One labelled figure inside a <dl>. */
export function Stat({ label, value, mono, title, 'data-testid': testId }: StatProps) {
  return (
    <div className="min-w-0 rounded-lg bg-zinc-50 px-3 py-2 ring-1 ring-inset ring-zinc-200/70 dark:bg-zinc-800/50 dark:ring-zinc-700/50">
      <dt className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</dt>
      <dd
        data-testid={testId}
        title={title}
        className={cx('mt-0.5 truncate text-sm font-semibold text-zinc-900 tabular-nums dark:text-zinc-50', mono && 'font-mono text-[13px] font-medium')}
      >
        {value}
      </dd>
    </div>
  );
}
