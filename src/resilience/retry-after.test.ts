import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfter } from './retry-after';

const NOW = Date.UTC(1994, 10, 6, 8, 49, 0); // Sun, 06 Nov 1994 08:49:00 GMT
const MAX = 60_000;

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['1', 1000],
    ['  30 ', 30000],
    ['120', MAX], // clamped
    ['99999999999999999999', MAX],
  ])('seconds %j → %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW, MAX)).toBe(ms);
  });

  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', 37000], // IMF-fixdate
    ['Sunday, 06-Nov-94 08:49:37 GMT', 37000], // obsolete RFC 850
    ['Sun Nov  6 08:49:37 1994', 37000], // obsolete asctime
    ['sun, 06 nov 1994 08:49:10 gmt', 10000],
    ['Sun, 06 Nov 1994 08:48:00 GMT', 0], // in the past: now
    ['Sun, 06 Nov 1994 09:49:00 GMT', MAX], // clamped
  ])('HTTP-date %j → %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW, MAX)).toBe(ms);
  });

  it.each([null, undefined, '', 'soon', '-5', '1.5', '5s', '1e3', 'Sun, 06 Nov 1994 25:49:37 GMT', 'Sun, 06 Foo 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 PST', 'Sun, 06 Nov 1994 08:49:37 GMT, 5'])(
    'ignores %j',
    (value) => {
      expect(parseRetryAfter(value, NOW, MAX)).toBeUndefined();
    },
  );
});

describe('parseHttpDate', () => {
  it('reads the three forms to the same instant', () => {
    const instant = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(instant);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(instant);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(instant);
  });
});
