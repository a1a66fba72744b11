/**
 * Options → Integrations: saved REST and GraphQL endpoints and database connections, their "Test
 * connection" and their health. Ferry's pages only; no route ever returns a credential (configs
 * hold references, and test results are scrubbed).
 */
import type { HostCaller } from '../integrations/host/call';
import { integrationHealth } from '../integrations/saved/health';
import { testIntegration } from '../integrations/saved/test-connection';
import type { Routes } from '../messaging/router';
import { FerryError } from '../errors/ferry-error';
import type { CredentialResolver } from '../pipeline';
import { vaultResolver } from '../runs/vault-resolver';
import type { Repositories } from '../storage/repositories';

type IntegrationRouteNames = 'integrations.list' | 'integrations.save' | 'integrations.delete' | 'integrations.test' | 'integrations.health';

export interface IntegrationRouteDeps {
  repos(): Promise<Repositories>;
  /** The background's NativeClient (database tests). */
  host: HostCaller;
  /**
   * How `{{credentials.*}}` resolve, as runs resolve them (the vault, and OAuth connections' tokens,
   * refreshed when due; a refresh token is never handed out). Default: the vault alone.
   */
  credentials?: () => Promise<CredentialResolver>;
  /** Tests pass their own fetch; the background uses the global one. */
  fetch?: typeof fetch;
}

export function integrationRoutes(deps: IntegrationRouteDeps): Pick<Routes, IntegrationRouteNames> {
  return {
    'integrations.list': { allow: ['extension-page'], handle: async () => (await deps.repos()).integrations.list() },
    'integrations.save': { allow: ['extension-page'], handle: async ({ integration, create }) => (await deps.repos()).integrations.save(integration, { create: create === true }) },
    'integrations.delete': { allow: ['extension-page'], handle: async ({ id }) => ({ deleted: await (await deps.repos()).integrations.delete(id) }) },
    'integrations.test': {
      allow: ['extension-page'],
      handle: async ({ id }) => {
        const repos = await deps.repos();
        const integration = await repos.integrations.get(id);
        if (!integration) throw new FerryError('INTEGRATION_NOT_FOUND', `There is no integration "${id}". It may have been deleted; reload the list.`, { id });
        const result = await testIntegration(integration, {
          env: (names) => repos.env.values(names),
          resolveCredential: deps.credentials ? await deps.credentials() : vaultResolver(repos.vault),
          host: deps.host,
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        });
        await repos.integrations.recordTest(id, result);
        return result;
      },
    },
    'integrations.health': {
      allow: ['extension-page'],
      handle: async () => {
        const repos = await deps.repos();
        return integrationHealth(await repos.integrations.list(), {
          env: (names) => repos.env.values(names),
          breakerRow: (key) => repos.db.breakerState.get(key),
        });
      },
    },
  };
}
