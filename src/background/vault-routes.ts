/**
 * The vault lock's and OAuth connections' message handlers, for Ferry's own pages only. None returns
 * a secret: statuses, names, times and error codes.
 */
import type { Routes } from '../messaging/router';
import type { RunEngine } from './run-engine';

type VaultRouteType =
  | 'vault.status' | 'vault.setPassphrase' | 'vault.removePassphrase' | 'vault.unlock' | 'vault.lock' | 'vault.setAutoLock'
  | 'oauth.connect' | 'oauth.status' | 'oauth.refresh' | 'oauth.disconnect';

export function vaultRoutes(engine: RunEngine): Pick<Routes, VaultRouteType> {
  const lock = () => engine.vaultLock();
  const oauth = () => engine.oauth();
  const page = ['extension-page'] as const;
  return {
    'vault.status': { allow: page, handle: async () => (await lock()).status() },
    'vault.setPassphrase': { allow: page, handle: async ({ passphrase, current }) => (await lock()).setPassphrase(passphrase, current) },
    'vault.removePassphrase': { allow: page, handle: async ({ current }) => (await lock()).removePassphrase(current) },
    'vault.unlock': { allow: page, handle: async ({ passphrase }) => (await lock()).unlock(passphrase) },
    'vault.lock': { allow: page, handle: async () => (await lock()).lock() },
    'vault.setAutoLock': { allow: page, handle: async ({ minutes }) => (await lock()).setAutoLock(minutes) },
    // The sign-in window opens from the background; the answer comes when the user has finished.
    'oauth.connect': { allow: page, handle: async ({ name, oauthConfig }) => (await oauth()).connect(name, oauthConfig) },
    'oauth.status': { allow: page, handle: async (input) => (await oauth()).status(input?.name) },
    'oauth.refresh': { allow: page, handle: async ({ name }) => (await oauth()).refresh(name) },
    'oauth.disconnect': { allow: page, handle: async ({ name }) => (await oauth()).disconnect(name) },
  };
}
