import { describe, expect, it } from 'vitest';
import { getAtPath, lastFieldName, parseDataPath } from './data-path';

describe('data paths', () => {
  it('parse names, indexes and quoted keys', () => {
    expect(parseDataPath('id')).toEqual(['id']);
    expect(parseDataPath('data.items[0].name')).toEqual(['data', 'items', 0, 'name']);
    expect(parseDataPath('items.2')).toEqual(['items', 2]);
    expect(parseDataPath('meta["next cursor"]')).toEqual(['meta', 'next cursor']);
    expect(parseDataPath('timestamp')).toEqual(['timestamp']);
  });

  it('refuse what is not a path', () => {
    for (const p of ['', '.a', 'a.', 'a[', 'a[x]', 'a b', '{{a}}', 'a["x]']) expect(parseDataPath(p), p).toBeUndefined();
  });

  it('read own properties only, with negative indexes from the end', () => {
    const v = { a: [{ b: 1 }, { b: 2 }] };
    expect(getAtPath(v, ['a', -1, 'b'])).toBe(2);
    expect(getAtPath(v, ['a', 5])).toBeUndefined();
    expect(getAtPath(v, ['constructor'])).toBeUndefined();
    expect(getAtPath(null, ['a'])).toBeUndefined();
    expect(getAtPath(v, [])).toBe(v);
  });

  it('name an extracted value by its last field', () => {
    expect(lastFieldName(['data', 'record', 'id'])).toBe('id');
    expect(lastFieldName(['items', 0])).toBe('items');
  });
});
