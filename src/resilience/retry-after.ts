/**
 * `Retry-After` (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 *
 * Returns the wait in milliseconds, clamped to [0, maxMs], or undefined when the value is absent or not
 * one of the two forms (a server's garbage must not stall a run). A date in the past means "now" (0).
 * `now` is the reference for the date form: pass the response's own `Date` header when there is one,
 * so a skewed local clock does not stretch or shrink the wait.
 */
export function parseRetryAfter(value: string | null | undefined, now: number, maxMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  let ms: number | undefined;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = parseHttpDate(text);
    if (at !== undefined) ms = at - now;
  }
  if (ms === undefined || Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(0, ms), maxMs);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// The three forms RFC 9110 §5.6.7 requires recipients to accept. Date.parse is not used: it accepts
// almost anything ("1", "2024"), which would turn junk into a wait.
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/i;
const RFC850_DATE = /^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/i;
const ASCTIME_DATE = /^[a-z]{3} ([a-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

/** Milliseconds since the epoch for an HTTP-date, or undefined when `text` is not one. */
export function parseHttpDate(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const value = text.trim();
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(m[3], m[2], m[1], m[4], m[5], m[6]);
  m = RFC850_DATE.exec(value);
  if (m) {
    // Two-digit years: RFC 9110 says a year that looks more than 50 years ahead is in the past century.
    const yy = Number(m[3]);
    const thisYear = new Date().getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + yy;
    if (year > thisYear + 50) year -= 100;
    return utc(String(year), m[2], m[1], m[4], m[5], m[6]);
  }
  m = ASCTIME_DATE.exec(value);
  if (m) return utc(m[6], m[1], m[2], m[3], m[4], m[5]);
  return undefined;
}

function utc(year: string | undefined, month: string | undefined, ...rest: (string | undefined)[]): number | undefined {
  const monthIndex = MONTHS.indexOf((month ?? '').toLowerCase());
  const [d = NaN, h = NaN, mi = NaN, s = NaN] = rest.map((part) => Number(part?.trim()));
  const y = Number(year);
  if (monthIndex < 0 || ![y, d, h, mi, s].every(Number.isInteger)) return undefined;
  if (d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  return Date.UTC(y, monthIndex, d, h, mi, s);
}
