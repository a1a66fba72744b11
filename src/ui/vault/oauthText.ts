/** OAuth connections in plain words, for the options page and the popup. */
import type { OAuthConnectionStatus } from '../../auth/oauth-connections';
import type { BadgeTone } from '../Badge';
import { failureInfo } from './vaultText';

export interface ConnectionView {
  label: 'Connected' | 'Needs reconnect' | 'Expired';
  tone: BadgeTone;
  /** Only a new sign-in helps. */
  needsReconnect: boolean;
  /** "Access token valid until 14:32", "Access token expired; renewed on next use". */
  expiry: string;
}

const clock = (ms: number) => new Date(ms).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function connectionView(c: OAuthConnectionStatus, now: number): ConnectionView {
  const expired = c.expiresAt !== undefined && c.expiresAt <= now;
  const expiry =
    c.expiresAt === undefined
      ? 'The server gave no expiry'
      : expired
        ? `Access token expired ${clock(c.expiresAt)}${c.status === 'connected' && c.hasRefreshToken ? '; renewed on next use' : ''}`
        : `Access token valid until ${clock(c.expiresAt)}${c.hasRefreshToken ? ', then renewed' : ''}`;
  if (c.status === 'needsReconnect') {
    const byExpiry = c.lastError?.code === 'OAUTH_TOKEN_EXPIRED';
    // Its expiry no longer says anything useful: the tokens cannot be used or renewed.
    const last = `${c.refreshedAt ? 'Last renewed' : 'Signed in'} ${clock(c.refreshedAt ?? c.connectedAt)}`;
    return { label: byExpiry ? 'Expired' : 'Needs reconnect', tone: byExpiry ? 'amber' : 'red', needsReconnect: true, expiry: byExpiry ? expiry : last };
  }
  if (expired && !c.hasRefreshToken) return { label: 'Expired', tone: 'amber', needsReconnect: true, expiry };
  return { label: 'Connected', tone: 'green', needsReconnect: false, expiry };
}

/** Why a connection needs a new sign-in, from its stored error. */
export function reconnectReason(c: OAuthConnectionStatus): string {
  const why = c.lastError?.message;
  return why ? `Ferry cannot renew its access: ${why.replace(/\.$/, '')}. Sign in again to continue.` : 'Ferry cannot renew its access. Sign in again to continue.';
}

const CONNECT_TITLES: Record<string, string> = {
  OAUTH_CANCELLED: 'The sign-in did not finish',
  OAUTH_DENIED: 'Access was denied in the sign-in window',
  OAUTH_STATE_MISMATCH: 'The sign-in answer did not belong to this request',
  OAUTH_REDIRECT_INVALID: 'The sign-in came back to an unexpected address',
  OAUTH_AUTHORIZATION_FAILED: 'The authorization server refused the sign-in',
  OAUTH_CONFIG_INVALID: 'The OAuth configuration needs fixing',
  CONFIG_SYNTAX: 'The OAuth configuration is not valid JSON',
  OAUTH_CONNECTION_NAME_INVALID: 'The connection name needs fixing',
  OAUTH_CLIENT_CREDENTIAL_MISSING: 'A client credential is missing',
  CREDENTIAL_NOT_FOUND: 'A client credential is missing',
  VAULT_LOCKED: 'Ferry is locked',
  OAUTH_TOKEN_ERROR: 'The token endpoint refused',
  OAUTH_TOKEN_ENDPOINT_FAILED: 'The token endpoint failed',
  OAUTH_TOKEN_ENDPOINT_UNREACHABLE: 'The token endpoint could not be reached',
  OAUTH_TOKEN_RESPONSE_INVALID: 'The token endpoint answered something unexpected',
  OAUTH_REFRESH_UNAVAILABLE: 'The token endpoint could not be reached',
  OAUTH_RECONNECT_NEEDED: 'This connection needs a new sign-in',
  OAUTH_NOT_CONNECTED: 'There is no such connection',
};

export interface OAuthProblem {
  title: string;
  detail: string;
  /** JSON-path problems of a configuration (`oauthConfig.tokenUrl: expected ...`). */
  issues: string[];
}

/** A refused connect, refresh or disconnect: a title for its code, the background's message, and any JSON-path issues. */
export function describeOAuthError(error: unknown, fallback = 'Could not connect'): OAuthProblem {
  const { code, message, details } = failureInfo(error);
  const issues = Array.isArray(details?.issues)
    ? (details.issues as unknown[]).map((i) => (typeof i === 'object' && i !== null && typeof (i as { message?: unknown }).message === 'string' ? (i as { message: string }).message : '')).filter(Boolean)
    : [];
  // With the issues listed one by one, the message's own list would repeat them.
  const head = message.split('\n')[0]!;
  const detail = issues.length === 0 ? message : head.endsWith(':') ? '' : head;
  return { title: (code && CONNECT_TITLES[code]) ?? fallback, detail, issues };
}
