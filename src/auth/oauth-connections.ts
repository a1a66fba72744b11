/**
 * OAuth 2.0 connections: Authorization Code with PKCE through the browser's identity API, tokens kept
 * as vault credentials (`<name>.accessToken`, `<name>.refreshToken`, never shown, not even their last
 * characters), refreshed ahead of expiry and once after a 401, revoked on disconnect. A refresh the
 * server refuses (a revoked or expired refresh token: invalid_grant) marks the connection
 * `needsReconnect`; every later use fails at once with a message that says to reconnect it.
 */
import { FerryError, isFerryError } from '../errors/ferry-error';
import { compileTemplate, renderTemplateString, resolveCredentials } from '../pipeline';
import type { FerryDB } from '../storage/db';
import type { OAuthConnectionRow, StoredError } from '../storage/rows';
import type { Vault } from '../storage/vault';
import { parseOAuthConfig, type OAuthConfig } from './oauth-config';
import { buildAuthorizationRequest, codeFromRedirect } from './pkce';
import type { AuditLog } from '../storage/audit';
import { isTransientTokenFailure, requestToken, revokeToken, type ClientCredentials, type TokenSet } from './token-endpoint';

/** The part of chrome.identity / browser.identity a connection uses. */
export interface IdentityApi {
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
  getRedirectURL(path?: string): string;
}

/** What pages see of a connection: never a token. */
export interface OAuthConnectionStatus {
  name: string;
  /** `needsReconnect`: the tokens cannot be renewed; the user must connect again. */
  status: 'connected' | 'needsReconnect';
  authOrigin: string;
  scopes: string[];
  tokenType: string;
  expiresAt?: number;
  hasRefreshToken: boolean;
  redirectUri: string;
  connectedAt: number;
  refreshedAt?: number;
  lastError?: StoredError;
}

export interface OAuthConnectResult extends OAuthConnectionStatus {
  /** Things the user should know, e.g. that the seed's redirectUri was replaced by the browser's. */
  notices: string[];
}

export interface OAuthConnectionsOptions {
  now?: () => number;
  fetch?: typeof fetch;
  /** Default: chrome.identity, looked up when a connection is made. */
  identity?: () => IdentityApi;
  /** Refresh this long before the access token expires. Default 60 s. */
  skewMs?: number;
  /** Where each token refresh is recorded (token endpoint, status, duration, outcome; never a token). */
  audit?: Pick<AuditLog, 'append'>;
}

export const DEFAULT_REFRESH_SKEW_MS = 60_000;
const CONNECTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FIELDS = ['accessToken', 'refreshToken'] as const;

export class OAuthConnections {
  private readonly now: () => number;
  private readonly skewMs: number;
  private readonly refreshing = new Map<string, Promise<void>>();

  constructor(private readonly db: FerryDB, private readonly vault: Vault, private readonly options: OAuthConnectionsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.skewMs = options.skewMs ?? DEFAULT_REFRESH_SKEW_MS;
  }

