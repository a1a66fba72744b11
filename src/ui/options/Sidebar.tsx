import { cx } from '../cx';
import { LogoMark } from '../LogoMark';
import { SectionIcon } from './icons';
import { SECTION_IDS, SECTIONS, type SectionId } from './sections';

export interface SidebarProps {
  active: SectionId;
  extensionVersion?: string;
}

/** The options page's navigation: plain links to hash routes, so keyboard and history just work. */
export function Sidebar({ active, extensionVersion }: SidebarProps) {
  return (
    <aside className="border-b border-zinc-200 bg-white md:sticky md:top-0 md:flex md:h-screen md:w-60 md:shrink-0 md:flex-col md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center gap-2.5 px-5 pt-5 pb-4">
        <LogoMark className="size-8" />
        <div>
          <p className="text-[15px] leading-tight font-semibold tracking-tight">Ferry</p>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">Settings</p>
        </div>
      </div>
      <nav aria-label="Settings sections" className="px-3 pb-3 md:flex-1">
        <ul className="flex gap-1 overflow-x-auto md:flex-col md:overflow-visible">
          {SECTION_IDS.map((id) => {
            const current = id === active;
            return (
              <li key={id}>
                <a
                  href={`#/${id}`}
                  aria-current={current ? 'page' : undefined}
                  data-testid={`nav-${id}`}
                  className={cx(
                    'flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors',
                    'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600 dark:focus-visible:outline-sky-400',
                    current
                      ? 'bg-sky-50 text-sky-800 dark:bg-sky-500/15 dark:text-sky-200'
                      : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100',
                  )}
                >
                  <SectionIcon
                    id={id}
                    className={cx('size-4', current ? 'text-sky-600 dark:text-sky-300' : 'text-zinc-400 dark:text-zinc-500')}
                  />
                  {SECTIONS[id].label}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      {extensionVersion && (
        <p className="hidden border-t border-zinc-200 px-5 py-3 font-mono text-[11px] text-zinc-400 md:block dark:border-zinc-800 dark:text-zinc-500">
          Ferry v{extensionVersion}
        </p>
      )}
    </aside>
  );
}
