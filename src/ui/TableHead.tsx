import { cx } from './cx';
import { numClass, thClass } from './table';

/** A column: its label, or the label with how it sits (numbers right-aligned, a label only screen readers read). */
export type Column = string | { label: string; numeric?: boolean; right?: boolean; srOnly?: boolean; className?: string };

/** The header row of one of Ferry's data tables (table.ts), from its columns. */
export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const c = typeof column === 'string' ? { label: column } : column;
          return (
            <th key={c.label} scope="col" className={cx(thClass, c.numeric && numClass, c.right && 'text-right', c.className)}>
              {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
