/**
 * Adapts the vault to the templates' credential resolver. A missing credential resolves to
 * undefined, so rendering fails with TEMPLATE_MISSING_CREDENTIAL, whose message names the template
 * and says where to add it; a locked or unreadable vault still throws its own error.
 */
import { isFerryError } from '../errors/ferry-error';
import type { CredentialResolver } from '../pipeline';
import type { Vault } from '../storage/vault';

export function vaultResolver(vault: Pick<Vault, 'resolveCredential'>): CredentialResolver {
  return async (name) => {
    try {
      return await vault.resolveCredential(name);
    } catch (error) {
      if (isFerryError(error, 'CREDENTIAL_NOT_FOUND')) return undefined;
      throw error;
    }
  };
}
