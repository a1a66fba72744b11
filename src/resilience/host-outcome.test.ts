import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError } from '../protocol/errors';
import { classifyHostError, hostOutcomeLabel } from './host-outcome';
import { classifyError } from './outcome';

describe('host call outcomes', () => {
  it("label each host error by its own name and keep the host's message", () => {
    expect(hostOutcomeLabel('DbUniqueViolation')).toBe('db_unique_violation');
    expect(hostOutcomeLabel('PathOutsideRoots')).toBe('path_outside_roots');
    const outcome = classifyHostError(new RpcError(ErrorCode.DbTableNotFound, 'no such table: items'), ['NETWORK_ERROR', 'TIMEOUT']);
    expect(outcome).toEqual({ kind: 'failure', label: 'db_table_not_found', code: 'DbTableNotFound', message: 'no such table: items', retryable: false });
  });

  it('retry only what says nothing about the request, as the policy names allow', () => {
    const retryable = (code: number, names = ['NETWORK_ERROR', 'TIMEOUT'] as const) => classifyHostError(new RpcError(code, 'x'), names).retryable;
    expect([ErrorCode.HostDisconnected, ErrorCode.HostNotInstalled, ErrorCode.DbConnectionUnavailable, ErrorCode.DbPoolExhausted, ErrorCode.CallTimeout].map((c) => retryable(c))).toEqual([true, true, true, true, true]);
    expect([ErrorCode.DbUniqueViolation, ErrorCode.InvalidParams, ErrorCode.PathOutsideRoots, ErrorCode.InternalError].map((c) => retryable(c))).toEqual([false, false, false, false]);
    expect(retryable(ErrorCode.CallTimeout, ['NETWORK_ERROR'] as never)).toBe(false);
    expect(retryable(ErrorCode.DbPoolExhausted, ['TIMEOUT'] as never)).toBe(false);
  });

  it('are what classifyError answers for an RpcError, unless the caller aborted', () => {
    const policy = { errorLabels: {}, retryAfterCeilingMs: 60_000 };
    expect(classifyError(new RpcError(ErrorCode.DbPoolExhausted, 'busy'), policy)).toMatchObject({ label: 'db_pool_exhausted', retryable: true });
    const controller = new AbortController();
    controller.abort();
    expect(classifyError(new RpcError(ErrorCode.RequestCancelled, 'cancelled'), policy, controller.signal)).toMatchObject({ label: 'aborted' });
  });

  it('marks the failures where the call provably never ran, so even a non-idempotent one may be sent again', async () => {
    const { nextRetry } = await import('./next-retry');
    const { resolveRetryPolicy } = await import('./policy');
    const names = ['NETWORK_ERROR', 'TIMEOUT'] as const;
    const refused = classifyHostError(new RpcError(ErrorCode.DbConnectionUnavailable, 'Cannot reach PostgreSQL', { sqlstate: 'ECONNREFUSED', connectionLost: true }), names);
    const lost = classifyHostError(new RpcError(ErrorCode.DbConnectionUnavailable, 'The connection was lost', { sqlstate: 'ECONNRESET', connectionLost: true }), names);
    const gone = classifyHostError(new RpcError(ErrorCode.HostDisconnected, 'Native host has exited.'), names);
    const busy = classifyHostError(new RpcError(ErrorCode.DbPoolExhausted, 'busy'), names);
    expect([refused.notSent, lost.notSent, gone.notSent, busy.notSent]).toEqual([true, undefined, undefined, true]);
    const policy = resolveRetryPolicy({});
    const request = { method: 'db.execute', idempotent: false };
    expect(nextRetry({ policy, outcome: refused, attempt: 1, request, now: 0 })).toMatchObject({ retry: true });
    expect(nextRetry({ policy, outcome: lost, attempt: 1, request, now: 0 })).toEqual({ retry: false, reason: 'not_idempotent' });
  });
});
