import type { FerryDB } from './db';
import type { ResultRow } from './rows';

/** Result processing's `storage: { type: 'local' }`: values under their rendered (templated) keys. */
export class ResultStore {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  /** Replaces whatever the key held. */
  async put(key: string, value: unknown): Promise<ResultRow> {
    const row: ResultRow = { key, value, storedAt: this.now() };
    await this.db.results.put(row);
    return row;
  }

  /** Several at once; inside a caller's transaction (results in its scope), they commit with it. */
  async putAll(entries: readonly { key: string; value: unknown }[]): Promise<void> {
    if (entries.length === 0) return;
    const storedAt = this.now();
    await this.db.results.bulkPut(entries.map(({ key, value }): ResultRow => ({ key, value, storedAt })));
  }

  get(key: string): Promise<ResultRow | undefined> {
    return this.db.results.get(key);
  }

  /** Keys in order, optionally only those starting with `prefix` (e.g. `user_`). */
  list(prefix?: string, limit = Infinity): Promise<ResultRow[]> {
    const rows = prefix ? this.db.results.where('key').startsWith(prefix) : this.db.results.toCollection();
    return rows.limit(limit).toArray();
  }

  delete(key: string): Promise<void> {
    return this.db.results.delete(key);
  }
}
