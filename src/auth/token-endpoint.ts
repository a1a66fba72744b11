/**
 * Calls to an authorization server's token endpoint (RFC 6749 §4.1.3 code exchange, §6 refresh) and
 * revocation endpoint (RFC 7009). The client authenticates with client_secret_post when it has a
 * secret; a public client sends only client_id. Messages name the server and its error code, never
 * a code, verifier, secret or token.
 */
import { z } from 'zod';
import { FerryError } from '../errors/ferry-error';
import { oauthErrorText } from './pkce';

export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Seconds, as the server said; absent when it did not. */
  expiresIn?: number;
  refreshToken?: string;
  /** The granted scopes, space-separated, when the server says. */
  scope?: string;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret?: string;
}

export interface EndpointOptions {
  fetch?: typeof fetch;
  /** For messages: the connection's name. */
  connection: string;
  timeoutMs?: number;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().min(1).optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

const ErrorResponse = z.object({ error: z.string(), error_description: z.string().optional() });

/** The server's answer to a token request; FerryError otherwise (see `isTransientTokenFailure`). */
export async function requestToken(tokenUrl: string, grant: Record<string, string>, client: ClientCredentials, options: EndpointOptions): Promise<TokenSet> {
  const body = new URLSearchParams({ ...grant, client_id: client.clientId, ...(client.clientSecret ? { client_secret: client.clientSecret } : {}) });
  const response = await post(tokenUrl, body, options);
  const origin = new URL(tokenUrl).origin;
  const json = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = ErrorResponse.safeParse(json);
    if (error.success && response.status < 500) {
      throw new FerryError('OAUTH_TOKEN_ERROR', `The token endpoint at ${origin} refused the request for "${options.connection}": ${oauthErrorText(error.data.error, error.data.error_description)}.`, {
        connection: options.connection, error: error.data.error.slice(0, 64), status: response.status,
      });
    }
    const transient = response.status >= 500 || response.status === 429 || response.status === 408;
    throw new FerryError('OAUTH_TOKEN_ENDPOINT_FAILED', `The token endpoint at ${origin} answered HTTP ${response.status} for "${options.connection}".`, { connection: options.connection, status: response.status, transient });
  }
  const tokens = TokenResponse.safeParse(json);
  if (!tokens.success) {
    throw new FerryError('OAUTH_TOKEN_RESPONSE_INVALID', `The token endpoint at ${origin} answered without a usable access token for "${options.connection}" (expected JSON with access_token).`, { connection: options.connection });
  }
  const t = tokens.data;
  return {
    accessToken: t.access_token,
    tokenType: t.token_type ?? 'Bearer',
    ...(t.expires_in !== undefined && Number.isFinite(t.expires_in) && t.expires_in >= 0 ? { expiresIn: t.expires_in } : {}),
    ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
    ...(t.scope !== undefined ? { scope: t.scope } : {}),
  };
}

/** Revokes a token (RFC 7009); true when the server confirmed. Never throws: disconnecting goes on. */
export async function revokeToken(revocationUrl: string, token: string, hint: 'refresh_token' | 'access_token', client: ClientCredentials, options: EndpointOptions): Promise<boolean> {
  const body = new URLSearchParams({ token, token_type_hint: hint, client_id: client.clientId, ...(client.clientSecret ? { client_secret: client.clientSecret } : {}) });
  try {
    return (await post(revocationUrl, body, options)).ok;
  } catch {
    return false;
  }
}

/** Failures worth trying again later (server down or busy), as opposed to a refusal. */
export function isTransientTokenFailure(error: unknown): boolean {
  return error instanceof FerryError && (error.code === 'OAUTH_TOKEN_ENDPOINT_UNREACHABLE' || (error.code === 'OAUTH_TOKEN_ENDPOINT_FAILED' && error.details?.transient === true));
}

async function post(url: string, body: URLSearchParams, options: EndpointOptions): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  try {
    return await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      // A token response must not be cached or followed elsewhere.
      cache: 'no-store',
      redirect: 'error',
      credentials: 'omit',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const timedOut = (error as { name?: string }).name === 'TimeoutError';
    throw new FerryError('OAUTH_TOKEN_ENDPOINT_UNREACHABLE', `Ferry could not reach ${new URL(url).origin} for "${options.connection}"${timedOut ? ' (no answer within 30 s)' : ''}. Check the connection and try again.`, { connection: options.connection });
  }
}
