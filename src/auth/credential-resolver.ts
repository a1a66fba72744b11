/**
 * The background's credential resolver for runs: `{{credentials.<connection>.accessToken}}` of an
 * OAuth connection goes through the connection (refreshed ahead of expiry), everything else through
 * the vault as before. A connection's refresh token is Ferry's alone: no template can read it.
 */
import { FerryError } from '../errors/ferry-error';
import type { CredentialResolver } from '../pipeline';
import { vaultResolver } from '../runs/vault-resolver';
import type { Vault } from '../storage/vault';
import type { OAuthConnections } from './oauth-connections';

export function credentialResolver(vault: Pick<Vault, 'resolveCredential'>, connections: Pick<OAuthConnections, 'connectionFor' | 'accessToken'>): CredentialResolver {
  const plain = vaultResolver(vault);
  return async (name) => {
    const owner = await connections.connectionFor(name);
    if (!owner) return plain(name);
    if (owner.field === 'accessToken') return connections.accessToken(owner.name);
    throw new FerryError(
      'OAUTH_REFRESH_TOKEN_RESERVED',
      `"${name}" is the refresh token of the OAuth connection "${owner.name}"; only Ferry uses it, to renew access. Send {{credentials.${owner.name}.accessToken}} instead.`,
      { credential: name },
    );
  };
}

/** For RunDeps.refreshCredential: a 401 on a request that carried a connection's access token. */
export function credentialRefresher(connections: Pick<OAuthConnections, 'refreshAfterUnauthorized'>): (name: string, renderedAt: number) => Promise<boolean> {
  return (name, renderedAt) => connections.refreshAfterUnauthorized(name, renderedAt);
}
