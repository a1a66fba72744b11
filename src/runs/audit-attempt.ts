/**
 * One audit entry per request a job makes: method, host, path (no query), status, duration, attempt
 * and outcome label. The target was built from the rendered URL with credentials scrubbed, and the
 * audit log drops query strings itself. An audit write that fails is reported, never allowed to fail
 * a delivery that already happened.
 */
import type { AuditTarget } from './render-delivery';
import type { RunDeps } from './types';

export interface AttemptRecord {
  attempt: number;
  status?: number;
  durationMs: number;
  outcome: string;
}

export async function auditAttempt(deps: RunDeps, run: { runId: string; pipelineId: string }, target: AuditTarget, record: AttemptRecord): Promise<void> {
  try {
    await deps.repos.audit.append({
      runId: run.runId, pipelineId: run.pipelineId, method: target.method, host: target.host, path: target.path,
      ...(record.status !== undefined ? { status: record.status } : {}),
      durationMs: Math.max(0, Math.round(record.durationMs)), attempt: record.attempt, outcome: record.outcome,
    });
  } catch (error) {
    deps.onError?.(error);
  }
}
