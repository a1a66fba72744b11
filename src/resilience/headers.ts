/**
 * Response or request headers as the integrations have them: a fetch `Headers` (ky's responses) or a
 * plain record (tests, node:http, stored requests). Plain records are matched case-insensitively,
 * as HTTP header names are.
 */
export type HeadersLike = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The header's value (several values joined with ", ", as fetch does), or null. */
export function getHeader(headers: HeadersLike | undefined, name: string): string | null {
  if (!headers) return null;
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name);
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(', ');
  }
  return null;
}
