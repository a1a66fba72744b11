import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { buildAuthorizationRequest, codeChallengeS256, codeFromRedirect, generateCodeVerifier } from './pkce';

const REDIRECT = 'https://kpgehfcbmnmkpndeefdgcjbnpjhdbdkj.chromiumapp.org/';
const config = { authUrl: 'https://auth.test/authorize?tenant=t1', tokenUrl: 'https://auth.test/token', clientId: 'x', scopes: ['read', 'write'], authParams: { prompt: 'consent' } };
const caught = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('PKCE and state', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character verifiers from the unreserved alphabet, fresh each time', () => {
    const verifiers = Array.from({ length: 50 }, generateCodeVerifier);
    for (const v of verifiers) expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(verifiers).size).toBe(50);
  });

  it('builds the authorization URL: code, client, redirect, scopes, state and S256 challenge; keeps the URL\'s own query', async () => {
    const request = await buildAuthorizationRequest(config, 'client-1', REDIRECT);
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe('https://auth.test/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 't1', prompt: 'consent', response_type: 'code', client_id: 'client-1', redirect_uri: REDIRECT, scope: 'read write',
      state: request.state, code_challenge: await codeChallengeS256(request.codeVerifier), code_challenge_method: 'S256',
    });
    expect(request.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await buildAuthorizationRequest(config, 'client-1', REDIRECT);
    expect(other.state).not.toBe(request.state);
    expect(other.codeVerifier).not.toBe(request.codeVerifier);
    expect(request.url).not.toContain(request.codeVerifier);
  });

  it('takes the code only from Ferry\'s redirect with the same state; a denial, an error or a stranger redirect is refused', () => {
    const request = { state: 'state-123', redirectUri: REDIRECT };
    expect(codeFromRedirect(`${REDIRECT}?code=abc&state=state-123`, request, 'svc')).toBe('abc');
    expect(codeFromRedirect(`${REDIRECT}#code=frag&state=state-123`, request, 'svc')).toBe('frag');
    expect(isFerryError(caught(() => codeFromRedirect(`${REDIRECT}?code=abc&state=other`, request, 'svc')), 'OAUTH_STATE_MISMATCH')).toBe(true);
    expect(isFerryError(caught(() => codeFromRedirect(`${REDIRECT}?code=abc`, request, 'svc')), 'OAUTH_STATE_MISMATCH')).toBe(true);
    expect(isFerryError(caught(() => codeFromRedirect(`${REDIRECT}?error=access_denied&state=state-123`, request, 'svc')), 'OAUTH_DENIED')).toBe(true);
    const failed = caught(() => codeFromRedirect(`${REDIRECT}?error=invalid_scope&error_description=no%20such%20scope&state=state-123`, request, 'svc'));
    expect(isFerryError(failed, 'OAUTH_AUTHORIZATION_FAILED')).toBe(true);
    expect((failed as Error).message).toContain('invalid_scope (no such scope)');
    expect(isFerryError(caught(() => codeFromRedirect('https://evil.test/?code=abc&state=state-123', request, 'svc')), 'OAUTH_REDIRECT_INVALID')).toBe(true);
    expect(isFerryError(caught(() => codeFromRedirect(`${REDIRECT}?state=state-123`, request, 'svc')), 'OAUTH_REDIRECT_INVALID')).toBe(true);
  });
});
