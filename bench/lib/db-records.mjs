/**
 * The rows both sides of bench:db insert, and the raw baseline: better-sqlite3 in this process with
 * the same table shape Ferry's host creates, one prepared INSERT, `batchSize` rows per transaction.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Keep in step with the generator in bench/lib/db-workloads.mjs. */
export function benchRecord(i) {
  return {
    id: i,
    name: `Customer ${i}`,
    email: `customer${i}@example.test`,
    amount: Math.round(i * 137.5) / 100,
    active: i % 3 !== 0,
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  };
}

/**
 * Raw better-sqlite3: the same rows into `file` (WAL, as the host opens its databases), timed from
 * the first row built to the last commit. Returns { ms, inserted }.
 */
export function rawSqliteInsert({ file, table, n, offset, batchSize }) {
  const Database = require('better-sqlite3');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE IF NOT EXISTS "${table}" ("id" INTEGER, "name" TEXT, "email" TEXT, "amount" REAL, "active" INTEGER, "createdAt" TEXT)`);
    const insert = db.prepare(`INSERT INTO "${table}" ("id", "name", "email", "amount", "active", "createdAt") VALUES (?, ?, ?, ?, ?, ?)`);
    const insertBatch = db.transaction((rows) => {
      for (const r of rows) insert.run(r.id, r.name, r.email, r.amount, r.active ? 1 : 0, r.createdAt);
    });
    const t0 = performance.now();
    for (let start = 0; start < n; start += batchSize) {
      const rows = [];
      for (let i = start; i < Math.min(n, start + batchSize); i++) rows.push(benchRecord(offset + i));
      insertBatch(rows);
    }
    return { ms: performance.now() - t0, inserted: n };
  } finally {
    db.close();
  }
}

/** What a table holds: its row count, and rows `ids` as stored, to compare with what was sent. */
export function readBack({ file, table, ids }) {
  const Database = require('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    const count = db.prepare(`SELECT count(*) AS n FROM "${table}"`).get().n;
    const distinct = db.prepare(`SELECT count(DISTINCT "id") AS n FROM "${table}"`).get().n;
    const rows = ids.map((id) => db.prepare(`SELECT * FROM "${table}" WHERE "id" = ?`).get(id));
    return { count, distinct, rows };
  } finally {
    db.close();
  }
}
