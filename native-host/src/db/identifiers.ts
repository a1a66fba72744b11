/**
 * Table and column names are never bound, so they are validated and quoted instead: a name is
 * letters, digits, `_` and `$` starting with a letter or `_` (at most 128), optionally `schema.table`
 * for tables, and is always emitted in double quotes. Anything else is refused, not escaped: a name
 * with a quote or a space in it is almost always an injection attempt or a mapping mistake.
 */
import { dbError } from './db-error';

const NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,127}$/;

export function quoteColumn(name: string): string {
  if (!NAME.test(name)) {
    throw dbError(
      'DbInvalidIdentifier',
      `Column name ${JSON.stringify(name)} is not a valid identifier: use letters, digits and _ (starting with a letter or _), at most 128 characters; rename the field in the pipeline's mapping`,
      { identifier: name, kind: 'column' },
    );
  }
  return `"${name}"`;
}

/** Quotes `table` or `schema.table`. */
export function quoteTable(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => NAME.test(p))) {
    throw dbError(
      'DbInvalidIdentifier',
      `Table name ${JSON.stringify(name)} is not a valid identifier: use letters, digits and _ (starting with a letter or _), optionally schema.table`,
      { identifier: name, kind: 'table' },
    );
  }
  return parts.map((p) => `"${p}"`).join('.');
}
