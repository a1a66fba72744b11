/**
 * One pg.Pool per distinct PostgreSQL config (connectionConfig + connectionPool), keyed by a hash of
 * both so the password is never a map key, a log field or part of a message. Pools are created on
 * first use and ended at host shutdown.
 *
 * Pool settings: max = connectionPool.maxConnections ?? connectionConfig.poolSize ?? 10,
 * min = minConnections, acquire timeout (pg's connectionTimeoutMillis: how long a call waits for a
 * free connection, and for a new one to connect) = acquireTimeout ?? 10 s, idleTimeoutMillis =
 * idleTimeout ?? 30 s, keepAlive ?? true, ssl as given.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { ConnectionConfig, ConnectionPoolConfig } from '../../../../src/protocol';
import { dbError } from '../db-error';
import { isConnectionLost, throwPg, type PgTargetInfo } from './errors';

export type PostgresConfig = Extract<ConnectionConfig, { type: 'postgresql' | 'postgres' }>;

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

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

  /** A connection from the pool; DbPoolExhausted when all stay busy for the acquire timeout. */
  async acquire(): Promise<pg.PoolClient> {
    const full = this.pool.totalCount >= this.max && this.pool.idleCount === 0;
    try {
      const client = await this.pool.connect();
      client.on('error', () => undefined);
      return client;
    } catch (error) {
      if (full && error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message)) {
        throw dbError('DbPoolExhausted', `All ${this.max} connections of the PostgreSQL pool for ${this.server.host}:${this.server.port} stayed busy for ${this.acquireTimeoutMs} ms (acquireTimeout); retry later, raise poolSize / connectionPool.maxConnections or acquireTimeout, or shorten the calls holding them`, { poolSize: this.max, acquireTimeout: this.acquireTimeoutMs });
      }
      if (error instanceof Error && /timeout/i.test(error.message) && !(error as { code?: string }).code) {
        throw dbError('DbConnectionUnavailable', `PostgreSQL at ${this.server.host}:${this.server.port} did not accept a connection within ${this.acquireTimeoutMs} ms (acquireTimeout); check host, port and firewalls`, { acquireTimeout: this.acquireTimeoutMs });
      }
      throwPg(error, { server: this.server });
    }
  }

  /** Runs `fn` on a pooled connection, returning it afterwards (destroyed when it broke). */
  async with<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (error) {
      if (isConnectionLost(error) || isConnectionLost((error as { cause?: unknown })?.cause)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken ?? undefined);
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
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
