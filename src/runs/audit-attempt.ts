/**
 * One audit entry per request a job makes: method, host, path (no query), status, duration, attempt
 * and outcome label, and what kind of call it was (http, graphql, database, file). The target was
 * built from the rendered URL with credentials scrubbed, and the audit log drops query strings
 * itself. The request body is kept only when the user turned "record payload bodies" on (scrubbed of
 * the job's credentials, at most 64 KiB). Entries are collected while the job runs and committed
 * with its settlement (settle-writer.ts), so the trail and the queue never disagree.
 */
import type { NewAuditEntry } from '../storage/audit';
import type { AuditOperation } from '../storage/rows';
import type { AuditTarget } from './render-delivery';

export interface AttemptRecord {
  attempt: number;
  status?: number;
  durationMs: number;
  outcome: string;
}

/** The most of a body an entry keeps. */
export const MAX_AUDIT_BODY_CHARS = 65_536;

export function auditEntry(run: { runId: string; pipelineId: string }, target: AuditTarget, record: AttemptRecord, at: number, recordBodies = false): NewAuditEntry {
  const body = recordBodies ? target.body?.() : undefined;
  return {
    runId: run.runId, pipelineId: run.pipelineId, at, operation: operationOf(target), method: target.method, host: target.host, path: target.path,
    ...(record.status !== undefined ? { status: record.status } : {}),
    durationMs: Math.max(0, Math.round(record.durationMs)), attempt: record.attempt, outcome: record.outcome,
    ...(body !== undefined ? { body: body.length > MAX_AUDIT_BODY_CHARS ? `${body.slice(0, MAX_AUDIT_BODY_CHARS)}…[truncated]` : body } : {}),
  };
}

function operationOf(target: AuditTarget): AuditOperation {
  if (target.operation) return target.operation;
  if (target.method.startsWith('db.')) return 'database';
  if (target.method.startsWith('fs.')) return 'file';
  return 'http';
}