  /**
   * Runs the authorization in a browser window and stores the tokens. Without `rawConfig`, reconnects
   * with the connection's stored configuration.
   */
  async connect(name: string, rawConfig?: unknown): Promise<OAuthConnectResult> {
    validateConnectionName(name);
    const config = rawConfig !== undefined ? parseOAuthConfig(rawConfig) : (await this.require(name)).config;
    // The tokens go into the vault: a locked one is reported before the user signs in, not after.
    await this.vault.ensureUnlocked();
    const client = await this.client(config, name);
    const identity = (this.options.identity ?? (() => chrome.identity as unknown as IdentityApi))();
    const browserRedirect = identity.getRedirectURL();
    const notices: string[] = [];
    let redirectUri = browserRedirect;
    if (config.redirectUri?.startsWith(browserRedirect)) redirectUri = config.redirectUri;
    else if (config.redirectUri) {
      notices.push(`The configuration's redirectUri (${config.redirectUri}) is not an address this browser can return to; Ferry used ${browserRedirect}. Register that redirect URI with the authorization server.`);
    }
    const request = await buildAuthorizationRequest(config, client.clientId, redirectUri);
    let responseUrl: string | undefined;
    try {
      responseUrl = await identity.launchWebAuthFlow({ url: request.url, interactive: true });
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 200) : 'the window was closed';
      throw new FerryError('OAUTH_CANCELLED', `The sign-in for "${name}" did not finish (${reason}). Connect again and complete the sign-in in the window that opens.`, { connection: name });
    }
    if (!responseUrl) throw new FerryError('OAUTH_CANCELLED', `The sign-in for "${name}" did not finish. Connect again.`, { connection: name });
    const code = codeFromRedirect(responseUrl, request, name);
    const tokens = await requestToken(config.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: request.codeVerifier }, client, this.endpoint(name));
    const at = this.now();
    const base: OAuthConnectionRow = { name, config, redirectUri, status: 'connected', tokenType: tokens.tokenType, scopes: config.scopes, hasRefreshToken: false, connectedAt: at, updatedAt: at };
    const row = await this.storeTokens(name, tokens, base, { at, firstTokens: true });
    return { ...statusOf(row), notices };
  }

  /** Every connection, or the one named. */
  async status(name?: string): Promise<OAuthConnectionStatus[]> {
    const rows = name === undefined ? await this.db.oauthConnections.toArray() : [await this.db.oauthConnections.get(name)].filter((r): r is OAuthConnectionRow => r !== undefined);
    return rows.map((row) => statusOf(this.effective(row)));
  }

  /** Revokes at the server when it has a revocation endpoint, then forgets the tokens either way. */
  async disconnect(name: string): Promise<{ disconnected: boolean; revoked: 'revoked' | 'failed' | 'notConfigured' }> {
    validateConnectionName(name);
    const row = await this.db.oauthConnections.get(name);
    if (!row) return { disconnected: false, revoked: 'notConfigured' };
    let revoked: 'revoked' | 'failed' | 'notConfigured' = 'notConfigured';
    if (row.config.revocationUrl) {
      const client = await this.client(row.config, name);
      const results: boolean[] = [];
      for (const field of ['refreshToken', 'accessToken'] as const) {
        const token = await this.token(name, field);
        if (token) results.push(await revokeToken(row.config.revocationUrl, token, field === 'refreshToken' ? 'refresh_token' : 'access_token', client, this.endpoint(name)));
      }
      revoked = results.length > 0 && results.every(Boolean) ? 'revoked' : 'failed';
    }
    for (const field of FIELDS) await this.vault.deleteCredential(`${name}.${field}`);
    await this.db.oauthConnections.delete(name);
    return { disconnected: true, revoked };
  }

  /** Refreshes now (the options page's "refresh", and tests). */
  async refresh(name: string): Promise<OAuthConnectionStatus> {
    const row = await this.require(name);
    if (row.status === 'needsReconnect') throw reconnectNeeded(name, row.lastError?.message);
    await this.refreshOnce(name);
    return statusOf(await this.require(name));
  }

  /** `github` for `github.accessToken` or `github.refreshToken` when such a connection exists. */
  async connectionFor(credentialName: string): Promise<{ name: string; field: (typeof FIELDS)[number] } | undefined> {
    const dot = credentialName.lastIndexOf('.');
    const field = credentialName.slice(dot + 1) as (typeof FIELDS)[number];
    if (dot <= 0 || !FIELDS.includes(field)) return undefined;
    const name = credentialName.slice(0, dot);
    return CONNECTION_NAME.test(name) && (await this.db.oauthConnections.get(name)) ? { name, field } : undefined;
  }

  /** A valid access token for a request about to be sent, refreshed first when it expires within the skew. */
  async accessToken(name: string): Promise<string> {
    const stored = await this.require(name);
    const row = this.effective(stored);
    if (row.status === 'needsReconnect') {
      if (stored.status !== 'needsReconnect') await this.db.oauthConnections.put(row); // it just expired
      throw reconnectNeeded(name, row.lastError?.message);
    }
    if (row.expiresAt !== undefined && row.expiresAt - this.skewMs <= this.now()) {
      try {
        await this.refreshOnce(name);
      } catch (error) {
        // The server is down but the token has a few seconds left: use it; the next use tries again.
        if (!isFerryError(error, 'OAUTH_REFRESH_UNAVAILABLE') || row.expiresAt <= this.now()) throw error;
      }
    }
    const token = await this.token(name, 'accessToken');
    if (!token) throw reconnectNeeded(name, 'its access token is missing');
    return token;
  }

  /**
   * After a request with the connection's access token got 401: refresh once, unless the tokens were
   * renewed since the request was rendered (another batch already did). True when a new token is there.
   */
  async refreshAfterUnauthorized(credentialName: string, renderedAt: number): Promise<boolean> {
    const owner = await this.connectionFor(credentialName);
    if (owner?.field !== 'accessToken') return false;
    const row = await this.require(owner.name);
    if ((row.refreshedAt ?? row.connectedAt) > renderedAt && row.status === 'connected') return true;
    if (row.status === 'needsReconnect') throw reconnectNeeded(owner.name, row.lastError?.message);
    if (!row.hasRefreshToken) {
      await this.markNeedsReconnect(row, 'OAUTH_UNAUTHORIZED', 'the server refused its access token and there is no refresh token');
      throw reconnectNeeded(owner.name, 'the server refused its access token and there is no refresh token');
    }
    await this.refreshOnce(owner.name);
    return true;
  }

  private refreshOnce(name: string): Promise<void> {
    let pending = this.refreshing.get(name);
    if (!pending) {
      pending = this.doRefresh(name).finally(() => this.refreshing.delete(name));
      this.refreshing.set(name, pending);
    }
    return pending;
  }

  private async doRefresh(name: string): Promise<void> {
    const row = await this.require(name);
    const refreshToken = await this.token(name, 'refreshToken');
    if (!refreshToken) {
      await this.markNeedsReconnect(row, 'OAUTH_NO_REFRESH_TOKEN', 'the server gave no refresh token');
      throw reconnectNeeded(name, 'the server gave no refresh token');
    }
    let tokens: TokenSet;
    const started = this.now();
    try {
      tokens = await requestToken(row.config.tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken }, await this.client(row.config, name), this.endpoint(name));
      await this.auditRefresh(name, row.config.tokenUrl, started, 'success', 200);
    } catch (error) {
      const status = isFerryError(error) && typeof error.details?.status === 'number' ? error.details.status : undefined;
      await this.auditRefresh(name, row.config.tokenUrl, started, isFerryError(error) ? error.code.toLowerCase() : 'network_error', status);
      if (!isFerryError(error)) throw error;
      if (isTransientTokenFailure(error)) {
        await this.db.oauthConnections.update(name, { lastError: { code: error.code, message: error.message }, updatedAt: this.now() });
        throw new FerryError('OAUTH_REFRESH_UNAVAILABLE', `Ferry could not refresh the OAuth connection "${name}" now: ${error.message} It will try again.`, { connection: name });
      }
      await this.markNeedsReconnect(row, error.code, error.message);
      throw reconnectNeeded(name, error.details?.error === 'invalid_grant' ? 'the server no longer accepts its refresh token (revoked or expired)' : error.message);
    }
    const at = this.now();
    await this.storeTokens(name, tokens, { ...row, refreshedAt: at, updatedAt: at }, { at, firstTokens: false });
  }

  /** One audit entry per refresh call; a failure to record it never fails the refresh. */
  private async auditRefresh(name: string, tokenUrl: string, started: number, outcome: string, status: number | undefined): Promise<void> {
    if (!this.options.audit) return;
    const url = new URL(tokenUrl);
    await this.options.audit.append({
      runId: '', operation: 'oauth.refresh', credential: `${name}.refreshToken`, method: 'POST', host: url.host, path: url.pathname,
      ...(status !== undefined ? { status } : {}), durationMs: Math.max(0, this.now() - started), attempt: 1, outcome,
    }).catch(() => undefined);
  }

  /**
   * Saves the tokens and the row. A refresh that brings no new refresh token keeps the old one
   * (servers that do not rotate); a new connection without one has none.
   */
  private async storeTokens(name: string, tokens: TokenSet, base: OAuthConnectionRow, { at, firstTokens }: { at: number; firstTokens: boolean }): Promise<OAuthConnectionRow> {
    await this.vault.setCredential(`${name}.accessToken`, tokens.accessToken, { showLast4: false });
    if (tokens.refreshToken) await this.vault.setCredential(`${name}.refreshToken`, tokens.refreshToken, { showLast4: false });
    else if (firstTokens) await this.vault.deleteCredential(`${name}.refreshToken`);
    const { lastError: _lastError, expiresAt: _expiresAt, ...rest } = base;
    const row: OAuthConnectionRow = {
      ...rest,
      status: 'connected',
      tokenType: tokens.tokenType,
      ...(tokens.scope !== undefined ? { scopes: tokens.scope.split(' ').filter(Boolean) } : {}),
      ...(tokens.expiresIn !== undefined ? { expiresAt: at + tokens.expiresIn * 1000 } : {}),
      hasRefreshToken: tokens.refreshToken !== undefined || (!firstTokens && base.hasRefreshToken),
    };
    await this.db.oauthConnections.put(row);
    return row;
  }

  private async markNeedsReconnect(row: OAuthConnectionRow, code: string, message: string): Promise<void> {
    await this.db.oauthConnections.put({ ...row, status: 'needsReconnect', lastError: { code, message }, updatedAt: this.now() });
  }

  /** An expired token without a refresh token is as good as a refused one. */
  private effective(row: OAuthConnectionRow): OAuthConnectionRow {
    if (row.status === 'connected' && !row.hasRefreshToken && row.expiresAt !== undefined && row.expiresAt <= this.now()) {
      return { ...row, status: 'needsReconnect', lastError: { code: 'OAUTH_TOKEN_EXPIRED', message: 'its access token expired and the server gave no refresh token' } };
    }
    return row;
  }

  private async token(name: string, field: (typeof FIELDS)[number]): Promise<string | undefined> {
    try {
      return await this.vault.resolveCredential(`${name}.${field}`);
    } catch (error) {
      if (isFerryError(error, 'CREDENTIAL_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  /** clientId and clientSecret with their credential references resolved. */
  private async client(config: OAuthConfig, name: string): Promise<ClientCredentials> {
    const render = async (text: string, field: string): Promise<string> => {
      const template = compileTemplate(text, `oauthConfig.${field}`);
      const credentials = await resolveCredentials(template.credentials, (credential) => this.plain(credential));
      const missing = template.credentials.find((credential) => credentials.get(credential) === undefined);
      if (missing) {
        throw new FerryError('OAUTH_CLIENT_CREDENTIAL_MISSING', `The OAuth connection "${name}" needs the credential "${missing}" for its ${field}: add it in Ferry's options → Credentials.`, { connection: name, credential: missing });
      }
      return renderTemplateString(template, {}, { credentials });
    };
    const clientId = await render(config.clientId, 'clientId');
    return { clientId, ...(config.clientSecret ? { clientSecret: await render(config.clientSecret, 'clientSecret') } : {}) };
  }

  private async plain(credential: string): Promise<string | undefined> {
    try {
      return await this.vault.resolveCredential(credential);
    } catch (error) {
      if (isFerryError(error, 'CREDENTIAL_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  private async require(name: string): Promise<OAuthConnectionRow> {
    const row = await this.db.oauthConnections.get(name);
    if (!row) throw new FerryError('OAUTH_NOT_CONNECTED', `There is no OAuth connection named "${name}". Connect it in Ferry's options.`, { connection: name });
    return row;
  }

  private endpoint(name: string) {
    return { connection: name, ...(this.options.fetch ? { fetch: this.options.fetch } : {}) };
  }
}

export function reconnectNeeded(name: string, reason?: string): FerryError {
  return new FerryError(
    'OAUTH_RECONNECT_NEEDED',
    `The OAuth connection "${name}" cannot renew its access${reason ? ` (${reason})` : ''}: reconnect ${name} in Ferry's options, then replay the run's dead letters.`,
    { connection: name },
  );
}

function validateConnectionName(name: string): void {
  if (typeof name !== 'string' || !CONNECTION_NAME.test(name)) {
    throw new FerryError('OAUTH_CONNECTION_NAME_INVALID', `"${String(name).slice(0, 80)}" is not a valid connection name: use 1 to 64 letters, digits, "_" or "-" (for example github). Pipelines use its token as {{credentials.<name>.accessToken}}.`);
  }
}

function statusOf(row: OAuthConnectionRow): OAuthConnectionStatus {
  return {
    name: row.name,
    status: row.status,
    authOrigin: new URL(row.config.authUrl).origin,
    scopes: row.scopes,
    tokenType: row.tokenType,
    ...(row.expiresAt !== undefined ? { expiresAt: row.expiresAt } : {}),
    hasRefreshToken: row.hasRefreshToken,
    redirectUri: row.redirectUri,
    connectedAt: row.connectedAt,
    ...(row.refreshedAt !== undefined ? { refreshedAt: row.refreshedAt } : {}),
    ...(row.lastError ? { lastError: row.lastError } : {}),
  };
}
