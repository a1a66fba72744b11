import 'fake-indexeddb/auto';
/**
 * Runs against the real vault lock and real OAuth connections: a locked vault postpones a batch and
 * unlocking resumes it at once; an OAuth access token is sent as a bearer token, renewed once after a
 * 401, and a revoked refresh token dead-letters the batch saying to reconnect. The authorization
 * server is the local one (tests/support/servers/oauth-server.ts): PKCE is checked for real.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { credentialRefresher, credentialResolver, OAuthConnections, type IdentityApi } from '../../../src/auth';
import { createRunService } from '../../../src/runs';
import { POSTPONE_MS } from '../../../src/runs/process-job';
import { VaultLock } from '../../../src/storage/vault-lock';
import { releaseJobsWaitingOnVault } from '../../../src/storage/vault-waits';
import { createRepositories } from '../../../src/storage/repositories';
import { testDb } from '../../../src/storage/test-db.test-support';
import { startOAuthServer, type OAuthServer } from '../../support/servers/oauth-server';
import { harness } from './harness';
import { ingestServerPerTest } from './ingest-server';
import { goodRecord, seedHttpPipeline } from './seed-pipeline';

const REDIRECT = 'https://kpgehfcbmnmkpndeefdgcjbnpjhdbdkj.chromiumapp.org/';
const SECRET = 'sk_live_CANARY_locked_run_1';
const PASS = 'integration passphrase';
const ingest = ingestServerPerTest();
let oauthServer: OAuthServer | undefined;
afterEach(async () => {
  await oauthServer?.close();
  oauthServer = undefined;
});

describe('a run and the vault lock', () => {
  it('a locked vault postpones the batch; unlocking makes it due at once and it is delivered', async () => {
    const db = await testDb();
    const h = await harness();
    const lock = new VaultLock(db, { now: h.clock.now });
    const repos = createRepositories(db, { now: h.clock.now, keys: lock });
    await repos.vault.setCredential('apiToken', SECRET);
    await lock.setPassphrase(PASS);
    await lock.lock();
    const events: string[] = [];
    lock.onChange((e) => events.push(e));
    const service = createRunService({ ...h.deps, repos, resolveCredential: credentialResolver(repos.vault, new OAuthConnections(db, repos.vault)), owner: 'w1' });

    const runId = await service.start({ pipeline: seedHttpPipeline(ingest.rest.origin), records: [goodRecord(0)] });
    const first = await service.drive();
    expect(first.nextDueAt).toBe(h.clock.now() + POSTPONE_MS);
    expect(ingest.api.requests).toEqual([]);
    const [job] = await repos.jobs.listByRun(runId);
    expect(job).toMatchObject({ status: 'pending', lastOutcome: { label: 'vault_locked', message: expect.stringContaining('Unlock Ferry') } });
    expect(events).toEqual(['waiting']);
    expect(await lock.status()).toMatchObject({ state: 'locked', waiting: true });

    await lock.unlock(PASS);
    expect(await releaseJobsWaitingOnVault(db, h.clock.now())).toBe(1);
    await service.drive(); // the clock has not moved: the batch is due because of the unlock
    expect(ingest.api.requests.map((r) => r.result)).toEqual(['applied']);
    expect(await service.getRun(runId)).toMatchObject({ status: 'succeeded', counts: { sent: 1, failed: 0 } });
  });
});

describe('a run with an OAuth connection', () => {
  async function connected() {
    const server = (oauthServer = await startOAuthServer({ clientId: 'ferry-test', clientSecret: 'cs_CANARY_secret', redirectUris: [REDIRECT] }));
    const h = await harness();
    const db = h.repos.db;
    await h.repos.vault.setCredential('clientId', 'ferry-test');
    await h.repos.vault.setCredential('clientSecret', 'cs_CANARY_secret');
    // The browser's part: open the authorization URL, sign in, consent, follow the redirect.
    const identity: IdentityApi = { getRedirectURL: () => REDIRECT, launchWebAuthFlow: async ({ url }) => server.authorizeDirect(new URL(url).searchParams) };
    const oauth = new OAuthConnections(db, h.repos.vault, { now: h.clock.now, identity: () => identity, audit: h.repos.audit });
    const { api: _api, ...endpoints } = server.endpoints;
    await oauth.connect('svc', { oauthConfig: { ...endpoints, clientId: '{{credentials.clientId}}', clientSecret: '{{credentials.clientSecret}}', scopes: ['items:write'] } });
    const service = createRunService({ ...h.deps, resolveCredential: credentialResolver(h.repos.vault, oauth), refreshCredential: credentialRefresher(oauth), owner: 'w1' });
    const pipeline = {
      version: 1, id: 'oauth-items', name: 'Items with OAuth', source: { type: 'supplied' },
      steps: [{ http: { method: 'POST', url: server.endpoints.api, auth: { type: 'bearer', token: '{{credentials.svc.accessToken}}' }, body: '{{transformedData}}' } }],
    };
    const run = async (n: number) => {
      const runId = await service.start({ pipeline, records: [{ n }] });
      await service.drive();
      return runId;
    };
    return { server, h, oauth, service, run };
  }

  it('sends the access token; after a 401 renews it once and sends again within the same attempt', async () => {
    const { server, h, oauth, service, run } = await connected();
    const ok = await run(1);
    expect(await service.getRun(ok)).toMatchObject({ status: 'succeeded' });
    expect(server.state.apiRequests.map((r) => r.status)).toEqual([201]);

    server.expireAccessTokens(); // the server forgets issued access tokens early
    const renewed = await run(2);
    expect(await service.getRun(renewed)).toMatchObject({ status: 'succeeded', counts: { sent: 1 } });
    expect(server.state.apiRequests.map((r) => r.status)).toEqual([201, 401, 201]);
    expect(server.state.tokenRequests.map((t) => [t.grantType, t.status])).toEqual([['authorization_code', 200], ['refresh_token', 200]]);
    const audit = await h.repos.audit.listByRun(renewed);
    expect(audit.map((a) => [a.attempt, a.status])).toEqual([[1, 201]]);
    // The refresh is audited too, outside any run: the token endpoint, its status, no token.
    const refreshes = await h.repos.db.audit.filter((a) => a.operation === 'oauth.refresh').toArray();
    expect(refreshes).toMatchObject([{ runId: '', credential: 'svc.refreshToken', method: 'POST', host: new URL(server.endpoints.tokenUrl).host, status: 200, outcome: 'success' }]);
    expect((await oauth.status('svc'))[0]).toMatchObject({ status: 'connected', refreshedAt: h.clock.now() });
  });

  it('a revoked refresh token: the batch is dead-lettered saying to reconnect, and the connection shows needsReconnect', async () => {
    const { server, h, oauth, service, run } = await connected();
    server.revokeAll();
    const runId = await run(3);
    expect(server.state.apiRequests.map((r) => r.status)).toEqual([401]);
    expect(server.state.tokenRequests.at(-1)).toEqual({ grantType: 'refresh_token', status: 400, error: 'invalid_grant' });
    const [letter] = await service.listDeadLetters({ runId });
    expect(letter!.lastOutcome).toMatchObject({ label: 'oauth_reconnect_needed', message: expect.stringContaining("reconnect svc in Ferry's options") });
    expect(await service.getRun(runId)).toMatchObject({ status: 'failed' });
    expect((await oauth.status('svc'))[0]).toMatchObject({ status: 'needsReconnect' });
    expect(await h.repos.db.audit.filter((a) => a.operation === 'oauth.refresh').toArray()).toMatchObject([{ status: 400, outcome: 'oauth_token_error' }]);

    // Later runs fail at once, without a request.
    await run(4);
    expect(server.state.apiRequests).toHaveLength(1);
    // No token anywhere in what runs stored.
    const stored = JSON.stringify(await Promise.all(h.repos.db.tables.filter((t) => t.name !== 'credentials').map((t) => t.toArray())));
    expect(stored).not.toMatch(/at_|rt_|cs_CANARY/);
  });
});
