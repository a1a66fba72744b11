import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, utf8ToBase64 } from './base64';
import { getPath } from './body-path';
import { redact } from './redact';

describe('redact', () => {
  it('keeps scheme, host and path; drops query, fragment and userinfo', () => {
    expect(redact('https://u:p@api.example.com:8443/v1/data?api_key=s3cret#frag')).toBe('https://api.example.com:8443/v1/data');
    expect(redact(new URL('http://127.0.0.1/x?y=1'))).toBe('http://127.0.0.1/x');
    expect(redact('not a url?key=s3cret')).toBe('[invalid url]');
  });
});

describe('base64', () => {
  it('round-trips every byte value and large buffers without Buffer', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 256);
    const encoded = bytesToBase64(bytes);
    expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64ToBytes(encoded)).toEqual(bytes);
  });

  it('accepts URL-safe and unpadded base64, and encodes UTF-8 text', () => {
    expect(base64ToBytes('-_8')).toEqual(new Uint8Array([251, 255]));
    expect(utf8ToBase64('zoë:π')).toBe(Buffer.from('zoë:π').toString('base64'));
    expect(() => base64ToBytes('***')).toThrow();
  });
});

describe('getPath', () => {
  const body = { links: { next: '/p2' }, data: { items: [{ id: 1 }, { id: 2 }] }, flag: false };
  it('reads dotted paths, bracket and dotted indexes, and the whole body for an empty path', () => {
    expect(getPath(body, 'links.next')).toBe('/p2');
    expect(getPath(body, 'data.items[1].id')).toBe(2);
    expect(getPath(body, 'data.items.0.id')).toBe(1);
    expect(getPath(body, 'flag')).toBe(false);
    expect(getPath(body, '')).toBe(body);
    expect(getPath(body, undefined)).toBe(body);
  });

  it('is undefined for missing paths and paths through scalars', () => {
    expect(getPath(body, 'links.prev')).toBeUndefined();
    expect(getPath(body, 'flag.x')).toBeUndefined();
    expect(getPath(null, 'a')).toBeUndefined();
  });
});
