import { cx } from './cx';

/** A grey placeholder bar shown while content loads. Decorative: announce loading elsewhere. */
export function Skeleton({ className }: { className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cx('block rounded bg-zinc-200 motion-safe:animate-pulse dark:bg-zinc-700/60', className)}
    />
  );
}
