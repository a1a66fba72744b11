import { SectionIcon } from './icons';
import type { SectionInfo } from './sections';

/** An honest empty state for a section that isn't built yet: what will live here, and nothing fake. */
export function PlannedSection({ section }: { section: SectionInfo }) {
  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-14 text-center dark:border-zinc-700 dark:bg-zinc-900/50">
      <span className="flex size-11 items-center justify-center rounded-full bg-sky-50 text-sky-600 ring-1 ring-sky-600/10 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/20">
        <SectionIcon id={section.id} className="size-5" />
      </span>
      <h2 className="mt-4 text-sm font-semibold">Nothing here yet</h2>
      <p className="mt-1.5 max-w-md text-sm leading-relaxed text-zinc-600 dark:text-zinc-400">
        <span className="font-medium text-zinc-800 dark:text-zinc-200">{section.label}:</span> {section.planned}
      </p>
    </div>
  );
}
