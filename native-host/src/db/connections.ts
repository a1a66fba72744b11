/**
 * The host's database connections. `"default"` is `ferry.sqlite` in the host's data dir;
 * `{ type: 'sqlite', database: 'name.sqlite' }` names another file in the same dir (no paths: the
 * file sandbox decides later which other places the host may open). Each file is opened on first
 * use, in WAL mode with a busy timeout, hardened (sqlite-hardening.ts: trusted_schema off, defensive
 * mode checked), and stays open until `closeAll()` at shutdown.
 *
 * better-sqlite3 is a native addon, kept out of the bundle and loaded on first use, so a host whose
 * addon does not load still starts and answers everything but `db.*`.
 *
 * A PostgreSQL config (`type: "postgresql"`) resolves to a pooled server connection instead
 * (postgres/pools.ts), one pool per distinct config and `connectionPool` block.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { ConnectionConfig, ConnectionPoolConfig } from '../../../src/protocol';
import { ensureDir } from '../home';
import { dbError } from './db-error';
import { hardenSqlite } from './sqlite-hardening';
import { PostgresPools, type PostgresConfig, type PostgresPool } from './postgres/pools';

export type SqliteDatabase = BetterSqlite3.Database;

export const DEFAULT_DATABASE_FILE = 'ferry.sqlite';
const BUSY_TIMEOUT_MS = 5000;
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,120}$/;

export interface ConnectionTarget {
  connection?: string | ConnectionConfig;
  connectionConfig?: ConnectionConfig;
  connectionPool?: ConnectionPoolConfig;
}

export type ResolvedConnection = { engine: 'sqlite'; db: SqliteDatabase } | { engine: 'postgres'; pool: PostgresPool };

export class DatabaseConnections {
  private readonly open = new Map<string, SqliteDatabase>();
  private driver: typeof BetterSqlite3 | undefined;
  readonly postgres = new PostgresPools();

  constructor(private readonly dataDir: string) {}

  /** The engine a call names: a SQLite database, or a PostgreSQL pool. */
  resolve(target: ConnectionTarget): ResolvedConnection {
    const connection = target.connection ?? target.connectionConfig ?? 'default';
    if (typeof connection === 'object' && connection.type !== 'sqlite') {
      return { engine: 'postgres', pool: this.postgres.get(connection as PostgresConfig, target.connectionPool) };
    }
    return { engine: 'sqlite', db: this.get(target) };
  }

  /** Which engine a call names, without opening anything. */
  engine(target: ConnectionTarget): ResolvedConnection['engine'] {
    const connection = target.connection ?? target.connectionConfig ?? 'default';
    return typeof connection === 'object' && connection.type !== 'sqlite' ? 'postgres' : 'sqlite';
  }

  /** The database a call names (the default one when it names none). */
  get(target: ConnectionTarget): SqliteDatabase {
    const file = this.fileFor(target.connection ?? target.connectionConfig ?? 'default');
    let db = this.open.get(file);
    if (!db) {
      db = this.openFile(file);
      this.open.set(file, db);
    }
    return db;
  }

  /** Closes every open database (WAL is checkpointed on close) and ends every PostgreSQL pool. */
  async closeAll(): Promise<void> {
    this.closeSqlite();
    await this.postgres.closeAll();
  }

  closeSqlite(): void {
    for (const db of this.open.values()) {
      try {
        db.close();
      } catch {
        // Closing a database another call still iterates throws; the process is ending anyway.
      }
    }
    this.open.clear();
  }

  get openCount(): number {
    return this.open.size;
  }

  private fileFor(connection: string | ConnectionConfig): string {
    if (typeof connection === 'string') {
      if (connection === 'default') return DEFAULT_DATABASE_FILE;
      throw dbError('DbConnectionUnavailable', `Unknown connection ${JSON.stringify(connection)}: use "default" or { "type": "sqlite", "database": "name.sqlite" }`, { connection });
    }
    if (connection.type !== 'sqlite') {
      throw dbError('DbConnectionUnavailable', 'A PostgreSQL connection has no SQLite file', { type: connection.type });
    }
    const name = connection.database;
    if (!FILE_NAME.test(name) || name.includes('..')) {
      throw dbError('DbConnectionUnavailable', `SQLite database ${JSON.stringify(name)} must be a plain file name such as "analytics.sqlite" (letters, digits, _ . -); it is kept in the host's data dir`, { database: name });
    }
    return /\.(sqlite3?|db)$/i.test(name) ? name : `${name}.sqlite`;
  }

  private openFile(file: string): SqliteDatabase {
    const path = join(this.dataDir, file);
    try {
      ensureDir(this.dataDir);
      this.driver ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
      const db = new this.driver(path, { timeout: BUSY_TIMEOUT_MS });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      try {
        hardenSqlite(db);
      } catch (error) {
        db.close();
        throw error;
      }
      return db;
    } catch (error) {
      throw dbError('DbConnectionUnavailable', `Cannot open SQLite database ${path}: ${(error as Error).message}`, { database: file });
    }
  }
}
