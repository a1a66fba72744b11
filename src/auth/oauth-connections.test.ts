import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { testClock, testDb } from '../storage/test-db.test-support';
import { Vault } from '../storage/vault';
import { vaultLocked } from '../storage/vault-keys';
import { credentialResolver } from './credential-resolver';
import { OAuthConnections, type IdentityApi } from './oauth-connections';
import { requestToken } from './token-endpoint';

const REDIRECT = 'https://kpgehfcbmnmkpndeefdgcjbnpjhdbdkj.chromiumapp.org/';
const CONFIG = {
  oauthConfig: {
    authUrl: 'https://auth.test/authorize', tokenUrl: 'https://auth.test/token', revocationUrl: 'https://auth.test/revoke',
    clientId: '{{credentials.clientId}}', clientSecret: '{{credentials.clientSecret}}', scopes: ['read'], redirectUri: 'https://localhost:3000/callback',
  },
};
const CLIENT_SECRET = 'cs_CANARY_client_secret_42';
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);

type Reply = { status: number; json?: unknown } | 'network-error';

/** A token endpoint as a fetch function: answers from a queue, records each form it got. */
function tokenEndpoint() {
  const replies: Reply[] = [];
  const forms: Record<string, string>[] = [];
  const fetchFn = (async (_url: string, init: RequestInit) => {
    forms.push(Object.fromEntries(init.body as URLSearchParams));
    const reply = replies.shift() ?? { status: 500 };
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(reply.json === undefined ? '' : JSON.stringify(reply.json), { status: reply.status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { fetch: fetchFn, replies, forms, grants: () => forms.map((f) => f.grant_type ?? f.token_type_hint) };
}

/** The browser's identity API: "signs in" by answering the redirect with a code and the state it was given. */
function identity(answer: (url: URL) => string = (url) => `${REDIRECT}?code=code-1&state=${url.searchParams.get('state')}`): IdentityApi & { urls: URL[] } {
  const urls: URL[] = [];
  return {
    urls,
    getRedirectURL: () => REDIRECT,
    launchWebAuthFlow: async ({ url }) => {
      urls.push(new URL(url));
      return answer(new URL(url));
    },
  };
}

async function setup(options: { identity?: ReturnType<typeof identity> } = {}) {
  const clock = testClock();
  const db = await testDb();
  const vault = new Vault(db, { now: clock.now });
  await vault.setCredential('clientId', 'ferry-client');
  await vault.setCredential('clientSecret', CLIENT_SECRET);
  const server = tokenEndpoint();
  const id = options.identity ?? identity();
  const oauth = new OAuthConnections(db, vault, { now: clock.now, fetch: server.fetch, identity: () => id });
  return { clock, db, vault, server, oauth, id };
}

const tokens = (n: number, extra: Record<string, unknown> = {}) => ({ status: 200, json: { access_token: `at-${n}-CANARY`, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${n}-CANARY`, scope: 'read', ...extra } });

describe('token endpoint responses', () => {
  const call = async (reply: Reply) => {
    const server = tokenEndpoint();
    server.replies.push(reply);
    return requestToken('https://auth.test/token', { grant_type: 'refresh_token', refresh_token: 'rt-secret' }, { clientId: 'c', clientSecret: 'cs-secret' }, { fetch: server.fetch, connection: 'svc' }).catch((e: unknown) => e);
  };

  it('reads tokens, expiry (also as a numeric string) and scope; defaults the token type', async () => {
    expect(await call({ status: 200, json: { access_token: 'a', expires_in: '120', refresh_token: 'r' } })).toEqual({ accessToken: 'a', tokenType: 'Bearer', expiresIn: 120, refreshToken: 'r' });
  });

  it('turns failures into typed errors that never quote the request\'s secrets', async () => {
    const refused = await call({ status: 400, json: { error: 'invalid_grant', error_description: 'Token revoked' } });
    expect(isFerryError(refused, 'OAUTH_TOKEN_ERROR')).toBe(true);
    expect((refused as Error).message).toBe('The token endpoint at https://auth.test refused the request for "svc": invalid_grant (Token revoked).');
    expect(isFerryError(await call({ status: 200, json: { token_type: 'Bearer' } }), 'OAUTH_TOKEN_RESPONSE_INVALID')).toBe(true);
    expect(await call({ status: 503 })).toMatchObject({ code: 'OAUTH_TOKEN_ENDPOINT_FAILED', details: { transient: true } });
    expect(isFerryError(await call('network-error'), 'OAUTH_TOKEN_ENDPOINT_UNREACHABLE')).toBe(true);
    for (const reply of [{ status: 400, json: { error: 'invalid_grant' } }, 'network-error' as const]) {
      expect(JSON.stringify(await call(reply))).not.toMatch(/rt-secret|cs-secret/);
    }
  });
});

describe('OAuthConnections', () => {
  it('connects: PKCE and state in the authorization URL, the code exchanged with the verifier, tokens stored as hidden credentials', async () => {
    const { oauth, server, vault, id } = await setup();
    server.replies.push(tokens(1));
    const result = await oauth.connect('svc', JSON.stringify(CONFIG));
    const auth = id.urls[0]!;
    expect(auth.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(server.forms[0]).toMatchObject({ grant_type: 'authorization_code', code: 'code-1', redirect_uri: REDIRECT, client_id: 'ferry-client', client_secret: CLIENT_SECRET });
    expect(server.forms[0]!.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result).toMatchObject({ name: 'svc', status: 'connected', scopes: ['read'], hasRefreshToken: true, redirectUri: REDIRECT, authOrigin: 'https://auth.test' });
    expect(result.notices[0]).toContain(`Ferry used ${REDIRECT}`);
    expect(JSON.stringify([result, await oauth.status()])).not.toContain('CANARY');
    expect(await vault.resolveCredential('svc.accessToken')).toBe('at-1-CANARY');
    const listed = await vault.listCredentials();
    expect(listed.filter((c) => c.name.startsWith('svc.'))).toEqual([
      expect.objectContaining({ name: 'svc.accessToken', last4: '' }),
      expect.objectContaining({ name: 'svc.refreshToken', last4: '' }),
    ]);
  });

  it('refuses a redirect with another state, and a denial; nothing is stored', async () => {
    for (const answer of [(url: URL) => `${REDIRECT}?code=x&state=forged${url.search.length}`, (url: URL) => `${REDIRECT}?error=access_denied&state=${url.searchParams.get('state')}`]) {
      const { oauth, server } = await setup({ identity: identity(answer) });
      const error = await fail(oauth.connect('svc', CONFIG));
      expect((error as { code: string }).code).toMatch(/^OAUTH_(STATE_MISMATCH|DENIED)$/);
      expect(server.forms).toEqual([]);
      expect(await oauth.status()).toEqual([]);
    }
  });

  it('a locked vault is reported before any window opens', async () => {
    const { oauth, vault, id } = await setup();
    (vault as unknown as { keys: { dataKey(): Promise<never> } }).keys = { dataKey: () => Promise.reject(vaultLocked()) };
    expect(isFerryError(await fail(oauth.connect('svc', { oauthConfig: { ...CONFIG.oauthConfig, clientId: 'literal-id', clientSecret: undefined } })), 'VAULT_LOCKED')).toBe(true);
    expect(id.urls).toEqual([]);
  });

  it('a missing client credential is named before any window opens', async () => {
    const { oauth, vault, id } = await setup();
    await vault.deleteCredential('clientSecret');
    const error = await fail(oauth.connect('svc', CONFIG));
    expect(isFerryError(error, 'OAUTH_CLIENT_CREDENTIAL_MISSING')).toBe(true);
    expect((error as Error).message).toContain('"clientSecret"');
    expect(id.urls).toEqual([]);
  });

  it('refreshes only within 60 s of expiry, once for concurrent uses, keeping a refresh token the server did not rotate', async () => {
    const { oauth, server, clock } = await setup();
    server.replies.push(tokens(1, { expires_in: 300 }));
    await oauth.connect('svc', CONFIG);
    clock.advance(239_000); // 61 s left
    expect(await oauth.accessToken('svc')).toBe('at-1-CANARY');
    expect(server.grants()).toEqual(['authorization_code']);
    clock.advance(1_000); // 60 s left: inside the skew
    server.replies.push(tokens(2, { refresh_token: undefined }));
    const both = await Promise.all([oauth.accessToken('svc'), oauth.accessToken('svc')]);
    expect(both).toEqual(['at-2-CANARY', 'at-2-CANARY']);
    expect(server.grants()).toEqual(['authorization_code', 'refresh_token']);
    expect(server.forms[1]).toMatchObject({ refresh_token: 'rt-1-CANARY', client_id: 'ferry-client', client_secret: CLIENT_SECRET });
    expect((await oauth.status('svc'))[0]).toMatchObject({ hasRefreshToken: true, refreshedAt: clock.now(), expiresAt: clock.now() + 3_600_000 });
  });

  it('a token endpoint that is down: the old token while it lasts, then OAUTH_REFRESH_UNAVAILABLE (the batch waits)', async () => {
    const { oauth, server, clock } = await setup();
    server.replies.push(tokens(1, { expires_in: 100 }));
    await oauth.connect('svc', CONFIG);
    clock.advance(50_000);
    server.replies.push({ status: 503 });
    expect(await oauth.accessToken('svc')).toBe('at-1-CANARY');
    clock.advance(50_000);
    server.replies.push('network-error');
    expect(isFerryError(await fail(oauth.accessToken('svc')), 'OAUTH_REFRESH_UNAVAILABLE')).toBe(true);
    expect((await oauth.status('svc'))[0]!.status).toBe('connected');
  });

  it('a revoked refresh token (invalid_grant) marks the connection needsReconnect; later uses fail at once saying to reconnect', async () => {
    const { oauth, server, clock } = await setup();
    server.replies.push(tokens(1, { expires_in: 60 }));
    await oauth.connect('svc', CONFIG);
    clock.advance(1_000);
    server.replies.push({ status: 400, json: { error: 'invalid_grant' } });
    const error = await fail(oauth.accessToken('svc'));
    expect(isFerryError(error, 'OAUTH_RECONNECT_NEEDED')).toBe(true);
    expect((error as Error).message).toContain('reconnect svc in Ferry\'s options');
    expect((await oauth.status('svc'))[0]).toMatchObject({ status: 'needsReconnect', lastError: { code: 'OAUTH_TOKEN_ERROR' } });
    expect(isFerryError(await fail(oauth.accessToken('svc')), 'OAUTH_RECONNECT_NEEDED')).toBe(true);
    expect(server.grants()).toEqual(['authorization_code', 'refresh_token']);

    // Reconnecting with the stored configuration makes it usable again.
    server.replies.push(tokens(3));
    expect(await oauth.connect('svc')).toMatchObject({ status: 'connected' });
    expect(await oauth.accessToken('svc')).toBe('at-3-CANARY');
  });

  it('after a 401 refreshes once, unless another request already renewed the token since it was rendered', async () => {
    const { oauth, server, clock } = await setup();
    server.replies.push(tokens(1));
    await oauth.connect('svc', CONFIG);
    const renderedAt = clock.now();
    clock.advance(10);
    server.replies.push(tokens(2));
    expect(await oauth.refreshAfterUnauthorized('svc.accessToken', renderedAt)).toBe(true);
    expect(await oauth.refreshAfterUnauthorized('svc.accessToken', renderedAt)).toBe(true); // renewed since: no second refresh
    expect(server.grants()).toEqual(['authorization_code', 'refresh_token']);
    expect(await oauth.refreshAfterUnauthorized('apiToken', renderedAt)).toBe(false);
  });

  it('disconnect revokes both tokens at the revocation endpoint and forgets them', async () => {
    const { oauth, server, vault } = await setup();
    server.replies.push(tokens(1));
    await oauth.connect('svc', CONFIG);
    server.replies.push({ status: 200 }, { status: 200 });
    expect(await oauth.disconnect('svc')).toEqual({ disconnected: true, revoked: 'revoked' });
    expect(server.forms.slice(1).map((f) => [f.token_type_hint, f.token])).toEqual([['refresh_token', 'rt-1-CANARY'], ['access_token', 'at-1-CANARY']]);
    expect(await oauth.status()).toEqual([]);
    expect((await vault.listCredentials()).map((c) => c.name)).toEqual(['clientId', 'clientSecret']);
  });

  it('the run resolver: a connection\'s access token through the connection, its refresh token refused, other names from the vault', async () => {
    const { oauth, server, vault } = await setup();
    server.replies.push(tokens(1));
    await oauth.connect('svc', CONFIG);
    await vault.setCredential('apiToken', 'plain-token');
    const resolve = credentialResolver(vault, oauth);
    expect(await resolve('svc.accessToken')).toBe('at-1-CANARY');
    expect(await resolve('apiToken')).toBe('plain-token');
    expect(await resolve('missing')).toBeUndefined();
    const refused = await fail(resolve('svc.refreshToken'));
    expect(isFerryError(refused, 'OAUTH_REFRESH_TOKEN_RESERVED')).toBe(true);
    expect((refused as Error).message).not.toContain('CANARY');
  });
});
