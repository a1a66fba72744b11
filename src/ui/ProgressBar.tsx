import { cx } from './cx';

export interface ProgressSegment {
  /** Share of the whole bar, 0–100. */
  percent: number;
  /** A Tailwind background class, e.g. `bg-emerald-500`. */
  className: string;
  label: string;
}

export interface ProgressBarProps {
  /** What the bar measures, for screen readers ("Records settled"). */
  label: string;
  /** 0–100: the figure announced to screen readers. */
  value: number;
  /** Coloured parts laid end to end (together at most 100). */
  segments: ProgressSegment[];
  className?: string;
  'data-testid'?: string;
}

/** A thin bar made of coloured segments (sent, rejected, failed), announced as one progress value. */
export function ProgressBar({ label, value, segments, className, 'data-testid': testId }: ProgressBarProps) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(value)}
      data-testid={testId}
      data-value={Math.round(value)}
      className={cx('flex h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800', className)}
    >
      {segments
        .filter((s) => s.percent > 0)
        .map((s) => (
          <span key={s.label} title={s.label} className={cx('h-full transition-[width] duration-300', s.className)} style={{ width: `${s.percent}%` }} />
        ))}
    </div>
  );
}
