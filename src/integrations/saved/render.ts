/**
 * An integration's config rendered in the background: `{{env.*}}` from the user's variables and
 * `{{credentials.*}}` from the vault, into memory only, with a scrubber for any text that might
 * quote a secret back (a server's or a driver's error message).
 */
import type { JsonValue } from '../../protocol/jsonrpc';
import { compileValue, redactCredentials, renderValue, resolveCredentials, type CredentialResolver } from '../../pipeline';
import { breakerHost } from '../../resilience/breaker-registry';
import type { DatabaseIntegrationConfig, IntegrationInput } from './types';

export interface RenderDeps {
  /** The values of those of `names` that are set (EnvVars.values). */
  env(names: string[]): Promise<Record<string, string>>;
  /** Absent: the config is rendered without credentials (health keys need none). */
  resolveCredential?: CredentialResolver;
}

export interface RenderedConfig<C> {
  config: C;
  scrub(text: string): string;
}

export async function renderConfig<C>(integration: IntegrationInput, deps: RenderDeps): Promise<RenderedConfig<C>> {
  // baseUrl and endpoint render as URLs (template/url.ts): a value in their path is one encoded segment.
  const compiled = compileValue(integration.config as unknown as JsonValue, 'config', { urlKeys: ['baseUrl', 'endpoint', 'url'] });
  const env = await deps.env([...new Set(compiled.env.map((ref) => ref.name))]);
  const credentials = compiled.credentials.size > 0 && deps.resolveCredential ? await resolveCredentials(compiled.credentials, deps.resolveCredential) : undefined;
  const config = renderValue(compiled, {}, { env, ...(credentials ? { credentials } : {}) }).value as C;
  const scrub = (text: string) => (credentials ? String(redactCredentials(text, credentials, credentials.names())) : text);
  return { config, scrub };
}

/** `base` + `path` with one "/" between them; an empty path is the base itself. */
export function joinUrl(base: string, path: string | undefined): string {
  if (!path) return base;
  if (path.startsWith('?')) return `${base}${path}`;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * How the runs' audit log and circuit breaker name a database connection, as src/runs/render-host.ts
 * computes it for a step with this `connectionConfig` (host, port and database; never the user).
 */
export function databaseLabel(config: DatabaseIntegrationConfig['connectionConfig'] | Record<string, unknown>): string {
  const c = config as Record<string, unknown>;
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  if (c.type === 'sqlite') return `sqlite:${text(c.database ?? 'default')}`;
  return `postgresql:${text(c.host ?? 'localhost')}:${text(c.port ?? 5432)}/${text(c.database ?? '')}`;
}

/**
 * The key the runs' breaker registry keeps this integration's circuit under: the URL's host for
 * REST and GraphQL (breakerHost), `db:<label>` for a database. Rendered with env values only.
 */
export async function breakerKeyOf(integration: IntegrationInput, env: RenderDeps['env']): Promise<string | undefined> {
  try {
    if (integration.kind === 'database') {
      const { connectionConfig } = integration.config;
      const part = { type: connectionConfig.type, database: connectionConfig.database, host: connectionConfig.host, port: connectionConfig.port };
      const { config } = await renderConfig<Record<string, unknown>>({ ...integration, config: { connectionConfig: part } } as IntegrationInput, { env });
      return breakerHost(`db:${databaseLabel((config as { connectionConfig: Record<string, unknown> }).connectionConfig)}`);
    }
    const url = integration.kind === 'rest' ? integration.config.baseUrl : integration.config.endpoint;
    const { config } = await renderConfig<{ url: string }>({ ...integration, config: { url } } as unknown as IntegrationInput, { env });
    const host = breakerHost(config.url);
    return host.includes('://') || host.includes('{{') ? undefined : host;
  } catch {
    // A variable that is not set (or a URL that reads a credential): no key until it renders.
    return undefined;
  }
}
