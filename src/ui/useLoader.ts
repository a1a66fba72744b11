import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './background';

const IDLE_CHECK_MS = 1000;

export interface Loaded<T> {
  /** The latest answer; kept when a later refresh fails, so the screen does not go blank. */
  value?: T;
  /** Why the latest load failed, in the background's words. */
  error?: string;
  /** True until the first answer (or failure). */
  loading: boolean;
  /** Loads again now (after a change the user made). */
  reload(): Promise<void>;
}

/** Calls `reload` whenever `version` changes after the first render (the first load is the loader's own). */
export function useReloadOn(version: string, reload: () => Promise<void>): void {
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    void reload();
  }, [version, reload]);
}

/**
 * Loads `load()` when `key` changes, then again every `refreshMs(value)` milliseconds while the page
 * is visible (undefined: no refresh). Loads never overlap, and an answer for an old key is dropped.
 */
export function useLoader<T>(key: string, load: () => Promise<T>, refreshMs?: (value: T | undefined) => number | undefined): Loaded<T> {
  const [state, setState] = useState<{ key: string; value?: T; error?: string }>({ key });
  const loadRef = useRef(load);
  const refreshRef = useRef(refreshMs);
  loadRef.current = load;
  refreshRef.current = refreshMs;
  const current = useRef({ key, busy: false as Promise<void> | false, generation: 0 });
  current.current.key = key;

  const run = useCallback(async () => {
    const self = current.current;
    if (self.busy) return self.busy;
    const forKey = self.key;
    const generation = self.generation;
    const work = (async () => {
      try {
        const value = await loadRef.current();
        if (self.key === forKey && self.generation === generation) setState({ key: forKey, value });
      } catch (error) {
        if (self.key === forKey && self.generation === generation) setState((s) => ({ key: forKey, ...(s.key === forKey ? { value: s.value } : {}), error: errorMessage(error) }));
      }
    })();
    self.busy = work;
    try {
      await work;
    } finally {
      self.busy = false;
    }
  }, []);

  /** After a change: waits for a load in flight (it may predate the change), then loads afresh. */
  const reload = useCallback(async () => {
    const busy = current.current.busy;
    if (busy) await busy;
    await run();
  }, [run]);

  const valueRef = useRef<T | undefined>(undefined);
  valueRef.current = state.key === key ? state.value : undefined;

  useEffect(() => {
    const self = current.current;
    self.generation += 1;
    self.busy = false;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // While refreshMs says "no refresh", the loop only checks again each second: a change the user
    // makes (a replay reopens a finished run) turns refreshing back on at the next check.
    const tick = async (first: boolean) => {
      // The first load happens even in a hidden page (a popup can start hidden); refreshes wait for it to show.
      const due = first || (refreshRef.current?.(valueRef.current) !== undefined && document.visibilityState !== 'hidden');
      if (due) await run();
      if (stopped) return;
      const ms = refreshRef.current?.(valueRef.current);
      if (ms !== undefined || refreshRef.current) timer = setTimeout(() => void tick(false), ms ?? IDLE_CHECK_MS);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible' && refreshRef.current) void run();
    };
    void tick(true);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [key, run]);

  const mine = state.key === key;
  return {
    ...(mine && state.value !== undefined ? { value: state.value } : {}),
    ...(mine && state.error !== undefined ? { error: state.error } : {}),
    loading: !mine || (state.value === undefined && state.error === undefined),
    reload,
  };
}
