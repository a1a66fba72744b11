/**
 * Paths into data written in configuration, without braces: `id`, `data.items[0].name`,
 * `meta["next cursor"]`. Used where a block names a field of a record or a response (extractFields,
 * validation fields, pagination cursors). Same syntax as a template path, but every name is a plain
 * field: `timestamp` here is a field called timestamp, not the clock.
 */
import type { PathSegment } from './template/ast';

const NAME = /[A-Za-z_$][\w$-]*/y;
const INDEX = /-?\d+/y;

/** The path's segments, or `undefined` when the text is not a path. */
export function parseDataPath(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let pos = 0;
  const name = (): boolean => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) return false;
    out.push(m[0]);
    pos += m[0].length;
    return true;
  };
  const index = (): boolean => {
    INDEX.lastIndex = pos;
    const m = INDEX.exec(text);
    if (!m) return false;
    out.push(Number(m[0]));
    pos += m[0].length;
    return true;
  };
  if (!name()) return undefined;
  while (pos < text.length) {
    const ch = text[pos++];
    if (ch === '.') {
      if (!name() && !index()) return undefined;
    } else if (ch === '[') {
      if (text[pos] === '"') {
        const end = text.indexOf('"]', pos + 1);
        if (end < 0) return undefined;
        try {
          out.push(JSON.parse(text.slice(pos, end + 1)) as string);
        } catch {
          return undefined;
        }
        pos = end + 1;
      } else if (!index()) return undefined;
      if (text[pos++] !== ']') return undefined;
    } else return undefined;
  }
  return out;
}

/** The value at `path` (own properties only; negative indexes count from the end), or `undefined`. */
export function getAtPath(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof seg === 'number' && Array.isArray(v)) v = v[seg < 0 ? v.length + seg : seg];
    else if (v !== null && typeof v === 'object' && Object.hasOwn(v, String(seg))) v = (v as Record<string, unknown>)[String(seg)];
    else return undefined;
  }
  return v;
}

/** The name a path's value goes by once extracted: its last field name (`data.items[0].id` → `id`). */
export function lastFieldName(path: readonly PathSegment[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') return seg;
  }
  return String(path[path.length - 1] ?? '');
}
