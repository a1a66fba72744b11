/**
 * One pg.Pool per distinct PostgreSQL config (connectionConfig + connectionPool), keyed by a hash of
 * both so the password is never a map key, a log field or part of a message. Pools are created on
 * first use and ended at host shutdown.
 *
 * Pool settings: max = connectionPool.maxConnections ?? connectionConfig.poolSize ?? 10,
 * min = minConnections, acquire timeout (pg's connectionTimeoutMillis: how long a call waits for a
 * free connection, and for a new one to connect) = acquireTimeout ?? 10 s, idleTimeoutMillis =
 * idleTimeout ?? 30 s, keepAlive ?? true, ssl as given.
 *
 * Every call gets its connection through `with()`, which returns it clean (session-reset.ts) or
 * destroys it, cancels its statement on the server when the call's signal aborts (cancel.ts), and
 * on the pool's first use checks what the login role may do beyond its tables (role.ts).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { ConnectionConfig, ConnectionPoolConfig } from '../../../../src/protocol';
import type { PgRoleWarning } from '../../../../src/protocol';
import type { Logger } from '../../logger';
import { dbError } from '../db-error';
import { cancelOnServer } from './cancel';
import { isConnectionLost, throwPg, type PgTargetInfo } from './errors';
import { readRoleFacts, roleWarning, type PgRoleFacts } from './role';
import { resetSession } from './session-reset';

export type PostgresConfig = Extract<ConnectionConfig, { type: 'postgresql' | 'postgres' }>;

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/**
 * How long a cancelled call's statement may keep its connection after the cancel request was sent
 * (a server behind a proxy that drops cancel requests): then the connection is destroyed, which
 * frees its place in the pool at once.
 */
export const CANCEL_GRACE_MS = 5000;

/** What a call brings to `with()`: its signal (`$/cancelRequest`, host shutdown) and its logger. */
export interface PgCall {
  signal?: AbortSignal;
  log?: Logger;
}

export type PgRoleReport = PgRoleFacts & { warning?: PgRoleWarning };

