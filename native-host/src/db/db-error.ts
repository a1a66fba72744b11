/** Shorthand for the `db.*` errors of the shared table. */
import { ErrorCode, RpcError } from '../../../src/protocol';

export type DbErrorName =
  | 'DbUniqueViolation'
  | 'DbConstraintViolation'
  | 'DbTableNotFound'
  | 'DbColumnNotFound'
  | 'DbBadParameter'
  | 'DbInvalidIdentifier'
  | 'DbSchemaChangeRefused'
  | 'DbQueryFailed'
  | 'DbConnectionUnavailable'
  | 'DbPoolExhausted';

export function dbError(name: DbErrorName, message: string, data?: Record<string, unknown>): RpcError {
  return new RpcError(ErrorCode[name], message, { codeName: name, ...data });
}
