/**
 * A small OAuth 2.0 authorization server on 127.0.0.1 for tests (RFC 6749 code grant, RFC 7636
 * PKCE S256 only, RFC 7009 revocation), plus a protected resource:
 *
 * - `GET /authorize` checks the client, redirect URI, `response_type=code` and the PKCE challenge,
 *   then shows a login page; `POST /login` checks the user and shows a consent page; `POST /consent`
 *   redirects with `code` and `state` (Allow) or `error=access_denied` (Deny).
 * - `POST /token`: `authorization_code` (single-use code, same client and redirect URI, verifier
 *   hashed to the challenge) and `refresh_token` (rotated: the old one stops working); errors as
 *   RFC 6749 §5.2 JSON (`invalid_grant`, `invalid_client`, ...).
 * - `POST /revoke`: forgets an access or refresh token (a refresh token takes its access tokens along).
 * - `POST /api/items`: answers 201 for a live bearer token, 401 otherwise; records what arrived.
 *
 * CORS answers only `allowedOrigin` (Ferry's extension origin), as the demo API does. The test
 * controls it through the returned object: expiry, revoking tokens, counting requests.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from './listen';
import { sendJson } from './respond';

export interface OAuthServerOptions {
  clientId: string;
  /** Omit for a public client (PKCE alone). */
  clientSecret?: string;
  /** Exact redirect URIs the client registered. */
  redirectUris: string[];
  user?: { username: string; password: string };
  /** Seconds; default 3600. */
  expiresIn?: number;
  /** Answer CORS for this origin (Ferry's extension origin). */
  allowedOrigin?: string;
}

interface Grant {
  clientId: string;
  scope: string;
  accessTokens: Set<string>;
}

export interface TokenRequestLog {
  grantType: string;
  status: number;
  error?: string;
}

