import type { HTMLAttributes, ReactNode } from 'react';
import { cx } from './cx';

export interface CardProps extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  /** Optional heading rendered at the top of the card; also labels the region. */
  title?: ReactNode;
  /** Right-aligned content beside the title (a badge, a button). */
  aside?: ReactNode;
  /** One line under the title. */
  description?: ReactNode;
  headingLevel?: 2 | 3;
}

/** A bordered surface. With a title it becomes a labelled section. */
export function Card({ title, aside, description, headingLevel = 2, className, children, ...rest }: CardProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section
      className={cx(
        'rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-none',
        className,
      )}
      {...rest}
    >
      {title !== undefined && (
        <header className="mb-3 flex items-start justify-between gap-3">
          <div className="min-w-0">
            <Heading className="text-sm font-semibold text-zinc-900 dark:text-zinc-50">{title}</Heading>
            {description !== undefined && (
              <p className="mt-0.5 text-[13px] leading-snug text-zinc-600 dark:text-zinc-400">{description}</p>
            )}
          </div>
          {aside}
        </header>
      )}
      {children}
    </section>
  );
}
