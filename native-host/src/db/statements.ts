/**
 * What `db.execute` agrees to run. Row changes (INSERT, UPDATE, DELETE, REPLACE, and WITH ... before
 * them) always; `CREATE ... IF NOT EXISTS` always (creating what is missing changes nothing that
 * exists); other schema changes (DROP, ALTER, CREATE without IF NOT EXISTS, PRAGMA, VACUUM, ...) only
 * with `allowSchemaChanges: true`; never ATTACH/DETACH (they open files outside the data dir) nor
 * transaction control (a transaction left open across calls would hold every other call hostage).
 */
import { dbError } from './db-error';
import { leadingKeywords } from './sql-params';

const ROW_CHANGES = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH']);
const NEVER = new Set(['ATTACH', 'DETACH', 'BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);

export function checkExecutable(sql: string, allowSchemaChanges: boolean): void {
  const words = leadingKeywords(sql);
  const first = words[0];
  if (!first) throw dbError('DbQueryFailed', 'The query is empty');
  if (ROW_CHANGES.has(first)) return;
  if (NEVER.has(first)) {
    throw dbError('DbSchemaChangeRefused', `${first} is not run by db.execute: ${first === 'ATTACH' || first === 'DETACH' ? 'databases are opened through the connection, inside the host\'s data dir' : 'each call is its own transaction (use db.batchInsert for many rows in one)'}`, { statement: first });
  }
  if (first === 'SELECT' || first === 'VALUES') throw dbError('DbQueryFailed', 'db.execute runs statements that change rows; use db.select for queries', { statement: first });
  if (first === 'CREATE' && words.join(' ').includes('IF NOT EXISTS')) return;
  if (!allowSchemaChanges) {
    throw dbError('DbSchemaChangeRefused', `${first} changes the database's schema; set allowSchemaChanges: true on db.execute if that is intended`, { statement: first });
  }
}
