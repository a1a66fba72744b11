/**
 * `expectedResponse` is a subset of the body: every field it names must be in the body with the
 * same value (objects recursively; arrays and scalars compared whole). Extra fields are fine.
 * Returns the first differing path, or undefined when the body matches.
 */
export function subsetMismatch(expected: unknown, actual: unknown, path = ''): { path: string; expected: unknown; actual: unknown } | undefined {
  if (isObject(expected)) {
    if (!isObject(actual)) return { path: path || '(body)', expected, actual };
    for (const [key, value] of Object.entries(expected)) {
      const miss = subsetMismatch(value, actual[key], path ? `${path}.${key}` : key);
      if (miss) return miss;
    }
    return undefined;
  }
  return deepEqual(expected, actual) ? undefined : { path: path || '(body)', expected, actual };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
