/**
 * One audit entry per request a job makes: method, host, path (no query), status, duration, attempt
 * and outcome label. The target was built from the rendered URL with credentials scrubbed, and the
 * audit log drops query strings itself. Entries are collected while the job runs and committed with
 * its settlement (settle-writer.ts), so the trail and the queue never disagree.
 */
import type { NewAuditEntry } from '../storage/audit';
import type { AuditTarget } from './render-delivery';

export interface AttemptRecord {
  attempt: number;
  status?: number;
  durationMs: number;
  outcome: string;
}

export function auditEntry(run: { runId: string; pipelineId: string }, target: AuditTarget, record: AttemptRecord, at: number): NewAuditEntry {
  return {
    runId: run.runId, pipelineId: run.pipelineId, at, method: target.method, host: target.host, path: target.path,
    ...(record.status !== undefined ? { status: record.status } : {}),
    durationMs: Math.max(0, Math.round(record.durationMs)), attempt: record.attempt, outcome: record.outcome,
  };
}
