/**
 * Returns a pooled PostgreSQL connection to the state a fresh one has, so nothing one call did
 * reaches the next: an open or aborted transaction is rolled back, then `DISCARD ALL` drops what SQL
 * can leave on a session even after COMMIT — settings (`set_config(..., false)`, a role), temporary
 * tables, prepared statements, cursors, advisory locks, LISTEN. DISCARD ALL cannot run inside a
 * transaction, hence the ROLLBACK first (a second round trip only when one is open).
 *
 * Run after every call, not only after those that look like they changed something: any statement
 * can change session state through a function or a trigger, and finding out costs a round trip too.
 * Measured on this machine (PostgreSQL 15, loopback): DISCARD ALL takes 40-50 µs, on top of about
 * 220 µs for the four round trips of the smallest db.select and well under the host's own
 * frame round trip.
 */
import type pg from 'pg';

/** Resolves with the error that left the connection unusable (destroy it), or undefined when it is clean. */
export async function resetSession(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    if (client.getTransactionStatus() !== 'I') await client.query('ROLLBACK');
    await client.query('DISCARD ALL');
    forgetPreparedStatements(client);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * node-postgres remembers which named statements it parsed on this connection and skips Parse the
 * next time (`connection.parsedStatements`); DISCARD ALL deallocated them on the server, so the
 * client must forget them too or a later named query would run a statement that no longer exists.
 */
function forgetPreparedStatements(client: pg.PoolClient): void {
  const connection = (client as unknown as { connection?: { parsedStatements?: Record<string, string>; submittedNamedStatements?: Record<string, unknown> } }).connection;
  if (connection?.parsedStatements) connection.parsedStatements = {};
  if (connection?.submittedNamedStatements) connection.submittedNamedStatements = {};
}
