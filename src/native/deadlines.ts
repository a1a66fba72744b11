/**
 * Call timeouts with one timer: each call records its deadline, and a single timer is armed for the
 * earliest one. Arming and clearing a timer per call costs more than the whole rest of a
 * `system.ping` in the worker; with this, a call's timeout is a map entry.
 */
export class Deadlines<K> {
  private readonly entries = new Map<K, { at: number; expire: () => void }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  get size(): number {
    return this.entries.size;
  }

  /** Calls `expire` once `ms` have passed, unless `remove(key)` came first. */
  add(key: K, ms: number, expire: () => void): void {
    const at = Date.now() + ms;
    this.entries.set(key, { at, expire });
    if (at < this.timerAt) this.arm(at);
  }

  /**
   * Forgets an entry. The timer stays armed even when nothing is left: clearing and re-arming it
   * around every sequential call is the cost this class exists to avoid; a spare firing is cheap.
   */
  remove(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.disarm();
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.fire, Math.max(0, at - Date.now()));
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    const expired: (() => void)[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.at <= now) {
        this.entries.delete(key);
        expired.push(entry.expire);
      } else if (entry.at < next) {
        next = entry.at;
      }
    }
    if (next < Infinity) this.arm(next);
    for (const expire of expired) expire();
  };
}