export async function startOAuthServer(options: OAuthServerOptions) {
  const user = options.user ?? { username: 'ada', password: 'analytical-engine' };
  const pending = new Map<string, { clientId: string; redirectUri: string; state: string; challenge: string; scope: string }>();
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; scope: string; expiresAt: number }>();
  const refreshTokens = new Map<string, Grant>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  const state = {
    expiresIn: options.expiresIn ?? 3600,
    tokenRequests: [] as TokenRequestLog[],
    revocations: [] as { token: string; hint?: string }[],
    apiRequests: [] as { status: number; body: unknown }[],
  };

  const cors = (req: IncomingMessage): Record<string, string> =>
    options.allowedOrigin && req.headers.origin === options.allowedOrigin ? { 'access-control-allow-origin': options.allowedOrigin, vary: 'Origin' } : {};
  const html = (res: ServerResponse, status: number, body: string) =>
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(`<!doctype html><meta charset="utf-8"><title>Test authorization server</title>${body}`);
  const token = () => randomBytes(24).toString('base64url');
  const clientOk = (form: URLSearchParams) => form.get('client_id') === options.clientId && (options.clientSecret === undefined || form.get('client_secret') === options.clientSecret);

  const issue = (grant: Grant, rotateFrom?: string) => {
    const access = `at_${token()}`;
    const refresh = `rt_${token()}`;
    grant.accessTokens.add(access);
    accessTokens.set(access, { grant, expiresAt: Date.now() + state.expiresIn * 1000 });
    if (rotateFrom) refreshTokens.delete(rotateFrom);
    refreshTokens.set(refresh, grant);
    return { access_token: access, token_type: 'Bearer', expires_in: state.expiresIn, refresh_token: refresh, scope: grant.scope };
  };

  const tokenEndpoint = (req: IncomingMessage, res: ServerResponse, form: URLSearchParams) => {
    const grantType = form.get('grant_type') ?? '';
    const fail = (status: number, error: string, description: string) => {
      state.tokenRequests.push({ grantType, status, error });
      sendJson(res, status, { error, error_description: description }, { ...cors(req), 'cache-control': 'no-store' });
    };
    if (!clientOk(form)) return fail(401, 'invalid_client', 'unknown client or wrong secret');
    if (grantType === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? ''); // single use, even when the rest is wrong
      if (!code || code.expiresAt < Date.now() || code.clientId !== form.get('client_id')) return fail(400, 'invalid_grant', 'unknown, used or expired code');
      if (code.redirectUri !== form.get('redirect_uri')) return fail(400, 'invalid_grant', 'redirect_uri differs from the authorization request');
      const verifier = form.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
        return fail(400, 'invalid_grant', 'PKCE verification failed');
      }
      state.tokenRequests.push({ grantType, status: 200 });
      return sendJson(res, 200, issue({ clientId: code.clientId, scope: code.scope, accessTokens: new Set() }), { ...cors(req), 'cache-control': 'no-store' });
    }
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const grant = refreshTokens.get(presented);
      if (!grant || grant.clientId !== form.get('client_id')) return fail(400, 'invalid_grant', 'refresh token revoked or unknown');
      state.tokenRequests.push({ grantType, status: 200 });
      return sendJson(res, 200, issue(grant, presented), { ...cors(req), 'cache-control': 'no-store' });
    }
    return fail(400, 'unsupported_grant_type', grantType);
  };

  const revoke = (token: string) => {
    const grant = refreshTokens.get(token);
    if (grant) {
      refreshTokens.delete(token);
      for (const access of grant.accessTokens) accessTokens.delete(access);
    }
    accessTokens.delete(token);
  };

  const listening = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'OPTIONS') {
      return res.writeHead(204, { ...cors(req), 'access-control-allow-methods': 'POST, GET', 'access-control-allow-headers': 'authorization, content-type, idempotency-key' }).end();
    }
    const body = req.method === 'POST' ? await readBody(req) : '';
    const form = new URLSearchParams(body);
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      if (q.get('client_id') !== options.clientId || !options.redirectUris.includes(redirectUri)) return html(res, 400, '<p id="error">Unknown client or redirect URI.</p>');
      if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return html(res, 400, '<p id="error">PKCE S256 and response_type=code are required.</p>');
      const id = token();
      pending.set(id, { clientId: options.clientId, redirectUri, state: q.get('state') ?? '', challenge: q.get('code_challenge')!, scope: q.get('scope') ?? '' });
      return html(res, 200, `<h1>Sign in</h1><form method="post" action="/login"><input type="hidden" name="request" value="${id}">
        <label>User <input name="username" id="username"></label><label>Password <input name="password" id="password" type="password"></label>
        <button id="sign-in" type="submit">Sign in</button></form>`);
    }
    if (req.method === 'POST' && url.pathname === '/login') {
      const request = pending.get(form.get('request') ?? '');
      if (!request) return html(res, 400, '<p id="error">This sign-in expired.</p>');
      if (form.get('username') !== user.username || form.get('password') !== user.password) return html(res, 401, '<p id="error">Wrong user or password.</p>');
      return html(res, 200, `<h1>Allow access?</h1><p id="scopes">${request.scope.replace(/[<>&"]/g, '')}</p><form method="post" action="/consent">
        <input type="hidden" name="request" value="${form.get('request')}"><button id="allow" name="decision" value="allow">Allow</button>
        <button id="deny" name="decision" value="deny">Deny</button></form>`);
    }
    if (req.method === 'POST' && url.pathname === '/consent') {
      const id = form.get('request') ?? '';
      const request = pending.get(id);
      pending.delete(id);
      if (!request) return html(res, 400, '<p id="error">This sign-in expired.</p>');
      const target = new URL(request.redirectUri);
      if (form.get('decision') === 'allow') {
        const code = token();
        codes.set(code, { clientId: request.clientId, redirectUri: request.redirectUri, challenge: request.challenge, scope: request.scope, expiresAt: Date.now() + 60_000 });
        target.searchParams.set('code', code);
      } else target.searchParams.set('error', 'access_denied');
      target.searchParams.set('state', request.state);
      return res.writeHead(302, { location: target.href }).end();
    }
    if (req.method === 'POST' && url.pathname === '/token') return tokenEndpoint(req, res, form);
    if (req.method === 'POST' && url.pathname === '/revoke') {
      state.revocations.push({ token: form.get('token') ?? '', ...(form.get('token_type_hint') ? { hint: form.get('token_type_hint')! } : {}) });
      if (!clientOk(form)) return sendJson(res, 401, { error: 'invalid_client' }, cors(req));
      revoke(form.get('token') ?? '');
      return res.writeHead(200, cors(req)).end();
    }
    if (req.method === 'POST' && url.pathname === '/api/items') {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const live = bearer ? accessTokens.get(bearer) : undefined;
      const status = live && live.expiresAt > Date.now() ? 201 : 401;
      state.apiRequests.push({ status, body: safeJson(body) });
      return status === 201 ? sendJson(res, 201, { ok: true }, cors(req)) : sendJson(res, 401, { error: 'invalid_token' }, { ...cors(req), 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    res.writeHead(404).end();
  });

  return {
    ...listening,
    state,
    endpoints: { authUrl: `${listening.origin}/authorize`, tokenUrl: `${listening.origin}/token`, revocationUrl: `${listening.origin}/revoke`, api: `${listening.origin}/api/items` },
    /** Every access token stops working (the resource answers 401); refresh tokens still work. */
    expireAccessTokens: () => accessTokens.clear(),
    /** Every refresh token and access token is revoked: a refresh gets invalid_grant. */
    revokeAll: () => {
      refreshTokens.clear();
      accessTokens.clear();
    },
    liveTokens: () => ({ access: accessTokens.size, refresh: refreshTokens.size }),
    /** A token as the server would issue it, for a test that simulates a client (no browser). */
    async authorizeDirect(query: URLSearchParams): Promise<string> {
      const page = await fetch(`${listening.origin}/authorize?${query}`);
      const request = /name="request" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      await fetch(`${listening.origin}/login`, { method: 'POST', body: new URLSearchParams({ request, username: user.username, password: user.password }) });
      const consent = await fetch(`${listening.origin}/consent`, { method: 'POST', body: new URLSearchParams({ request, decision: 'allow' }), redirect: 'manual' });
      return consent.headers.get('location') ?? '';
    },
  };
}

export type OAuthServer = Awaited<ReturnType<typeof startOAuthServer>>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
