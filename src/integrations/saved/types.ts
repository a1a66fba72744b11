/**
 * Saved integrations: the endpoints and connections a user configures once under Options →
 * Integrations and copies into pipelines. Plain types only (no zod), so storage rows and pages can
 * import them; the schemas are in schema.ts.
 */
import type { Auth } from '../../pipeline/schema/auth';
import type { ConnectionPoolInput, DatabaseConnectionInput } from './schema';

export const INTEGRATION_KINDS = ['rest', 'graphql', 'database'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** A REST API: requests go to `baseUrl` + the pipeline's path. Secrets only as `{{credentials.*}}`. */
export interface RestIntegrationConfig {
  baseUrl: string;
  headers?: Record<string, string>;
  auth?: Auth;
  /** Appended to `baseUrl` by "Test connection" (`/health`); none: the base URL itself. */
  healthPath?: string;
}

export interface GraphqlIntegrationConfig {
  endpoint: string;
  headers?: Record<string, string>;
  auth?: Auth;
}

/** The seed's `connectionConfig` (and `connectionPool`) blocks, reached through the native host. */
export interface DatabaseIntegrationConfig {
  connectionConfig: DatabaseConnectionInput;
  connectionPool?: ConnectionPoolInput;
}

export type IntegrationInput =
  | { id: string; name: string; kind: 'rest'; config: RestIntegrationConfig }
  | { id: string; name: string; kind: 'graphql'; config: GraphqlIntegrationConfig }
  | { id: string; name: string; kind: 'database'; config: DatabaseIntegrationConfig };

/** What "Test connection" found. Credentials never appear in it: every text is scrubbed first. */
export interface IntegrationTestResult {
  /** Reachable, and nothing refused (a 401 or 403 is reachable but not ok). */
  ok: boolean;
  /** Something answered: any HTTP status, or the database ran `SELECT 1`. */
  reachable: boolean;
  latencyMs: number;
  /** One line for the list: "Reachable: GET /health answered 200". */
  detail: string;
  /** What went wrong and what to do next. */
  error?: string;
  /**
   * Shown beside a passed test: it connected, but something needs the user's attention, such as a
   * PostgreSQL role that is a superuser or can reach the server's files (and what to do about it).
   */
  warning?: string;
  httpStatus?: number;
  /** Epoch ms. */
  at: number;
}

export type BreakerHealthState = 'closed' | 'open' | 'halfOpen' | 'unknown';

/** One integration's health for the popup and the options page. */
export interface IntegrationHealth {
  id: string;
  name: string;
  kind: IntegrationKind;
  /** What the runs' circuit breaker for this integration knows; `key` is the breaker's host key. */
  breaker: { key?: string; state: BreakerHealthState; openedAt?: number; updatedAt?: number };
  lastTest?: IntegrationTestResult;
}
