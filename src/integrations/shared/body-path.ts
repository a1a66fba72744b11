/**
 * Reads a value from a parsed response body by a dotted path such as `links.next`,
 * `data.items[0].id` or `data.items.0.id`. An empty path is the body itself. No eval: MV3 forbids it,
 * and a path is data, not code.
 */
export function getPath(value: unknown, path: string | undefined): unknown {
  if (path === undefined || path === '') return value;
  let current = value;
  for (const key of splitPath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `a.b[2].c` → ['a', 'b', '2', 'c']. */
export function splitPath(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((part) => part !== '');
}
