/**
 * The rows both sides of bench:db insert, and the raw baselines in this process: better-sqlite3 with
 * one prepared INSERT, and pg with multi-row INSERTs; both with the table shape Ferry's host creates
 * and `batchSize` rows per transaction.
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

/** Connection settings of the machine's PostgreSQL (trust auth on loopback); FERRY_BENCH_PG_* override. */
export const PG = {
  host: process.env.FERRY_BENCH_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.FERRY_BENCH_PG_PORT ?? 5432),
  database: process.env.FERRY_BENCH_PG_DATABASE ?? 'test',
  user: process.env.FERRY_BENCH_PG_USER ?? 'postgres',
};

/** A pg client on PG, connected. */
export async function pgClient() {
  const { default: pg } = await import('pg');
  const client = new pg.Client(PG);
  await client.connect();
  return client;
}

/**
 * Raw pg: the same rows into `schema.table` with multi-row INSERTs of `batchSize` rows, each in its
 * own transaction, over one connection. Returns { ms, inserted }.
 */
export async function rawPgInsert({ schema, table, n, offset, batchSize }) {
  const client = await pgClient();
  try {
    const name = `"${schema}"."${table}"`;
    await client.query(`CREATE TABLE IF NOT EXISTS ${name} ("id" bigint, "name" text, "email" text, "amount" double precision, "active" boolean, "createdAt" timestamptz)`);
    const t0 = performance.now();
    for (let start = 0; start < n; start += batchSize) {
      const values = [];
      const tuples = [];
      for (let i = start; i < Math.min(n, start + batchSize); i++) {
        const r = benchRecord(offset + i);
        const k = values.length;
        tuples.push(`($${k + 1}, $${k + 2}, $${k + 3}, $${k + 4}, $${k + 5}, $${k + 6})`);
        values.push(r.id, r.name, r.email, r.amount, r.active, r.createdAt);
      }
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${name} ("id", "name", "email", "amount", "active", "createdAt") VALUES ${tuples.join(', ')}`, values);
      await client.query('COMMIT');
    }
    return { ms: performance.now() - t0, inserted: n };
  } finally {
    await client.end();
  }
}

/** What a PostgreSQL table holds: row count, distinct ids, and rows `ids` as stored. */
export async function readBackPg({ schema, table, ids }) {
  const client = await pgClient();
  try {
    const name = `"${schema}"."${table}"`;
    const { rows: [counts] } = await client.query(`SELECT count(*)::int AS n, count(DISTINCT "id")::int AS d FROM ${name}`);
    const { rows } = await client.query(`SELECT * FROM ${name} WHERE "id" = ANY($1::bigint[]) ORDER BY "id"`, [ids]);
    return { count: counts.n, distinct: counts.d, rows };
  } finally {
    await client.end();
  }
}
