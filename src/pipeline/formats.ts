/**
 * The value formats of `validation.formats`. Pragmatic rather than exhaustive: each accepts what an
 * API on the other side would accept and rejects what extraction typically gets wrong (blank text,
 * "N/A" in a number field, a relative link in a url field).
 */
import type { ValueFormat } from './schema/data-transformation';

// The HTML standard's email rule (what <input type=email> accepts), plus at least one dot in the
// domain: records go to services on the internet, where "user@localhost" is an extraction mistake.
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;
const INTEGER = /^\s*[-+]?\d+\s*$/;
// RFC 3339: a full date, "T" (or a space), a time with seconds, and a zone.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const FORMAT_NAMES: Record<ValueFormat, string> = {
  email: 'an email address',
  url: 'an absolute http or https URL',
  'date-time': 'a date and time such as 2025-01-15T10:30:00Z',
  date: 'a date such as 2025-01-15',
  number: 'a number',
  integer: 'a whole number',
  uuid: 'a UUID',
};

export function matchesFormat(format: ValueFormat, value: unknown): boolean {
  switch (format) {
    case 'number':
      return typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && NUMBER.test(value);
    case 'integer':
      return typeof value === 'number' ? Number.isSafeInteger(value) : typeof value === 'string' && INTEGER.test(value);
    default:
      return typeof value === 'string' && TEXT_FORMATS[format](value);
  }
}

const TEXT_FORMATS: Record<Exclude<ValueFormat, 'number' | 'integer'>, (v: string) => boolean> = {
  email: (v) => v.length <= 254 && EMAIL.test(v),
  url: isHttpUrl,
  'date-time': (v) => {
    const m = DATE_TIME.exec(v);
    return m !== null && isDate(m[1]!, m[2]!, m[3]!) && Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 60 && Number(m[7] ?? 0) <= 23 && Number(m[8] ?? 0) <= 59;
  },
  date: (v) => {
    const m = DATE.exec(v);
    return m !== null && isDate(m[1]!, m[2]!, m[3]!);
  },
  uuid: (v) => UUID.test(v),
};

function isHttpUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A real calendar day: not February 30th. */
export function isDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A number from a number or numeric text, for min/max on fields declared as numbers. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'string' && NUMBER.test(value) ? Number(value) : undefined;
}
