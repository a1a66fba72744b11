/**
 * The `db.*` methods of the catalogue: params shaped like the seed's database blocks (an optional
 * `operation` naming the method, `table`, `data`, `query`, `parameters`, `batchSize`, `onConflict` /
 * `conflictResolution`), spread into `methods` by catalogue.ts.
 */
import { z } from 'zod';
import { recordData, type DbRecord, type WriteData } from './record-table';

/** A database inside the host's data dir, by file name (`analytics.sqlite`); no paths. */
export const sqliteConnectionConfig = z.object({
  type: z.literal('sqlite'),
  database: z.string().min(1).max(200),
});

/**
 * A PostgreSQL server (the seed's `connectionConfig` block). `ssl: true` verifies the server's
 * certificate; `{ rejectUnauthorized: false }` encrypts without verifying, `ca` pins a certificate.
 */
export const postgresqlConnectionConfig = z.object({
  type: z.enum(['postgresql', 'postgres']),
  host: z.string().min(1).optional(),
  port: z.number().int().positive().max(65535).optional(),
  database: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  ssl: z.union([z.boolean(), z.object({ rejectUnauthorized: z.boolean().optional(), ca: z.string().optional(), servername: z.string().optional() })]).optional(),
  poolSize: z.number().int().positive().max(1000).optional(),
  /** Runs the pipeline's own SQL (db.select, db.execute) even when the login role can reach the server's files or programs. */
  allowPrivilegedRole: z.boolean().optional(),
});

/** The seed's `connectionPool` block (PostgreSQL): sizes and timeouts in milliseconds. */
export const connectionPoolConfig = z.object({
  maxConnections: z.number().int().positive().max(1000).optional(),
  minConnections: z.number().int().nonnegative().max(1000).optional(),
  acquireTimeout: z.number().int().positive().max(600_000).optional(),
  idleTimeout: z.number().int().nonnegative().optional(),
  keepAlive: z.boolean().optional(),
});
export type ConnectionPoolConfig = z.infer<typeof connectionPoolConfig>;

export const connectionConfig = z.discriminatedUnion('type', [sqliteConnectionConfig, postgresqlConnectionConfig]);
export type ConnectionConfig = z.infer<typeof connectionConfig>;

/** Where a call runs: `connection` (a name such as "default", or a config) or the seed's `connectionConfig`. */
const target = {
  connection: z.union([z.string().min(1), connectionConfig]).optional(),
  connectionConfig: connectionConfig.optional(),
  /** Pool settings for a PostgreSQL connection (ignored by SQLite). */
  connectionPool: connectionPoolConfig.optional(),
};

/** A value bound to a placeholder: JSON scalars only (objects are refused, not guessed at). */
const boundValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const queryParameters = z.union([z.array(boundValue), z.record(z.string(), boundValue)]);

const conflictMode = z.enum(['error', 'ignore', 'update']);
export type ConflictMode = z.infer<typeof conflictMode>;

const writeOptions = {
  table: z.string().min(1),
  /** What a duplicate key does; `conflictResolution` is the seed's batch spelling of the same. */
  onConflict: conflictMode.optional(),
  conflictResolution: conflictMode.optional(),
  /** Columns of the UNIQUE constraint a conflict is judged on (the table's key when omitted). */
  conflictTarget: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** Create the table from the records' shape when it is missing (default true). */
  createTable: z.boolean().optional(),
};

/** Rights of a PostgreSQL login role that reach beyond the pipeline's tables (native-host/src/db/postgres/role.ts). */
export const pgRoleRisk = z.enum(['superuser', 'executeServerProgram', 'readServerFiles', 'writeServerFiles', 'createRole', 'bypassRls']);
export type PgRoleRisk = z.infer<typeof pgRoleRisk>;

/**
 * Said when the role a PostgreSQL connection logs in as holds any of those rights: its name, the
 * rights, and a message for the user that says what to do. The host checks once per pool, on its
 * first use, and adds this to every result from that pool (so every run that uses it says so).
 */
export const pgRoleWarning = z.object({
  role: z.string(),
  risks: z.array(pgRoleRisk).min(1),
  message: z.string(),
});
export type PgRoleWarning = z.infer<typeof pgRoleWarning>;

const roleNote = { roleWarning: pgRoleWarning.optional() };

