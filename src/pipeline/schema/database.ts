/**
 * `database`: the seed's database blocks as one delivery step, run by the native host (`db.*`).
 * The operation block is written as the seed writes it (`operation`, `table`, `data`, `onConflict`,
 * `batchSize`, `conflictResolution`, `query`, `parameters`), with the seed's `connectionConfig`
 * (and `connectionPool`) beside it inside the step's block. Without a connection the host's embedded
 * SQLite database is used.
 *
 * Templates: `data` written as an object is rendered once per record (`{{extracted.title}}` is that
 * record's); written as one template (`"{{extractedArray}}"`) it is the batch's records; absent, the
 * records are stored as they are. `connectionConfig` may read `{{env.*}}` and `{{credentials.*}}`
 * (resolved in the background at send time); nothing else may read a credential, since what it
 * renders is written into a table.
 */
import { z } from 'zod';
import { boolean, credentialReference, integer, list, oneOf, strict, templatedJsonWithoutCredentials, templateText, templateTextWithoutCredentials, text } from './common';

export const DATABASE_OPERATIONS = ['insert', 'batchInsert', 'execute', 'select'] as const;
export const CONFLICT_MODES = ['error', 'ignore', 'update'] as const;

const NO_SECRET = 'no {{credentials.*}}: what this renders is written to the database (credentials belong in "connectionConfig")';
/** A number, or a template that renders one (`"{{env.DB_PORT}}"`). */
const numberOrTemplate = (min: number, max: number, phrase: string) => z.union([integer(min, max, phrase), templateTextWithoutCredentials(phrase)], { error: phrase });

export const DatabaseConnectionConfigSchema = strict(
  {
    type: oneOf(['sqlite', 'postgresql', 'postgres']),
    /** SQLite: a file name in the host's data folder; PostgreSQL: the database name. */
    database: templateTextWithoutCredentials('a database name (templates such as "{{env.DB_NAME}}" allowed)').optional(),
    host: templateTextWithoutCredentials('a host name or address (templates such as "{{env.DB_HOST}}" allowed)').optional(),
    port: numberOrTemplate(1, 65_535, 'a port number from 1 to 65535').optional(),
    username: templateText('a user name, or a credential reference such as "{{credentials.dbUser}}"').optional(),
    /** Never written in a pipeline: the vault supplies it when the step is sent. */
    password: credentialReference().optional(),
    ssl: z.union([boolean(), strict({ rejectUnauthorized: boolean().optional(), ca: text('a PEM certificate').optional(), servername: text('a server name').optional() })], { error: 'true, false or {"rejectUnauthorized": false}' }).optional(),
    poolSize: integer(1, 1000, 'a whole number of connections from 1 to 1000').optional(),
    /** PostgreSQL: run this step's own SQL even as a role that can reach the server's files or programs (a superuser). */
    allowPrivilegedRole: boolean().optional(),
  },
  'a connection such as {"type": "postgresql", "host": "{{env.DB_HOST}}", "database": "{{env.DB_NAME}}", "username": "{{credentials.dbUser}}", "password": "{{credentials.dbPassword}}"}',
);

export const ConnectionPoolSchema = strict(
  {
    maxConnections: integer(1, 1000, 'a whole number of connections from 1 to 1000').optional(),
    minConnections: integer(0, 1000, 'a whole number of connections from 0 to 1000').optional(),
    acquireTimeout: integer(1, 600_000, 'a number of milliseconds from 1 to 600000').optional(),
    idleTimeout: integer(0, 24 * 3_600_000, 'a number of milliseconds').optional(),
    keepAlive: boolean().optional(),
  },
  'a pool block such as {"maxConnections": 10, "acquireTimeout": 30000}',
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;
const tableName = () => text('a table name of letters, digits and "_" (optionally "schema.table")').regex(IDENTIFIER, { error: 'a table name of letters, digits and "_" (optionally "schema.table")' });
const columnName = () => text('a column name').regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, { error: 'a column name of letters, digits and "_"' });

export const DatabaseBlockSchema = strict(
  {
    operation: oneOf(DATABASE_OPERATIONS),
    /** A connection the host knows by name ("default": its embedded SQLite database). */
    connection: text('a connection name such as "default"').optional(),
    connectionConfig: DatabaseConnectionConfigSchema.optional(),
    connectionPool: ConnectionPoolSchema.optional(),
    table: tableName().optional(),
    data: templatedJsonWithoutCredentials(NO_SECRET).optional(),
    onConflict: oneOf(CONFLICT_MODES).optional(),
    conflictResolution: oneOf(CONFLICT_MODES).optional(),
    conflictTarget: z.union([columnName(), list(columnName(), 'a list of column names').min(1)], { error: 'a column name or a list of them' }).optional(),
    createTable: boolean().optional(),
    batchSize: integer(1, 100_000, 'a whole number of rows per transaction from 1 to 100000').optional(),
    query: text('an SQL statement with $1-style placeholders').optional(),
    parameters: templatedJsonWithoutCredentials(NO_SECRET).optional(),
    allowSchemaChanges: boolean().optional(),
    maxRows: integer(1, 1_000_000, 'a whole number of rows from 1 to 1000000').optional(),
  },
  'a database operation such as {"operation": "insert", "table": "extracted_data", "data": {...}, "onConflict": "update"}',
).superRefine((block, ctx) => {
  const writes = block.operation === 'insert' || block.operation === 'batchInsert';
  if (writes && block.table === undefined) ctx.addIssue({ code: 'custom', path: ['table'], message: `a table name: "${block.operation}" writes rows into it` });
  if (!writes && block.query === undefined) ctx.addIssue({ code: 'custom', path: ['query'], message: `an SQL statement: "${block.operation}" runs one` });
  const unused = (key: keyof typeof block, why: string) => {
    if (block[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `no "${key}" here: ${why}` });
  };
  if (writes) for (const key of ['query', 'parameters', 'allowSchemaChanges', 'maxRows'] as const) unused(key, `"${block.operation}" writes records, it runs no query`);
  else for (const key of ['table', 'data', 'onConflict', 'conflictResolution', 'conflictTarget', 'createTable', 'batchSize'] as const) unused(key, `"${block.operation}" runs the query; these belong to insert and batchInsert`);
  if (block.operation !== 'select') unused('maxRows', 'it only applies to select');
  if (block.operation !== 'execute') unused('allowSchemaChanges', 'it only applies to execute');
  if (block.connection !== undefined && block.connectionConfig !== undefined) ctx.addIssue({ code: 'custom', path: ['connection'], message: 'either "connection" or "connectionConfig", not both' });
  const parameters = block.parameters;
  if (parameters !== undefined && (parameters === null || typeof parameters !== 'object')) {
    ctx.addIssue({ code: 'custom', path: ['parameters'], message: 'a list of values for $1, $2, ... or an object of values for :name placeholders' });
  }
});

export type DatabaseBlock = z.output<typeof DatabaseBlockSchema>;
export type DatabaseConnectionConfig = z.output<typeof DatabaseConnectionConfigSchema>;
