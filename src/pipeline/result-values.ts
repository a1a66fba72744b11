/**
 * Value conversions for result processing. Dates are read strictly and always written as ISO 8601
 * UTC strings, so stored results sort and compare the same whatever the service sent.
 */
import { isDate, toNumber } from './formats';
import type { DATE_FORMATS } from './schema/result-processing';

export { toNumber };

// ISO 8601 date, or date-time with optional seconds, fraction and zone (basic "+0100" zones too).
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** The date as an ISO 8601 UTC string, or undefined when the value is not a date in that format. */
export function parseDate(value: unknown, format: (typeof DATE_FORMATS)[number]): string | undefined {
  if (format !== 'ISO8601') {
    const n = toNumber(value);
    if (n === undefined) return undefined;
    const date = new Date(format === 'epochSeconds' ? n * 1000 : n);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  if (typeof value !== 'string') return undefined;
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  if (!isDate(y!, mo!, d!) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  // A time without a zone is read as UTC: the result must not depend on the browser's time zone.
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
    if (Number(digits.slice(0, 2)) > 23 || Number(digits.slice(2) || 0) > 59) return undefined;
    time -= sign * offset * 60_000;
  }
  return new Date(time).toISOString();
}
