import type { ReactNode } from 'react';
import { cx } from './cx';

export type CalloutTone = 'danger' | 'warning' | 'info';

const tones: Record<CalloutTone, { box: string; icon: string; path: string }> = {
  danger: {
    box: 'border-red-200 bg-red-50 text-red-900 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-100',
    icon: 'text-red-600 dark:text-red-400',
    path: 'M12 8v5m0 3h.01M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Z',
  },
  warning: {
    box: 'border-amber-200 bg-amber-50 text-amber-950 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100',
    icon: 'text-amber-600 dark:text-amber-400',
    path: 'M12 9v4m0 3h.01M10.3 3.9 2.4 17.5A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z',
  },
  info: {
    box: 'border-sky-200 bg-sky-50 text-sky-950 dark:border-sky-500/30 dark:bg-sky-500/10 dark:text-sky-100',
    icon: 'text-sky-600 dark:text-sky-400',
    path: 'M12 16v-5m0-3h.01M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Z',
  },
};

export interface CalloutProps {
  tone?: CalloutTone;
  title: ReactNode;
  children?: ReactNode;
  className?: string;
  'data-testid'?: string;
}

/** A tinted box for a problem and what to do about it. Announced politely to screen readers. */
export function Callout({ tone = 'info', title, children, className, ...rest }: CalloutProps) {
  const t = tones[tone];
  return (
    <div role="status" className={cx('flex gap-2.5 rounded-lg border p-3 text-[13px] leading-snug', t.box, className)} {...rest}>
      <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" className={cx('mt-px size-4 shrink-0', t.icon)}>
        <path d={t.path} stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <div className="min-w-0 space-y-1">
        <p className="font-medium break-words">{title}</p>
        {children !== undefined && <div className="break-words opacity-90">{children}</div>}
      </div>
    </div>
  );
}
