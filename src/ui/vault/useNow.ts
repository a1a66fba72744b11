import { useCallback, useEffect, useState } from 'react';

/**
 * The current time for a render, ticking every `everyMs` while `active` (a countdown, an expiry);
 * `refresh` sets it at once (from an event handler, when a new deadline arrives).
 */
export function useNow(active: boolean, everyMs = 1000): [now: number, refresh: () => void] {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
  return [now, useCallback(() => setNow(Date.now()), [])];
}
