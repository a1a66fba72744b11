import { useEffect, useState } from 'react';

/** `#/runs/<runId>` → the run id; `#/runs` (or anything else) → undefined. */
export function runIdFromHash(hash: string): string | undefined {
  const match = /^#\/?runs\/([^/?#]+)/.exec(hash);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

export const runHref = (runId: string) => `#/runs/${encodeURIComponent(runId)}`;

/** The run the hash names, following back/forward and link clicks. */
export function useRunRoute(): string | undefined {
  const [runId, setRunId] = useState(() => runIdFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRunId(runIdFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return runId;
}
