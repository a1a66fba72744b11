import { useCallback, useEffect, useRef, useState } from 'react';
import type { HostStatus } from '../messaging/contract';
import { backgroundHostClient, type HostClient } from './hostClient';
import { describeFailure, type Problem } from './hostStatusText';

export const HOST_STATUS_REFRESH_MS = 3000;

export interface HostStatusView {
  /** The latest status; kept when a later refresh fails so the page doesn't go blank. */
  status?: HostStatus;
  /** Why the latest call to the background failed, if it did. */
  failure?: Problem;
  /** True until the first answer (or failure) arrives. */
  loading: boolean;
  reconnecting: boolean;
  reconnect(): Promise<void>;
}

/**
 * Polls `host.status` while the page is visible and exposes `reconnect`. Polls never overlap, and a
 * slow poll that finishes after a reconnect cannot overwrite the reconnect's newer answer.
 */
export function useHostStatus(client: HostClient = backgroundHostClient, refreshMs = HOST_STATUS_REFRESH_MS): HostStatusView {
  const [status, setStatus] = useState<HostStatus>();
  const [failure, setFailure] = useState<Problem>();
  const [reconnecting, setReconnecting] = useState(false);
  const issued = useRef(0);
  const applied = useRef(0);
  const busy = useRef(false);

  const run = useCallback(async (call: () => Promise<HostStatus>) => {
    const seq = ++issued.current;
    try {
      const next = await call();
      if (seq < applied.current) return;
      applied.current = seq;
      setStatus(next);
      setFailure(undefined);
    } catch (error) {
      if (seq < applied.current) return;
      applied.current = seq;
      setFailure(describeFailure(error));
    }
  }, []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (!busy.current && document.visibilityState !== 'hidden') await run(() => client.status());
      if (!stopped) timer = setTimeout(tick, refreshMs);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible' && !busy.current) void run(() => client.status());
    };
    void tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [client, refreshMs, run]);

  const reconnect = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    setReconnecting(true);
    try {
      await run(() => client.reconnect());
    } finally {
      busy.current = false;
      setReconnecting(false);
    }
  }, [client, run]);

  return { status, failure, loading: !status && !failure, reconnecting, reconnect };
}
