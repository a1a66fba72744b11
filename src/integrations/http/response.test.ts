import { describe, expect, it } from 'vitest';
import { typeFromContentType } from './response';

describe('typeFromContentType', () => {
  it.each([
    ['application/json; charset=utf-8', 'json'],
    ['application/problem+json', 'json'],
    ['application/vnd.api+json', 'json'],
    ['text/html', 'text'],
    ['application/xml', 'text'],
    ['image/svg+xml', 'text'],
    [null, 'text'],
    ['application/octet-stream', 'binary'],
    ['image/png', 'binary'],
    ['application/pdf', 'binary'],
  ])('%s → %s', (contentType, type) => {
    expect(typeFromContentType(contentType)).toBe(type);
  });
});
