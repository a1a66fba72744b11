import type { FerryDB } from './db';
import type { AuditRow } from './rows';

export type NewAuditEntry = Omit<AuditRow, 'id' | 'at'> & { at?: number };

/**
 * The per-request audit trail. Append-only: entries are never changed (the table refuses updates,
 * see db.ts) and leave only through the retention prune. Nothing that can carry a secret is kept:
 * the path loses its query string and fragment (API keys travel there), the host its user info.
 */
export class AuditLog {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  /** Returns the entry's id; ids increase in the order entries were appended. */
  append(entry: NewAuditEntry): Promise<number> {
    return this.db.audit.add(auditRow(entry, this.now()) as AuditRow);
  }

  /**
   * Appends several entries; inside a caller's transaction (audit in its scope) they commit with it,
   * as the run engine does to record a job's requests together with its settlement.
   */
  async appendAll(entries: readonly NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const now = this.now();
    await this.db.audit.bulkAdd(entries.map((entry) => auditRow(entry, now) as AuditRow));
  }

  /** The run's entries in the order they were appended. */
  listByRun(runId: string, limit = Infinity): Promise<AuditRow[]> {
    return this.db.audit.where('runId').equals(runId).limit(limit).toArray();
  }

  /** Deletes entries older than the retention period; returns how many went. */
  prune(retentionMs: number): Promise<number> {
    return this.db.audit.where('at').below(this.now() - retentionMs).delete();
  }
}

/** The row as stored: the path without query or fragment, the host without user info. */
export function auditRow(entry: NewAuditEntry, now: number): Omit<AuditRow, 'id'> {
  return { ...entry, at: entry.at ?? now, host: bareHost(entry.host), path: barePath(entry.path) };
}

function barePath(path: string): string {
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

function bareHost(host: string): string {
  return host.slice(host.lastIndexOf('@') + 1);
}
