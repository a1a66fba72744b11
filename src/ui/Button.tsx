import type { ComponentPropsWithRef } from 'react';
import { cx } from './cx';
import { Spinner } from './Spinner';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';

const variants: Record<Variant, string> = {
  primary:
    'bg-sky-600 text-white shadow-sm hover:bg-sky-500 active:bg-sky-700 dark:bg-sky-500 dark:text-zinc-950 dark:hover:bg-sky-400',
  secondary:
    'bg-white text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 active:bg-zinc-100 dark:bg-zinc-800 dark:text-zinc-100 dark:ring-zinc-700 dark:hover:bg-zinc-700',
  danger:
    'bg-red-600 text-white shadow-sm hover:bg-red-500 active:bg-red-700 dark:bg-red-500 dark:text-white dark:hover:bg-red-400',
  ghost:
    'text-sky-700 hover:bg-sky-50 active:bg-sky-100 dark:text-sky-400 dark:hover:bg-sky-500/10 dark:active:bg-sky-500/20',
};

export interface ButtonProps extends ComponentPropsWithRef<'button'> {
  variant?: Variant;
  /** Shows a spinner, disables the button and sets aria-busy. */
  busy?: boolean;
  /** Label shown while busy (defaults to the normal children). */
  busyLabel?: string;
}

/** Ferry's one button: four variants, a visible focus ring, and a busy state with a spinner. */
export function Button({ variant = 'primary', busy = false, busyLabel, disabled, className, children, type, ...rest }: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={cx(
        'inline-flex h-8 items-center justify-center gap-2 rounded-md px-3 text-sm font-medium transition-colors',
        'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:focus-visible:outline-sky-400',
        'disabled:cursor-not-allowed disabled:opacity-60',
        variants[variant],
        className,
      )}
      {...rest}
    >
      {busy && <Spinner />}
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}
