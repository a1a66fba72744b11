/**
 * The authorization request of RFC 6749 §4.1 with PKCE (RFC 7636, S256) and `state`, and the check of
 * the redirect that ends it. Each flow gets a fresh 256-bit state and code verifier.
 */
import { FerryError } from '../errors/ferry-error';
import type { OAuthConfig } from './oauth-config';

export interface AuthorizationRequest {
  url: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

/** base64url without padding (RFC 4648 §5), as PKCE and state use. */
export function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function randomToken(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A 43-character verifier from 32 random bytes (RFC 7636 §4.1 recommends exactly this). */
export function generateCodeVerifier(): string {
  return randomToken(32);
}

/** BASE64URL(SHA256(ASCII(code_verifier))). */
export async function codeChallengeS256(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

export async function buildAuthorizationRequest(config: OAuthConfig, clientId: string, redirectUri: string): Promise<AuthorizationRequest> {
  const state = randomToken(32);
  const codeVerifier = generateCodeVerifier();
  const url = new URL(config.authUrl);
  for (const [name, value] of Object.entries(config.authParams ?? {})) url.searchParams.set(name, value);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  if (config.scopes.length > 0) url.searchParams.set('scope', config.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await codeChallengeS256(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url: url.href, state, codeVerifier, redirectUri };
}

/**
 * The code from the URL the flow ended on. Refuses a redirect elsewhere, a missing or different
 * `state` (a forged or replayed redirect), and an error the server sent back (the user said no).
 */
export function codeFromRedirect(responseUrl: string, request: Pick<AuthorizationRequest, 'state' | 'redirectUri'>, connection: string): string {
  let url: URL;
  try {
    url = new URL(responseUrl);
  } catch {
    throw new FerryError('OAUTH_REDIRECT_INVALID', `The sign-in for "${connection}" ended on an address Ferry cannot read.`, { connection });
  }
  const expected = new URL(request.redirectUri);
  if (url.origin !== expected.origin || !url.pathname.startsWith(expected.pathname)) {
    throw new FerryError('OAUTH_REDIRECT_INVALID', `The sign-in for "${connection}" ended at ${url.origin}, not at Ferry's redirect address ${expected.origin}.`, { connection });
  }
  // Some servers answer in the fragment (response_mode=fragment); read both.
  const params = new URLSearchParams(url.search);
  for (const [k, v] of new URLSearchParams(url.hash.replace(/^#/, ''))) if (!params.has(k)) params.set(k, v);
  if (params.get('state') !== request.state) {
    throw new FerryError('OAUTH_STATE_MISMATCH', `The sign-in for "${connection}" came back with a different state than Ferry sent, so it was refused (it may be forged or replayed). Connect again.`, { connection });
  }
  const error = params.get('error');
  if (error) {
    const denied = error === 'access_denied';
    throw new FerryError(
      denied ? 'OAUTH_DENIED' : 'OAUTH_AUTHORIZATION_FAILED',
      denied ? `Access was not granted for "${connection}". Connect again and approve Ferry's access.` : `The authorization server refused the sign-in for "${connection}": ${oauthErrorText(error, params.get('error_description'))}.`,
      { connection, error },
    );
  }
  const code = params.get('code');
  if (!code) throw new FerryError('OAUTH_REDIRECT_INVALID', `The sign-in for "${connection}" came back without an authorization code.`, { connection });
  return code;
}

/** A server's error code and description, bounded and printable (never our request's secrets: it did not have them). */
export function oauthErrorText(error: string, description?: string | null): string {
  const clean = (s: string, n: number) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, n);
  return description ? `${clean(error, 64)} (${clean(description, 200)})` : clean(error, 64);
}
