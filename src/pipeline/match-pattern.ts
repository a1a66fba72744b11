/**
 * Whether a URL is covered by a browser match pattern (`https://*.example.com/*`, `<all_urls>`),
 * with the browser's rules: `*` as a scheme means http or https, `*.host` covers the host and its
 * subdomains, the path is a glob, and a pattern without a port covers every port. Used where Ferry
 * must decide what the browser would (which pipelines the popup offers for a page).
 */
export function matchesPattern(url: string, pattern: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const scheme = u.protocol.slice(0, -1);
  if (pattern === '<all_urls>') return ['http', 'https', 'ws', 'wss', 'ftp', 'file'].includes(scheme);
  const m = /^(\*|https?|wss?|ftp|file):\/\/([^/]*)(\/.*)$/.exec(pattern);
  if (!m) return false;
  const [, pScheme, pHost, pPath] = m as unknown as [string, string, string, string];
  if (pScheme === '*' ? scheme !== 'http' && scheme !== 'https' : pScheme !== scheme) return false;
  if (scheme !== 'file') {
    const [hostPart, port] = pHost.split(/:(?=\d+$)/) as [string, string | undefined];
    if (port !== undefined && (u.port || defaultPort(scheme)) !== port) return false;
    const host = u.hostname.toLowerCase();
    const want = hostPart.toLowerCase();
    if (want !== '*' && !(want.startsWith('*.') ? host === want.slice(2) || host.endsWith(want.slice(1)) : host === want)) return false;
  }
  const glob = new RegExp(`^${pPath.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return glob.test(u.pathname + u.search);
}

function defaultPort(scheme: string): string {
  return scheme === 'https' || scheme === 'wss' ? '443' : scheme === 'ftp' ? '21' : '80';
}

/** No patterns: offered everywhere. */
export function matchesAny(url: string, patterns: readonly string[] | undefined): boolean {
  return patterns === undefined || patterns.length === 0 || patterns.some((p) => matchesPattern(url, p));
}
