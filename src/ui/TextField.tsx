import { useId, type ComponentPropsWithRef } from 'react';
import { cx } from './cx';

export interface TextFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'id'> {
  /** On the input; its error message gets `<id>-error`. */
  'data-testid'?: string;
  label: string;
  /** Help under the field. */
  hint?: string;
  /** A validation message: marks the field invalid and is read with it. */
  error?: string;
}

export const inputClass =
  'block h-8 w-full rounded-md bg-white px-2.5 text-sm text-zinc-900 shadow-sm ring-1 ring-zinc-300 ring-inset placeholder:text-zinc-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:opacity-60 dark:bg-zinc-800 dark:text-zinc-100 dark:ring-zinc-700 dark:placeholder:text-zinc-500 dark:focus-visible:outline-sky-400';

export const labelClass = 'text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400';

/** A labelled input with its hint and validation message tied to it (aria-describedby). */
export function TextField({ label, hint, error, className, 'data-testid': testId, ...rest }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : undefined, hint ? hintId : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cx('min-w-0', className)}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={cx(inputClass, 'mt-1', error && 'ring-red-500 dark:ring-red-400')}
        data-testid={testId}
        {...rest}
      />
      {error && (
        <p id={errorId} className="mt-1 text-xs text-red-700 dark:text-red-300" data-testid={testId && `${testId}-error`}>
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
    </div>
  );
}
