import { describe, expect, it } from 'vitest';
import { subsetMismatch } from './match';

describe('expectedResponse as a subset of the body', () => {
  it('matches when every expected field is there with its value; extra fields are fine', () => {
    expect(subsetMismatch({ status: 'valid' }, { status: 'valid', plan: 'pro', limits: { rpm: 60 } })).toBeUndefined();
    expect(subsetMismatch({ account: { active: true } }, { account: { active: true, id: 7 } })).toBeUndefined();
    expect(subsetMismatch({ scopes: ['read', 'write'] }, { scopes: ['read', 'write'] })).toBeUndefined();
  });

  it('names the first path that differs', () => {
    expect(subsetMismatch({ status: 'valid' }, { status: 'revoked' })).toEqual({ path: 'status', expected: 'valid', actual: 'revoked' });
    expect(subsetMismatch({ account: { active: true } }, { account: {} })).toEqual({ path: 'account.active', expected: true, actual: undefined });
    expect(subsetMismatch({ status: 'valid' }, ['valid'])).toMatchObject({ path: '(body)' });
    expect(subsetMismatch({ scopes: ['read'] }, { scopes: ['read', 'write'] })).toMatchObject({ path: 'scopes' });
    expect(subsetMismatch({ n: 1 }, { n: '1' })).toMatchObject({ path: 'n' });
  });
});
