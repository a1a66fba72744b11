/**
 * `nextCursor` of `db.select`: the offset of the next page, bound to the query and its parameters by
 * a fingerprint, so a cursor passed with another query answers DbBadParameter. Same for both engines.
 */
import { createHash } from 'node:crypto';
import { dbError } from './db-error';

export function queryFingerprint(query: string, parameters: unknown): string {
  return createHash('sha256').update(query).update(JSON.stringify(parameters ?? null)).digest('base64url').slice(0, 12);
}

export function makeCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

export function readCursor(cursor: string, fingerprint: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
    if (parsed.f === fingerprint && Number.isInteger(parsed.o) && (parsed.o as number) >= 0) return parsed.o as number;
  } catch {
    // Falls through to the error below.
  }
  throw dbError('DbBadParameter', 'The cursor does not belong to this query and parameters; pass the nextCursor of the previous page of the same query');
}
