/** Reconnect delays: none after a clean start, then doubling per consecutive failure, capped. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 5_000 };

export function reconnectDelay(consecutiveFailures: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  if (consecutiveFailures <= 0) return 0;
  return Math.min(options.maxMs, options.initialMs * 2 ** (consecutiveFailures - 1));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
