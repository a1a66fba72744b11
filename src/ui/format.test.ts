import { describe, expect, it } from 'vitest';
import { formatNodeVersion, formatRoundTrip, MISSING } from './format';

describe('formatRoundTrip', () => {
  it('keeps one decimal under 10 ms and rounds above', () => {
    expect(formatRoundTrip(0.61)).toBe('0.6 ms');
    expect(formatRoundTrip(3)).toBe('3.0 ms');
    expect(formatRoundTrip(42.4)).toBe('42 ms');
  });
  it('shows a dash for missing or nonsense values', () => {
    expect(formatRoundTrip(undefined)).toBe(MISSING);
    expect(formatRoundTrip(Number.NaN)).toBe(MISSING);
    expect(formatRoundTrip(-1)).toBe(MISSING);
  });
});

describe('formatNodeVersion', () => {
  it('adds the v Node itself prints', () => {
    expect(formatNodeVersion('20.20.2')).toBe('v20.20.2');
    expect(formatNodeVersion('v20.20.2')).toBe('v20.20.2');
    expect(formatNodeVersion(undefined)).toBe(MISSING);
  });
});
