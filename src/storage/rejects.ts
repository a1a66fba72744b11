import type { FerryDB } from './db';
import { addRunCounts } from './run-counts';
import type { RejectReason, RejectRow } from './rows';

export interface NewReject {
  record: unknown;
  reasons: RejectReason[];
}

/** Records that failed validation: never sent, kept with their reasons on the run's reject list. */
export class Rejects {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  /** Stores rejects and adds them to the run's `rejected` count in one transaction. */
  add(runId: string, rejects: readonly NewReject[]): Promise<void> {
    return this.db.transaction('rw', [this.db.rejects, this.db.runs], async () => {
      const now = this.now();
      await addRunCounts(this.db, runId, { rejected: rejects.length }, now);
      await this.db.rejects.bulkAdd(rejects.map((r) => ({ runId, record: r.record, reasons: r.reasons, createdAt: now })));
    });
  }

  /** In the order they were rejected. */
  listByRun(runId: string, limit = Infinity): Promise<RejectRow[]> {
    return this.db.rejects.where('runId').equals(runId).limit(limit).toArray();
  }
}
