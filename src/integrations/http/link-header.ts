/**
 * The target of a Link header's rel="next" (RFC 8288), as GitHub, GitLab and many REST APIs send:
 * `<https://api/x?page=2>; rel="next", <https://api/x?page=9>; rel="last"`. URLs may contain commas
 * and parameters may be quoted, so this reads the header rather than splitting it on commas.
 */
export function nextFromLinkHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const link of parseLinks(header)) {
    if (link.rels.includes('next')) return link.target;
  }
  return undefined;
}

interface Link {
  target: string;
  rels: string[];
}

function parseLinks(header: string): Link[] {
  const links: Link[] = [];
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf('<', i);
    if (open < 0) break;
    const close = header.indexOf('>', open);
    if (close < 0) break;
    const target = header.slice(open + 1, close).trim();
    // Parameters run until a comma that is not inside a quoted string.
    let j = close + 1;
    let quoted = false;
    for (; j < header.length; j++) {
      const c = header[j];
      if (c === '"' && header[j - 1] !== '\\') quoted = !quoted;
      else if (c === ',' && !quoted) break;
    }
    links.push({ target, rels: relsOf(header.slice(close + 1, j)) });
    i = j + 1;
  }
  return links;
}

/** `; rel="next prev"; title="x"` → ['next', 'prev'] (rel values are case-insensitive). */
function relsOf(params: string): string[] {
  const match = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
  const value = match?.[1] ?? match?.[2] ?? '';
  return value.toLowerCase().split(/\s+/).filter(Boolean);
}
