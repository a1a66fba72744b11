/**
 * Error codes of the host's `db.*` methods, a block of their own (-32040..-32049) inside the host's
 * application range, spread into `ErrorCode` by errors.ts. Each says what went wrong in terms a
 * pipeline author can act on; `data` carries the details (table, column, SQLite's code or PostgreSQL's SQLSTATE).
 */
export const DbErrorCode = {
  /** A row collides with a UNIQUE or PRIMARY KEY constraint (onConflict "error"). */
  DbUniqueViolation: -32040,
  /** NOT NULL, CHECK or FOREIGN KEY refused a row. */
  DbConstraintViolation: -32041,
  /** The statement names a table that does not exist. */
  DbTableNotFound: -32042,
  /** The statement names a column the table does not have. */
  DbColumnNotFound: -32043,
  /** Parameters do not match the query's placeholders (count, names or types). */
  DbBadParameter: -32044,
  /** A table or column name is not a valid identifier. */
  DbInvalidIdentifier: -32045,
  /** DDL (DROP, ALTER, ...) without `allowSchemaChanges: true`, or a statement the method never runs. */
  DbSchemaChangeRefused: -32046,
  /** The database rejected the statement (syntax error, several statements, ...). */
  DbQueryFailed: -32047,
  /** The connection is unknown or its database cannot be opened or reached. */
  DbConnectionUnavailable: -32048,
  /** Every connection of a PostgreSQL pool stayed busy for the whole acquire timeout. */
  DbPoolExhausted: -32049,
} as const;
