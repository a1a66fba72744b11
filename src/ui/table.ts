/** Shared classes for Ferry's data tables, so every list looks alike. */
export const tableClass = 'w-full border-collapse text-left text-[13px]';
export const thClass = 'border-b border-zinc-200 px-2 py-2 text-[11px] font-medium tracking-wide whitespace-nowrap text-zinc-500 uppercase first:pl-0 last:pr-0 dark:border-zinc-800 dark:text-zinc-400';
export const tdClass = 'border-b border-zinc-100 px-2 py-2 align-top first:pl-0 last:pr-0 dark:border-zinc-800/70';
export const numClass = 'text-right tabular-nums';
export const linkClass =
  'rounded font-medium text-sky-700 hover:text-sky-600 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-sky-400 dark:hover:text-sky-300 dark:focus-visible:outline-sky-400';
export const selectClass =
  'block h-8 w-full rounded-md bg-white px-2 text-sm text-zinc-900 shadow-sm ring-1 ring-zinc-300 ring-inset focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:bg-zinc-800 dark:text-zinc-100 dark:ring-zinc-700 dark:focus-visible:outline-sky-400';
export const mutedClass = 'text-zinc-500 dark:text-zinc-400';
