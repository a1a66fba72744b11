/**
 * One attempt's cancellation: the caller's signal plus a deadline of our own, combined so that
 * aborting either stops the fetch (and its body read), while `reason()` still tells which one fired.
 * A timeout and a caller's abort look the same to fetch (an AbortError), but they are different
 * outcomes for the retry layer: a TIMEOUT is retryable, an ABORTED run must stop.
 */
export interface AttemptSignal {
  readonly signal: AbortSignal;
  /** Starts (or restarts) the deadline: `ms` from now the attempt is aborted as a timeout. */
  startDeadline(ms: number): void;
  /** What ended the attempt early, if anything did; the caller's abort wins over a deadline. */
  reason(): 'aborted' | 'timeout' | undefined;
  /** Clears the timer; call when the attempt is over so no timer outlives it. */
  dispose(): void;
}

export function attemptSignal(external?: AbortSignal): AttemptSignal {
  const deadline = new AbortController();
  const signal = external ? AbortSignal.any([external, deadline.signal]) : deadline.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    signal,
    startDeadline(ms) {
      clearTimeout(timer);
      timer = setTimeout(() => deadline.abort(new DOMException('The attempt timed out', 'TimeoutError')), ms);
    },
    reason() {
      if (external?.aborted) return 'aborted';
      if (deadline.signal.aborted) return 'timeout';
      return undefined;
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
