/**
 * The form edits the pipeline document as a plain JSON value: these helpers read and replace one
 * field at a path without touching the rest, so whatever the form does not show survives it.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Segment = string | number;

export function getIn(doc: unknown, path: readonly Segment[]): unknown {
  let at: unknown = doc;
  for (const seg of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[seg as string];
  }
  return at;
}

/** A copy of `doc` with `value` at `path` (undefined removes the key); missing objects are created. */
export function setIn(doc: Json, path: readonly Segment[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(doc) && typeof head === 'number') {
    const copy = [...doc];
    copy[head] = setIn(copy[head] ?? {}, rest, value);
    return copy;
  }
  const object = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? { ...doc } : {};
  const key = String(head);
  if (rest.length === 0 && value === undefined) delete object[key];
  else object[key] = setIn(object[key] ?? {}, rest, value);
  return object;
}

/** The index of the last step (the delivery), or -1. */
export function deliveryIndex(doc: unknown): number {
  const steps = getIn(doc, ['steps']);
  return Array.isArray(steps) ? steps.length - 1 : -1;
}

/** Which block the delivery step holds: http, graphqlConfig, database, file (or undefined). */
export function deliveryBlock(doc: unknown): 'http' | 'graphqlConfig' | 'database' | 'file' | undefined {
  const step = getIn(doc, ['steps', deliveryIndex(doc)]);
  if (step === null || typeof step !== 'object') return undefined;
  for (const key of ['http', 'graphqlConfig', 'database', 'file'] as const) if (key in step) return key;
  return undefined;
}