const writeCounts = {
  inserted: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  ignored: z.number().int().nonnegative(),
};

export const dbMethods = {
  'db.insert': {
    description: 'Inserts one record (or a few) into a table, with onConflict error, ignore or update.',
    params: z.object({
      operation: z.literal('insert').optional(),
      ...target,
      ...writeOptions,
      /** One record, records, or the same as a record table `{ columns, rows }` (record-table.ts). */
      data: recordData<DbRecord | WriteData>({ single: true, minRows: 1 }),
    }),
    result: z.object({ ...writeCounts, lastInsertRowid: z.number().optional(), tableCreated: z.boolean(), ...roleNote }),
  },
  'db.batchInsert': {
    description: 'Inserts many records, one transaction per batch of batchSize; a failed batch leaves nothing behind.',
    params: z.object({
      operation: z.literal('batchInsert').optional(),
      ...target,
      ...writeOptions,
      /** Records, or the same as a record table `{ columns, rows }` (record-table.ts). */
      data: recordData<WriteData>({ single: false, minRows: 0 }),
      batchSize: z.number().int().min(1).max(100_000).optional(),
    }),
    result: z.object({
      ...writeCounts,
      total: z.number().int().nonnegative(),
      tableCreated: z.boolean(),
      batches: z.array(z.object({ index: z.number().int().nonnegative(), rows: z.number().int().nonnegative(), ...writeCounts })),
      ...roleNote,
    }),
  },
  'db.select': {
    description: 'Runs a read-only query with bound parameters ($1.., or :name/@name/$name); large results page by cursor.',
    params: z.object({
      operation: z.literal('select').optional(),
      ...target,
      query: z.string().min(1),
      parameters: queryParameters.optional(),
      /** Rows per page (default 50,000); `nextCursor` fetches the next page. */
      maxRows: z.number().int().min(1).max(1_000_000).optional(),
      cursor: z.string().optional(),
      /** `object` (default): one object per row; `array`: values in `columns` order. */
      rowMode: z.enum(['object', 'array']).optional(),
    }),
    result: z.object({
      columns: z.array(z.string()),
      rows: z.array(z.unknown()),
      rowCount: z.number().int().nonnegative(),
      nextCursor: z.string().optional(),
      ...roleNote,
    }),
  },
  'db.execute': {
    description: 'Runs one INSERT, UPDATE or DELETE with bound parameters; DDL needs allowSchemaChanges: true.',
    params: z.object({
      operation: z.literal('execute').optional(),
      ...target,
      query: z.string().min(1),
      parameters: queryParameters.optional(),
      allowSchemaChanges: z.boolean().optional(),
    }),
    result: z.object({ changes: z.number().int().nonnegative(), lastInsertRowid: z.number().optional(), ...roleNote }),
  },
  'db.inspectRole': {
    description: 'Checks afresh which rights the login role of a PostgreSQL connection holds beyond its tables (superuser, server files, programs).',
    params: z.object(target),
    result: z.object({
      role: z.string(),
      superuser: z.boolean(),
      readServerFiles: z.boolean(),
      writeServerFiles: z.boolean(),
      executeServerProgram: z.boolean(),
      createRole: z.boolean(),
      bypassRls: z.boolean(),
      /** Off only behind something that drops Ferry's startup options; then no pipeline SQL runs on the connection. */
      standardConformingStrings: z.boolean(),
      /** The server's version as a number (150020 for 15.20). */
      serverVersionNum: z.number().int(),
      /** Present when any of the above reaches beyond the pipeline's tables. */
      warning: pgRoleWarning.optional(),
    }),
  },
} as const;

/**
 * Whether the host runs no pipeline SQL (db.select, db.execute) through a login role without the
 * connection's `allowPrivilegedRole`: it can reach the server's files or programs, or (CREATEROLE
 * before PostgreSQL 16) grant itself the roles that can. The host's privileged-role.ts decides the
 * same from the same facts; Test connection uses this to say so.
 */
export function roleReachesServer(facts: { superuser: boolean; readServerFiles: boolean; writeServerFiles: boolean; executeServerProgram: boolean; createRole: boolean; serverVersionNum: number }): boolean {
  return facts.superuser || facts.readServerFiles || facts.writeServerFiles || facts.executeServerProgram || (facts.createRole && facts.serverVersionNum < 160000);
}
