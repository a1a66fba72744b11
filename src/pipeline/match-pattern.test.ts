import { describe, expect, it } from 'vitest';
import { matchesAny, matchesPattern } from './match-pattern';

describe('match patterns, as the browser reads them', () => {
  it.each([
    ['https://shop.example.com/p/1', 'https://*.example.com/*', true],
    ['https://example.com/', 'https://*.example.com/*', true],
    ['https://evil-example.com/', 'https://*.example.com/*', false],
    ['http://shop.example.com/p', 'https://*.example.com/*', false],
    ['http://shop.example.com/p', '*://shop.example.com/*', true],
    ['ftp://shop.example.com/p', '*://shop.example.com/*', false],
    ['http://127.0.0.1:4173/catalog', 'http://127.0.0.1/*', true],
    ['http://127.0.0.1:4173/catalog', 'http://127.0.0.1:8080/*', false],
    ['http://127.0.0.1:8080/catalog', 'http://127.0.0.1:8080/*', true],
    ['https://a.example/orders?id=3', 'https://a.example/orders*', true],
    ['https://a.example/other', 'https://a.example/orders*', false],
    ['file:///home/u/page.html', 'file:///home/*', true],
    ['chrome://settings/', '<all_urls>', false],
    ['https://x.example/', '<all_urls>', true],
    ['not a url', '<all_urls>', false],
  ])('%s against %s: %s', (url, pattern, expected) => {
    expect(matchesPattern(url, pattern)).toBe(expected);
  });

  it('offers a pipeline without patterns everywhere', () => {
    expect(matchesAny('https://x.example/', undefined)).toBe(true);
    expect(matchesAny('https://x.example/', [])).toBe(true);
    expect(matchesAny('https://x.example/', ['https://y.example/*'])).toBe(false);
  });
});
