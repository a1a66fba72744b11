/**
 * The audit log as JSON Lines: one entry per line, oldest first, for all entries, one run's, or a
 * time range. Entries never hold a secret (see audit.ts), so the export holds none either.
 */
import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import type { AuditRow } from './rows';

export interface AuditExportFilter {
  runId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
}

export interface AuditExport {
  jsonl: string;
  count: number;
  /** A file name to save it under. */
  fileName: string;
}

/** At most this many entries per export; a longer log is exported by time range. */
export const MAX_EXPORT_ENTRIES = 200_000;

export async function exportAuditJsonl(db: FerryDB, filter: AuditExportFilter = {}, now = Date.now()): Promise<AuditExport> {
  const from = filter.from ?? 0;
  const to = filter.to ?? Infinity;
  if (from > to) throw new FerryError('AUDIT_EXPORT_INVALID', 'The export range starts after it ends.');
  let rows: AuditRow[];
  if (filter.runId !== undefined) {
    rows = (await db.audit.where('runId').equals(filter.runId).toArray()).filter((r) => r.at >= from && r.at < to);
  } else {
    rows = await db.audit.where('at').between(from, to, true, false).limit(MAX_EXPORT_ENTRIES + 1).toArray();
  }
  if (rows.length > MAX_EXPORT_ENTRIES) {
    throw new FerryError('AUDIT_EXPORT_TOO_LARGE', `The audit log holds more than ${MAX_EXPORT_ENTRIES} entries in that range: export a shorter time range.`);
  }
  rows.sort((a, b) => a.at - b.at || a.id - b.id);
  const jsonl = rows.map((row) => JSON.stringify(exportLine(row))).join('\n') + (rows.length ? '\n' : '');
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  return { jsonl, count: rows.length, fileName: `ferry-audit-${filter.runId ? `${filter.runId}-` : ''}${stamp}.jsonl` };
}

/** The line for one entry: its fields with the time also as ISO text, so the file reads without tools. */
function exportLine(row: AuditRow): Record<string, unknown> {
  return { time: new Date(row.at).toISOString(), ...row };
}