/** int8 as a number when exact (counts, ids), else text; timestamptz as ISO text; dates and numerics kept exact. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (format === 'binary') return pg.types.getTypeParser(oid, format as 'binary') as (value: string) => unknown;
    switch (oid) {
      case 20: // int8
      case 1700: // numeric
        return (value: string) => {
          const n = Number(value);
          return Number.isFinite(n) && (oid === 1700 ? String(n) === value : Number.isSafeInteger(n)) ? n : value;
        };
      case 1184: // timestamptz
        return (value: string) => {
          const date = pg.types.getTypeParser(1184, 'text')(value) as Date;
          return Number.isNaN(date.getTime?.()) ? value : date.toISOString();
        };
      case 1114: // timestamp without time zone: the server's text, untouched
      case 1082: // date
        return (value: string) => value;
      default:
        return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
    }
  },
};

export class PostgresPool {
  readonly pool: pg.Pool;
  readonly server: PgTargetInfo;
  private readonly max: number;
  private readonly acquireTimeoutMs: number;

  constructor(config: PostgresConfig, poolConfig: ConnectionPoolConfig = {}) {
    this.server = { host: config.host ?? 'localhost', port: config.port ?? 5432, database: config.database, user: config.username };
    this.max = poolConfig.maxConnections ?? config.poolSize ?? DEFAULT_POOL_SIZE;
    this.acquireTimeoutMs = poolConfig.acquireTimeout ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
    this.pool = new pg.Pool({
      host: this.server.host,
      port: this.server.port,
      database: config.database,
      user: config.username,
      password: config.password,
      ssl: config.ssl,
      max: this.max,
      min: Math.min(poolConfig.minConnections ?? 0, this.max),
      connectionTimeoutMillis: this.acquireTimeoutMs,
      idleTimeoutMillis: poolConfig.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
      keepAlive: poolConfig.keepAlive ?? true,
      application_name: 'ferry-host',
      // classify.ts reads SQL as PostgreSQL does with these two settings; a role or database set to
      // standard_conforming_strings=off or to a client encoding such as SJIS would read some quotes and
      // backslashes differently from it. Startup options override role and database settings.
      options: '-c standard_conforming_strings=on -c client_encoding=UTF8',
      types,
    });
    // An idle connection that dies (server restart, pg_terminate_backend) is dropped by the pool; without a
    // listener the 'error' event would end the host.
    this.pool.on('error', () => undefined);
  }

  /**
   * A connection from the pool; DbPoolExhausted when all stay busy for the acquire timeout. An abort
   * stops the wait at once: a connection the pool hands over later goes straight back, unused.
   */
  async acquire(signal?: AbortSignal): Promise<pg.PoolClient> {
    signal?.throwIfAborted();
    const full = this.pool.totalCount >= this.max && this.pool.idleCount === 0;
    try {
      const connecting = this.pool.connect();
      const client = await (signal ? abortable(connecting, signal, (late) => late.release()) : connecting);
      client.on('error', () => undefined);
      return client;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (full && error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message)) {
        throw dbError('DbPoolExhausted', `All ${this.max} connections of the PostgreSQL pool for ${this.server.host}:${this.server.port} stayed busy for ${this.acquireTimeoutMs} ms (acquireTimeout); retry later, raise poolSize / connectionPool.maxConnections or acquireTimeout, or shorten the calls holding them`, { poolSize: this.max, acquireTimeout: this.acquireTimeoutMs });
      }
      if (error instanceof Error && /timeout/i.test(error.message) && !(error as { code?: string }).code) {
        throw dbError('DbConnectionUnavailable', `PostgreSQL at ${this.server.host}:${this.server.port} did not accept a connection within ${this.acquireTimeoutMs} ms (acquireTimeout); check host, port and firewalls`, { acquireTimeout: this.acquireTimeoutMs });
      }
      throwPg(error, { server: this.server });
    }
  }

  /**
   * Runs `fn` on a pooled connection. Afterwards, whatever happened, the connection goes back with
   * its session reset, or is destroyed when it broke or the reset failed. When `call.signal` aborts,
   * the running statement is cancelled on the server; the connection is reset only after the
   * server took the cancel (so it cannot hit the reset or the next call), or destroyed when the
   * statement still runs CANCEL_GRACE_MS later.
   */
  async with<T>(fn: (client: pg.PoolClient) => Promise<T>, call: PgCall = {}, checkRole = true): Promise<T> {
    const { signal } = call;
    const client = await this.acquire(signal);
    let cancelled: Promise<boolean> | undefined;
    const onAbort = () => {
      cancelled ??= cancelOnServer(client, this.server);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let broken: Error | undefined;
    try {
      if (checkRole && this.role === undefined) {
        await this.inspectRole(client, call.log).catch((error: unknown) => {
          // Kept so a refusal of the pipeline's SQL can say why the role could not be checked.
          this.roleError = error instanceof Error ? error.message : String(error);
        });
      }
      signal?.throwIfAborted();
      const work = fn(client);
      return await (signal ? this.untilCancelled(work, signal, () => cancelled) : work);
    } catch (error) {
      if (error === ABANDONED) broken = ABANDONED;
      else if (isConnectionLost(error) || isConnectionLost((error as { cause?: unknown })?.cause)) broken = error as Error;
      throw signal?.aborted ? signal.reason : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (cancelled) await cancelled;
      broken ??= await resetSession(client);
      client.release(broken ?? undefined);
    }
  }

  /** `work`'s outcome; ABANDONED when the signal aborted and the statement outlived the cancel by CANCEL_GRACE_MS. */
  private untilCancelled<T>(work: Promise<T>, signal: AbortSignal, cancelled: () => Promise<boolean> | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const giveUp = () => {
        void cancelled()?.finally(() => {
          timer = setTimeout(() => reject(ABANDONED), CANCEL_GRACE_MS);
          timer.unref();
        });
      };
      if (signal.aborted) giveUp();
      else signal.addEventListener('abort', giveUp, { once: true });
      work.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', giveUp);
      });
    });
  }

  /** What the login role may do beyond its tables, as last checked (undefined before the first check). */
  role: PgRoleReport | undefined;
  /** Why the last check of the role failed, while none succeeded. */
  roleError: string | undefined;
  private loggedRisks = '';

  /** The warning to add to a call's result, when the role holds rights beyond its tables. */
  get roleWarning(): PgRoleWarning | undefined {
    return this.role?.warning;
  }

  /** Checks the role afresh on a connection of its own (Test connection): the answer replaces the pool's. */
  checkRole(call: PgCall = {}): Promise<PgRoleReport> {
    return this.with((client) => this.inspectRole(client, call.log), call, false);
  }

  /** Reads the role's rights on `client` and logs a warning once per pool (again only if they change). */
  private async inspectRole(client: pg.PoolClient, log: Logger | undefined): Promise<PgRoleReport> {
    const facts = await readRoleFacts(client);
    const warning = roleWarning(facts);
    this.role = { ...facts, ...(warning ? { warning } : {}) };
    this.roleError = undefined;
    const risks = warning?.risks.join(',') ?? '';
    if (risks !== this.loggedRisks) {
      this.loggedRisks = risks;
      const where = { server: `${this.server.host}:${this.server.port}/${this.server.database ?? ''}`, role: facts.role };
      if (warning) log?.warn('PostgreSQL login role holds rights beyond its tables; use a least-privilege role', { ...where, risks });
      else log?.info('PostgreSQL login role no longer holds rights beyond its tables', where);
    }
    return this.role;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

/** Thrown inside `with()` when a cancelled statement kept running: the connection is destroyed. */
const ABANDONED = new Error('the cancelled statement kept running; its connection is closed');

/** `promise`, unless `signal` aborts first; what it resolves to afterwards goes to `late`. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal, late: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      promise.then(late, () => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class PostgresPools {
  private readonly pools = new Map<string, PostgresPool>();

  get(config: PostgresConfig, poolConfig: ConnectionPoolConfig | undefined): PostgresPool {
    const template = Object.entries(config).find(([, v]) => typeof v === 'string' && /\{\{.*\}\}/.test(v));
    if (template) {
      throw dbError('DbConnectionUnavailable', `connectionConfig.${template[0]} is still a template (${template[0] === 'password' ? 'value hidden' : template[1] as string}); fill it in (the pipeline resolves {{...}} before calling the host)`, { field: template[0] });
    }
    const key = createHash('sha256').update(JSON.stringify([config, poolConfig ?? {}])).digest('hex');
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new PostgresPool({ ...config, type: 'postgresql' }, poolConfig);
      this.pools.set(key, pool);
    }
    return pool;
  }

  get size(): number {
    return this.pools.size;
  }

  /** Ends every pool (waits for checked-out connections up to `timeoutMs`). */
  async closeAll(timeoutMs = 2000): Promise<void> {
    const ending = [...this.pools.values()].map((p) => p.end().catch(() => undefined));
    this.pools.clear();
    await Promise.race([Promise.all(ending), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }
}
