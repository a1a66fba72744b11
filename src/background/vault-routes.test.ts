import 'fake-indexeddb/auto';
/** The vault and OAuth routes: extension pages only, thin over VaultLock and OAuthConnections, never a secret in an answer. */
import { describe, expect, it, vi } from 'vitest';
import { OAuthConnections } from '../auth';
import { isFerryError } from '../errors/ferry-error';
import type { MessageType, RequestOf, ResponseOf } from '../messaging/contract';
import type { Route } from '../messaging/router';
import type { NativeClient } from '../native/client';
import type { HostMonitor } from '../native/host-monitor';
import { createRepositories } from '../storage/repositories';
import { testDb } from '../storage/test-db.test-support';
import { VaultLock } from '../storage/vault-lock';
import type { RunEngine } from './run-engine';
import { createRoutes } from './routes';

const PASS = 'route passphrase 123';
const SECRET = 'sk_live_CANARY_routes_000111';

async function setup() {
  const db = await testDb();
  const lock = new VaultLock(db);
  const repos = createRepositories(db, { keys: lock });
  const oauth = new OAuthConnections(db, repos.vault);
  const engine = { vaultLock: async () => lock, oauth: async () => oauth, vault: async () => repos.vault, kick: vi.fn() } as unknown as RunEngine;
  const routes = createRoutes({} as NativeClient, {} as HostMonitor, engine);
  const call = async <T extends MessageType>(type: T, data: RequestOf<T>): Promise<ResponseOf<T>> => {
    const route = routes[type] as Route<T>;
    expect(route.allow, type).toEqual(['extension-page']);
    return route.handle(data, {});
  };
  return { repos, call };
}

describe('vault and OAuth routes', () => {
  it('set a passphrase, lock, refuse a wrong one, unlock, auto-lock, change and remove; no answer carries a secret', async () => {
    const { repos, call } = await setup();
    await repos.vault.setCredential('apiToken', SECRET);
    expect(await call('vault.status', undefined)).toMatchObject({ state: 'no-passphrase' });
    const answers: unknown[] = [];
    answers.push(await call('vault.setPassphrase', { passphrase: PASS }));
    expect(answers.at(-1)).toMatchObject({ state: 'unlocked' });
    answers.push(await call('vault.lock', undefined));
    expect(answers.at(-1)).toMatchObject({ state: 'locked' });
    const wrong = await call('vault.unlock', { passphrase: 'not it at all' }).catch((e: unknown) => e);
    expect(isFerryError(wrong, 'VAULT_PASSPHRASE_WRONG')).toBe(true);
    answers.push(await call('vault.unlock', { passphrase: PASS }));
    expect(answers.at(-1)).toMatchObject({ state: 'unlocked', failedAttempts: 0 });
    answers.push(await call('vault.setAutoLock', { minutes: 10 }));
    expect(answers.at(-1)).toMatchObject({ autoLockMinutes: 10 });
    answers.push(await call('vault.setPassphrase', { passphrase: `${PASS}!`, current: PASS }));
    answers.push(await call('vault.removePassphrase', { current: `${PASS}!` }));
    expect(answers.at(-1)).toMatchObject({ state: 'no-passphrase' });
    expect(await repos.vault.resolveCredential('apiToken')).toBe(SECRET);
    expect(JSON.stringify(answers)).not.toContain(SECRET);
    expect(JSON.stringify(answers)).not.toContain(PASS);
  });

  it('oauth.status lists nothing at first; oauth.connect refuses a bad name or config before opening any window', async () => {
    const { call } = await setup();
    expect(await call('oauth.status', undefined)).toEqual([]);
    expect(isFerryError(await call('oauth.connect', { name: 'has space', oauthConfig: {} }).catch((e: unknown) => e), 'OAUTH_CONNECTION_NAME_INVALID')).toBe(true);
    const bad = await call('oauth.connect', { name: 'svc', oauthConfig: { oauthConfig: { authUrl: 'http://auth.example.com/a', tokenUrl: 'https://auth.example.com/t', clientId: 'x' } } }).catch((e: unknown) => e);
    expect(isFerryError(bad, 'OAUTH_CONFIG_INVALID')).toBe(true);
    expect((bad as Error).message).toContain('oauthConfig.authUrl');
    expect(await call('oauth.disconnect', { name: 'svc' })).toEqual({ disconnected: false, revoked: 'notConfigured' });
    expect(isFerryError(await call('oauth.refresh', { name: 'svc' }).catch((e: unknown) => e), 'OAUTH_NOT_CONNECTED')).toBe(true);
  });
});
