/**
 * "Test connection" for a saved integration, run in the background: one request with the
 * integration's own headers and auth (credentials resolved from the vault, only into memory), or
 * `SELECT 1` through the native host for a database; for PostgreSQL also `db.inspectRole`, whose
 * warning (a superuser, a role that can reach the server's files) is shown beside "Connected". Not
 * through the runs' circuit breaker: a test is the user asking, and it must not open or close
 * anyone's circuit. Every text in the result is scrubbed of the credentials it used.
 */
import { isFerryError } from '../../errors/ferry-error';
import { roleReachesServer } from '../../protocol/db-methods';
import { isRpcError } from '../../protocol/errors';
import type { Auth } from '../../pipeline/schema/auth';
import type { CredentialResolver } from '../../pipeline';
import { sendGraphQLRequest } from '../graphql/client';
import type { HostCaller } from '../host/call';
import { sendHttpRequest } from '../http/request';
import type { HttpAuth } from '../http/types';
import { databaseLabel, joinUrl, renderConfig, type RenderDeps } from './render';
import type { DatabaseIntegrationConfig, GraphqlIntegrationConfig, IntegrationInput, IntegrationTestResult, RestIntegrationConfig } from './types';

export interface TestConnectionDeps extends RenderDeps {
  resolveCredential: CredentialResolver;
  /** The background's NativeClient: database tests run `SELECT 1` through the host. */
  host?: HostCaller;
  fetch?: typeof fetch;
  now?: () => number;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export async function testIntegration(integration: IntegrationInput, deps: TestConnectionDeps): Promise<IntegrationTestResult> {
  const at = (deps.now ?? Date.now)();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let scrub = (text: string) => text;
  try {
    if (integration.kind === 'database') {
      const rendered = await renderConfig<DatabaseIntegrationConfig>(integration, deps);
      scrub = rendered.scrub;
      return await testDatabase(rendered.config, deps, at, started, scrub);
    }
    const rendered = await renderConfig<RestIntegrationConfig | GraphqlIntegrationConfig>(integration, deps);
    scrub = rendered.scrub;
    return await testHttp(integration.kind, rendered.config, deps, at, started);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = isFerryError(error) ? error.code : isRpcError(error) ? error.codeName : undefined;
    const hint = code === 'NETWORK_ERROR' ? ' Check that the server is running and the address is right; if it is, Ferry may need access to it ("Allow" beside the integration).' : '';
    return { ok: false, reachable: false, latencyMs: elapsed(), detail: headline(code), error: scrub(`${message}${hint}`), at };
  }
}

function headline(code: string | undefined): string {
  switch (code) {
    case 'NETWORK_ERROR':
      return 'Not reachable';
    case 'TIMEOUT':
      return 'No answer in time';
    case 'TEMPLATE_MISSING_CREDENTIAL':
    case 'TEMPLATE_MISSING_PATH':
    case 'VAULT_LOCKED':
      return 'Not tested: a credential or variable is missing';
    case 'DbConnectionUnavailable':
      return 'Database not reachable';
    case 'HostNotInstalled':
    case 'HostDisconnected':
      return 'Native host not available';
    default:
      return 'Failed';
  }
}

async function testHttp(kind: 'rest' | 'graphql', config: RestIntegrationConfig | GraphqlIntegrationConfig, deps: TestConnectionDeps, at: number, started: number): Promise<IntegrationTestResult> {
  const timeout = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const auth = config.auth ? toHttpAuth(config.auth) : undefined;
  let status: number;
  let what: string;
  if (kind === 'rest') {
    const rest = config as RestIntegrationConfig;
    const url = joinUrl(rest.baseUrl, rest.healthPath);
    const attempt = await sendHttpRequest({ method: 'GET', url, ...(rest.headers ? { headers: rest.headers } : {}), ...(auth ? { auth } : {}), timeout, responseType: 'text' }, deps.fetch ? { fetch: deps.fetch } : {});
    status = attempt.status;
    what = `GET ${pathOf(url)}`;
  } else {
    const gql = config as GraphqlIntegrationConfig;
    const attempt = await sendGraphQLRequest({ endpoint: gql.endpoint, query: '{ __typename }', ...(gql.headers ? { headers: gql.headers } : {}), ...(auth ? { auth } : {}), timeout, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    status = attempt.status;
    what = 'POST { __typename }';
  }
  const latencyMs = Math.round(performance.now() - started);
  if (status === 401 || status === 403) {
    return {
      ok: false, reachable: true, latencyMs, httpStatus: status, at,
      detail: `Reachable, credentials refused (${what} answered ${status})`,
      error: `The server answered ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}: check the auth settings and the credential they name (Credentials section).`,
    };
  }
  return { ok: true, reachable: true, latencyMs, httpStatus: status, at, detail: `Reachable: ${what} answered ${status}` };
}

async function testDatabase(config: DatabaseIntegrationConfig, deps: TestConnectionDeps, at: number, started: number, scrub: (text: string) => string): Promise<IntegrationTestResult> {
  const label = databaseLabel(config.connectionConfig);
  if (!deps.host) return { ok: false, reachable: false, latencyMs: 0, at, detail: 'Not tested', error: 'Databases are reached through Ferry’s native host, and there is no connection to it here.' };
  const connectionConfig = { ...config.connectionConfig } as Record<string, unknown>;
  // A port rendered from {{env.DB_PORT}} is text: the host wants a number (as render-host.ts does).
  if (typeof connectionConfig.port === 'string' && /^\d+$/.test(connectionConfig.port.trim())) connectionConfig.port = Number(connectionConfig.port.trim());
  const target = { connectionConfig, ...(config.connectionPool ? { connectionPool: config.connectionPool } : {}) };
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS * 2;
  if (connectionConfig.type === 'sqlite') {
    await deps.host.call('db.select', { ...target, query: 'SELECT 1' } as never, { timeoutMs });
    return { ok: true, reachable: true, latencyMs: Math.round(performance.now() - started), at, detail: `Connected: SELECT 1 on ${label}` };
  }
  // The role first, checked afresh (a pool remembers it from its first use, and the user may just
  // have fixed it): the host runs no pipeline SQL, SELECT 1 included, as a role that reaches the
  // server's files unless the connection allows it, and then that is what the user needs to hear.
  const role = await deps.host.call('db.inspectRole', target as never, { timeoutMs });
  if (roleReachesServer(role) && connectionConfig.allowPrivilegedRole !== true) {
    const warning = `${role.warning?.message ?? `Ferry logs in as “${role.role}”, which can reach the database server’s files or programs.`} Until then Ferry runs none of this connection’s own SQL (select and execute steps); inserts still run. To run it anyway, set "allowPrivilegedRole": true on the connection.`;
    return { ok: true, reachable: true, latencyMs: Math.round(performance.now() - started), at, detail: scrub(`Connected as ${role.role} on ${label}`), warning: scrub(warning) };
  }
  await deps.host.call('db.select', { ...target, query: 'SELECT 1' } as never, { timeoutMs });
  const latencyMs = Math.round(performance.now() - started);
  return { ok: true, reachable: true, latencyMs, at, detail: `Connected: SELECT 1 on ${label}`, ...(role.warning ? { warning: scrub(role.warning.message) } : {}) };
}

/** The pipelines' auth block (rendered) as the HTTP layer takes it. */
function toHttpAuth(auth: Auth): HttpAuth {
  if (auth.type === 'apiKey') return { type: 'apiKey', in: auth.in ?? 'header', name: auth.name, value: auth.value };
  return auth;
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}
