/** An in-memory vault lock and OAuth connections for component tests, answering as the background does. */
import type { OAuthConnectionStatus } from '../../auth/oauth-connections';
import { FerryError } from '../../errors/ferry-error';
import type { VaultStatus } from '../../storage/vault-lock';
import type { Handlers } from './fake-send';

/** A FerryError as a page receives it: an RpcError-like Error whose `data` carries the code and details. */
export function pageError(code: string, message: string, details?: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { data: new FerryError(code, message, details).toJSON() });
}

export interface FakeVaultOptions {
  state?: VaultStatus['state'];
  passphrase?: string;
  waiting?: boolean;
  autoLockMinutes?: number;
  /** Wrong tries before each further one is throttled. */
  freeAttempts?: number;
  connections?: OAuthConnectionStatus[];
}

export function fakeVault(options: FakeVaultOptions = {}) {
  let passphrase = options.passphrase ?? (options.state && options.state !== 'no-passphrase' ? 'correct horse battery' : undefined);
  let unlocked = options.state !== 'locked';
  let waiting = options.waiting ?? false;
  let autoLockMinutes = options.autoLockMinutes ?? 0;
  let failedAttempts = 0;
  let blockedUntil: number | undefined;
  const free = options.freeAttempts ?? 5;
  const connections = new Map((options.connections ?? []).map((c) => [c.name, c]));

  const status = (): VaultStatus => {
    if (passphrase === undefined) return { state: 'no-passphrase', autoLockMinutes, waiting: false, failedAttempts: 0 };
    const throttle = { failedAttempts, ...(blockedUntil && blockedUntil > Date.now() ? { unlockBlockedUntil: blockedUntil } : {}) };
    return unlocked ? { state: 'unlocked', autoLockMinutes, waiting: false, ...throttle } : { state: 'locked', autoLockMinutes, waiting, ...throttle };
  };
  const check = (given: string) => {
    if (blockedUntil && blockedUntil > Date.now()) {
      const retryAfterMs = blockedUntil - Date.now();
      throw pageError('VAULT_UNLOCK_THROTTLED', `Too many wrong passphrases. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`, { retryAfterMs, failedAttempts });
    }
    if (given !== passphrase) {
      failedAttempts += 1;
      const waitMs = failedAttempts >= free ? 1000 * 2 ** (failedAttempts - free) * 30 : 0;
      if (waitMs) blockedUntil = Date.now() + waitMs;
      throw pageError('VAULT_PASSPHRASE_WRONG', `That is not Ferry's passphrase; the vault stays locked.${waitMs ? ` Wait ${waitMs / 1000} s before the next try.` : ''}`, { failedAttempts, ...(waitMs ? { retryAfterMs: waitMs } : {}) });
    }
    failedAttempts = 0;
    blockedUntil = undefined;
  };
  const validate = (p: string) => {
    if (p.length < 8) throw pageError('VAULT_PASSPHRASE_TOO_SHORT', 'A passphrase needs at least 8 characters; a few unrelated words are easy to remember and hard to guess.');
  };

  const handlers: Handlers = {
    'vault.status': () => status(),
    'vault.setPassphrase': ({ passphrase: next, current }) => {
      validate(next);
      if (passphrase !== undefined) {
        if (!current) throw pageError('VAULT_PASSPHRASE_REQUIRED', 'Ferry already has a passphrase: give the current one to change it.');
        check(current);
      }
      passphrase = next;
      unlocked = true;
      return status();
    },
    'vault.removePassphrase': ({ current }) => {
      check(current);
      passphrase = undefined;
      unlocked = true;
      return status();
    },
    'vault.unlock': ({ passphrase: given }) => {
      check(given);
      unlocked = true;
      waiting = false;
      return status();
    },
    'vault.lock': () => {
      unlocked = false;
      return status();
    },
    'vault.setAutoLock': ({ minutes }) => {
      autoLockMinutes = minutes;
      return status();
    },
    'oauth.status': () => [...connections.values()],
    'oauth.refresh': ({ name }) => {
      const c = connections.get(name)!;
      if (c.status === 'needsReconnect') throw pageError('OAUTH_RECONNECT_NEEDED', `The OAuth connection "${name}" cannot renew its access: reconnect ${name} in Ferry's options.`);
      const next = { ...c, refreshedAt: Date.now(), expiresAt: Date.now() + 3_600_000 };
      connections.set(name, next);
      return next;
    },
    'oauth.disconnect': ({ name }) => {
      const had = connections.delete(name);
      return { disconnected: had, revoked: had ? 'revoked' : 'notConfigured' };
    },
  };
  return {
    handlers,
    status,
    connections,
    /** The background marks a run waiting (a locked vault was needed). */
    setWaiting(value: boolean) {
      waiting = value;
    },
  };
}

export function connection(name: string, extra: Partial<OAuthConnectionStatus> = {}): OAuthConnectionStatus {
  return {
    name,
    status: 'connected',
    authOrigin: 'https://auth.example.com',
    scopes: ['read', 'write'],
    tokenType: 'Bearer',
    expiresAt: Date.now() + 3_600_000,
    hasRefreshToken: true,
    redirectUri: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/',
    connectedAt: Date.now() - 60_000,
    ...extra,
  };
}
