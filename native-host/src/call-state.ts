/**
 * Cancellation state of one running call. The AbortController is created only when someone needs
 * it (a handler reads `signal`, an async result must be raced, or a cancel arrives): most calls
 * answer synchronously and never pay for one, which matters on the `system.ping` hot path.
 */
export class CallState {
  private controller: AbortController | undefined;

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller?.signal.aborted ?? false;
  }

  abort(reason: unknown): void {
    this.controller ??= new AbortController();
    this.controller.abort(reason);
  }
}
