import { describe, expect, it } from 'vitest';
import { nextFromLinkHeader } from './link-header';

describe('nextFromLinkHeader', () => {
  it('finds rel="next" among several links, quoted or not', () => {
    expect(nextFromLinkHeader('<https://api.test/x?page=1>; rel="first", <https://api.test/x?page=2>; rel="next"')).toBe('https://api.test/x?page=2');
    expect(nextFromLinkHeader('</x?page=3>; rel=next')).toBe('/x?page=3');
  });

  it('copes with commas in URLs and quoted parameters, and multi-valued rel', () => {
    expect(nextFromLinkHeader('<https://api.test/x?ids=1,2>; title="a, b"; rel="prev", <https://api.test/x?ids=3,4>; rel="Next last"')).toBe('https://api.test/x?ids=3,4');
  });

  it('is undefined without a next link', () => {
    expect(nextFromLinkHeader('<https://api.test/x?page=1>; rel="first"')).toBeUndefined();
    expect(nextFromLinkHeader('')).toBeUndefined();
    expect(nextFromLinkHeader(undefined)).toBeUndefined();
  });
});
