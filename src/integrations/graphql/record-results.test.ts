import { describe, expect, it } from 'vitest';
import { inferRecordLayout, recordResults } from './record-results';
import type { GraphQLAttempt } from './types';

function attempt(data: GraphQLAttempt['data'], errors: GraphQLAttempt['errors'] = [], status = 200): GraphQLAttempt {
  return { status, ok: status < 300, headers: {}, data, errors, durationMs: 1 };
}

describe('inferRecordLayout', () => {
  it('recognises aliases, list fields and single records', () => {
    expect(inferRecordLayout('mutation { rec0: a { id } rec1: a { id } }', 2)).toEqual({ kind: 'aliases', prefix: 'rec' });
    expect(inferRecordLayout('mutation($i: [I!]!) { made: createMany(input: $i) { id } }', 5)).toEqual({ kind: 'list', field: 'made' });
    expect(inferRecordLayout('mutation { createRecord { id } }', 1)).toEqual({ kind: 'single', field: 'createRecord' });
    expect(inferRecordLayout('{ a b }', 1)).toEqual({ kind: 'single' });
  });

  it('refuses what it cannot map, and invalid GraphQL', () => {
    expect(() => inferRecordLayout('mutation { r0: a r2: a }', 2)).toThrow(expect.objectContaining({ code: 'GRAPHQL_RECORD_LAYOUT' }));
    expect(() => inferRecordLayout('mutation { a b c }', 2)).toThrow(expect.objectContaining({ code: 'GRAPHQL_RECORD_LAYOUT' }));
    expect(() => inferRecordLayout('mutation {', 1)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });
});

describe('recordResults', () => {
  it('fails every record for an error without a path, or on the batch field as a whole', () => {
    const noPath = recordResults(attempt({ r0: { id: 1 }, r1: { id: 2 } }, [{ message: 'rate limited' }]), 2, { kind: 'aliases', prefix: 'r' });
    expect(noPath.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['rate limited', 'rate limited']);
    const whole = recordResults(attempt({ list: null }, [{ message: 'boom', path: ['list'] }]), 2, { kind: 'list', field: 'list' });
    expect(whole.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['boom (at list)', 'boom (at list)']);
  });

  it('keeps several errors of one record together, with their paths', () => {
    const results = recordResults(
      attempt({ list: [{ id: 1 }, { id: 2, email: null, name: null }] }, [
        { message: 'bad email', path: ['list', 1, 'email'] },
        { message: 'bad name', path: ['list', 1, 'name'] },
      ]),
      2,
      { kind: 'list', field: 'list' },
    );
    expect(results[0]).toEqual({ index: 0, ok: true, data: { id: 1 } });
    expect(results[1]).toMatchObject({ ok: false, reason: 'bad email (at list.1.email); bad name (at list.1.name)', data: { id: 2, email: null, name: null } });
  });

  it('does not confuse alias r1 with r10, and accepts null data without errors', () => {
    const data = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`r${i}`, i === 10 ? null : { i }]));
    const results = recordResults(attempt(data, [{ message: 'x', path: ['r10'] }]), 11, { kind: 'aliases', prefix: 'r' });
    expect(results.filter((r) => !r.ok).map((r) => r.index)).toEqual([10]);
    expect(recordResults(attempt({ deleted: null }), 1, { kind: 'single', field: 'deleted' })).toEqual([{ index: 0, ok: true, data: null }]);
  });

  it('fails every record on a non-2xx, even without errors', () => {
    expect(recordResults(attempt(null, [], 502), 2, { kind: 'list', field: 'l' }).map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['HTTP 502', 'HTTP 502']);
  });
});
