/**
 * A URL fit for messages, logs and audit entries: scheme, host and path only. Query strings carry
 * API keys and tokens often enough (`?api_key=`, signed URLs) that they never leave this function,
 * nor does userinfo (`https://user:pass@host`) or the fragment.
 */
export function redact(url: string | URL): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    // An unparseable URL might still contain a secret; say nothing about it.
    return '[invalid url]';
  }
}
