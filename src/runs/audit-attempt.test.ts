import { describe, expect, it } from 'vitest';
import { auditEntry, MAX_AUDIT_BODY_CHARS } from './audit-attempt';

const run = { runId: 'r1', pipelineId: 'p1' };
const record = { attempt: 2, status: 201, durationMs: 12.6, outcome: 'success' };

describe('audit entries of a job\'s attempts', () => {
  it('say what kind of call each was: http, graphql, database or file', () => {
    const op = (target: Parameters<typeof auditEntry>[1]) => auditEntry(run, target, record, 5).operation;
    expect(op({ method: 'POST', host: 'api.test', path: '/v1' })).toBe('http');
    expect(op({ method: 'POST', host: 'api.test', path: '/graphql', operation: 'graphql' })).toBe('graphql');
    expect(op({ method: 'db.insert', host: 'sqlite:default', path: 'items' })).toBe('database');
    expect(op({ method: 'db.batchInsert', host: 'postgresql:127.0.0.1:5432/test', path: 'bulk' })).toBe('database');
    expect(op({ method: 'fs.write', host: 'files', path: 'out/{{date}}.csv' })).toBe('file');
  });

  it('keep the body only when asked, cut at 64 KiB', () => {
    const target = { method: 'POST', host: 'api.test', path: '/v1', body: () => '{"a":1}' };
    expect(auditEntry(run, target, record, 5)).toEqual({ ...run, at: 5, operation: 'http', method: 'POST', host: 'api.test', path: '/v1', status: 201, durationMs: 13, attempt: 2, outcome: 'success' });
    expect(auditEntry(run, target, record, 5, true).body).toBe('{"a":1}');
    const long = auditEntry(run, { ...target, body: () => 'x'.repeat(MAX_AUDIT_BODY_CHARS + 10) }, record, 5, true).body!;
    expect(long).toHaveLength(MAX_AUDIT_BODY_CHARS + '…[truncated]'.length);
    expect(auditEntry(run, { method: 'db.insert', host: 'sqlite:default', path: 't' }, record, 5, true)).not.toHaveProperty('body');
  });
});
