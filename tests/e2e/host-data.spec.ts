/**
 * Records from the real service worker through the real host into SQLite, PostgreSQL and a CSV file
 * in a granted folder, and selects that bring more than 1 MiB of rows back into the worker (through
 * `$/chunk`, and page by page with `nextCursor`). PostgreSQL is reached as a least-privilege role of the
 * test's own (tests/support/pg-role.ts). Each store is checked independently from the test
 * process: PostgreSQL with `pg`, the CSV file with csv-parse. Every test cleans up after itself (the
 * PostgreSQL schema is dropped, temp folders removed, the granted root revoked).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { SandboxErrorCode } from '../../src/protocol';
import { HOST_CLI } from '../support/paths';
import { adminClient, createTestRole } from '../support/pg-role';
import { expect, test, type FerryChromium } from './support/chromium';
import type { FerryGlobal } from './support/worker-globals';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const BIG_ROWS = 12_000;

/** The big table's rows, generated the same way in the worker (inline there) and here. */
const bigText = (i: number) => `row ${i} é ${'abcdefghij'.repeat(9)} ${(i * 7919) % 100_003}`;
const bigChecksum = () =>
  createHash('sha256')
    .update(Array.from({ length: BIG_ROWS }, (_, i) => `${i}|${bigText(i)}`).join('\n'))
    .digest('hex');

/**
 * In the worker: inserts BIG_ROWS rows into `table`, then selects them all back with `maxRows`
 * (undefined: the host's default, one page), following nextCursor; answers counts, page sizes and a
 * SHA-256 over the rows computed in the worker.
 */
async function bigRoundTrip(ferry: FerryChromium, table: string, connection: unknown, maxRows?: number) {
  return ferry.worker.evaluate(
    async ([table, connection, maxRows, n]) => {
      const { client } = (globalThis as unknown as FerryGlobal).ferry;
      const text = (i: number) => `row ${i} é ${'abcdefghij'.repeat(9)} ${(i * 7919) % 100_003}`;
      const data = Array.from({ length: n }, (_, i) => ({ id: i, body: text(i) }));
      const inserted = (await client.callRaw('db.batchInsert', { table, data, batchSize: 2_000, connectionConfig: connection }, { timeoutMs: 60_000 })) as Json;
      const rows: { id: number; body: string }[] = [];
      const pages: { rows: number; bytes: number }[] = [];
      let cursor: string | undefined;
      do {
        const page = (await client.callRaw(
          'db.select',
          { query: `SELECT id, body FROM ${table} ORDER BY id`, maxRows, cursor, connectionConfig: connection },
          { timeoutMs: 60_000 },
        )) as Json;
        pages.push({ rows: page.rows.length, bytes: new TextEncoder().encode(JSON.stringify(page.rows)).byteLength });
        rows.push(...page.rows);
        cursor = page.nextCursor;
      } while (cursor);
      const joined = rows.map((r) => `${r.id}|${r.body}`).join('\n');
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(joined));
      const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return { inserted: inserted.inserted, total: inserted.total, batches: inserted.batches.length, rows: rows.length, pages, bytes: pages.reduce((a, p) => a + p.bytes, 0), hex };
    },
    [table, connection, maxRows, BIG_ROWS] as const,
  );
}

/** A few thousand mixed records (JSON, booleans, non-ASCII, quotes) the SQLite and PostgreSQL tests share. */
async function insertRecords(ferry: FerryChromium, table: string, connection: unknown, n: number) {
  return ferry.worker.evaluate(
    async ([table, connection, n]) => {
      const { client } = (globalThis as unknown as FerryGlobal).ferry;
      const data = Array.from({ length: n }, (_, i) => ({
        sku: `SKU-${String(i).padStart(5, '0')}`,
        title: `Item "${i}" — ü, ${i % 3 === 0 ? 'a,b' : 'plain'}`,
        price: Math.round(i * 1.25 * 100) / 100,
        qty: i % 17,
        active: i % 2 === 0,
        meta: { tags: ['e2e', `t${i % 5}`], rank: i, nested: { ok: i % 4 === 0, none: null } },
      }));
      const result = (await client.callRaw('db.batchInsert', { table, data, batchSize: 500, conflictTarget: 'sku', connectionConfig: connection }, { timeoutMs: 60_000 })) as Json;
      const count = (await client.callRaw('db.select', { query: `SELECT count(*) AS n FROM ${table}`, connectionConfig: connection })) as Json;
      const some = (await client.callRaw('db.select', {
        query: `SELECT sku, title, price, qty, active, meta FROM ${table} WHERE sku IN ($1, $2, $3) ORDER BY sku`,
        parameters: ['SKU-00000', 'SKU-00003', `SKU-${String(n - 1).padStart(5, '0')}`],
        connectionConfig: connection,
      })) as Json;
      return { result, count: Number(count.rows[0].n), some: some.rows as Json[] };
    },
    [table, connection, n] as const,
  );
}

const expectedRecord = (i: number) => ({
  sku: `SKU-${String(i).padStart(5, '0')}`,
  title: `Item "${i}" — ü, ${i % 3 === 0 ? 'a,b' : 'plain'}`,
  price: Math.round(i * 1.25 * 100) / 100,
  qty: i % 17,
  active: i % 2 === 0,
  meta: { tags: ['e2e', `t${i % 5}`], rank: i, nested: { ok: i % 4 === 0, none: null } },
});

test('SQLite: a batch of records lands in the default database, and a > 1 MiB select comes back intact', async ({ ferry }) => {
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const records = `e2e_records_${suffix}`;
  const big = `e2e_big_${suffix}`;
  const n = 3_000;
  const out = await insertRecords(ferry, records, undefined, n);
  expect(out.result).toMatchObject({ inserted: n, updated: 0, ignored: 0, total: n, tableCreated: true });
  expect(out.result.batches).toHaveLength(6);
  expect(out.count).toBe(n);
  // SQLite keeps booleans as 1/0 and objects as JSON text.
  const asSqlite = (i: number) => {
    const r = expectedRecord(i);
    return { ...r, active: r.active ? 1 : 0, meta: JSON.stringify(r.meta) };
  };
  expect(out.some).toEqual([asSqlite(0), asSqlite(3), asSqlite(n - 1)]);

  // One page of every row (the host's default maxRows), then the same rows 5,000 at a time.
  const whole = await bigRoundTrip(ferry, big, undefined);
  expect(whole).toMatchObject({ inserted: BIG_ROWS, total: BIG_ROWS, batches: 6, rows: BIG_ROWS, hex: bigChecksum() });
  expect(whole.pages).toHaveLength(1);
  expect(whole.bytes).toBeGreaterThan(1024 * 1024);
  const paged = await ferry.worker.evaluate(
    async ([table]) => {
      const { client } = (globalThis as unknown as FerryGlobal).ferry;
      const sizes: number[] = [];
      let last = -1;
      let ordered = true;
      let cursor: string | undefined;
      do {
        const page = (await client.callRaw('db.select', { query: `SELECT id, body FROM ${table} ORDER BY id`, maxRows: 5_000, cursor }, { timeoutMs: 60_000 })) as Json;
        sizes.push(page.rows.length);
        for (const r of page.rows) {
          if (r.id !== last + 1) ordered = false;
          last = r.id;
        }
        cursor = page.nextCursor;
      } while (cursor);
      await client.callRaw('db.execute', { query: `DROP TABLE ${table}`, allowSchemaChanges: true });
      await client.callRaw('db.execute', { query: `DROP TABLE ${table.replace('e2e_big_', 'e2e_records_')}`, allowSchemaChanges: true });
      return { sizes, ordered, last };
    },
    [big] as const,
  );
  expect(paged).toEqual({ sizes: [5_000, 5_000, 2_000], ordered: true, last: BIG_ROWS - 1 });
  test.info().annotations.push({ type: 'sqlite select', description: `${whole.bytes} bytes of rows in one page` });
});

test('PostgreSQL: records land in a schema of the test (checked with pg, JSONB included), and a > 1 MiB select comes back in pages', async ({ ferry }) => {
  // A least-privilege role with a schema of its own, as docs/ARCHITECTURE.md tells users to make.
  const admin = await adminClient();
  const role = await createTestRole(admin, 'ferry_e2e');
  const { schema } = role;
  try {
    const connection = { type: 'postgresql', ...role.login };
    const n = 2_500;
    const out = await insertRecords(ferry, `${schema}.records`, connection, n);
    expect(out.result).toMatchObject({ inserted: n, updated: 0, ignored: 0, total: n, tableCreated: true });
    expect(out.count).toBe(n);
    expect(out.some).toEqual([expectedRecord(0), expectedRecord(3), expectedRecord(n - 1)]);

    // The independent check, from the test process.
    const types = await admin.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'records' ORDER BY ordinal_position`, [schema]);
    expect(Object.fromEntries(types.rows.map((r) => [r.column_name, r.data_type]))).toEqual({
      sku: 'text', title: 'text', price: 'double precision', qty: 'bigint', active: 'boolean', meta: 'jsonb',
    });
    expect(Number((await admin.query(`SELECT count(*) AS n FROM ${schema}.records`)).rows[0].n)).toBe(n);
    const rows = (await admin.query(`SELECT sku, title, price, qty::int AS qty, active, meta FROM ${schema}.records ORDER BY sku`)).rows;
    expect(rows).toEqual(Array.from({ length: n }, (_, i) => expectedRecord(i)));
    const jsonb = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.records WHERE meta @> '{"tags": ["t2"], "nested": {"ok": true}}'::jsonb`);
    expect(jsonb.rows[0].n).toBe(Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 === 2 && i % 4 === 0).length);
    expect((await admin.query(`SELECT meta->'nested'->'none' AS v FROM ${schema}.records WHERE sku = 'SKU-00004'`)).rows[0].v).toBeNull();

    const big = await bigRoundTrip(ferry, `${schema}.big`, connection, 5_000);
    expect(big).toMatchObject({ inserted: BIG_ROWS, total: BIG_ROWS, batches: 6, rows: BIG_ROWS, hex: bigChecksum() });
    expect(big.pages.map((p) => p.rows)).toEqual([5_000, 5_000, 2_000]);
    expect(big.bytes).toBeGreaterThan(1024 * 1024);
    expect(Number((await admin.query(`SELECT count(*) AS n FROM ${schema}.big`)).rows[0].n)).toBe(BIG_ROWS);
    test.info().annotations.push({ type: 'postgres select', description: `${big.bytes} bytes of rows in ${big.pages.length} pages` });
  } finally {
    await role.drop();
    expect((await admin.query(`SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1`, [schema])).rows[0].n).toBe(0);
    await admin.end();
  }
});

test('CSV: records written into a granted folder, read back by the worker, and paths outside refused', async ({ ferry }) => {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-data-')));
  const work = path.join(base, 'work');
  const outside = path.join(base, 'outside');
  mkdirSync(work);
  mkdirSync(outside);
  // The real CLI, against the FERRY_HOME the browser's host uses; the host rereads grants on every call.
  const roots = (...args: string[]) =>
    execFileSync(process.execPath, [HOST_CLI, 'roots', ...args], { env: { ...process.env, FERRY_HOME: ferry.ferryHome }, encoding: 'utf8' });
  roots('add', work, '--name', 'e2e-data');
  try {
    const n = 1_500;
    const records = Array.from({ length: n }, (_, i) => ({
      id: i,
      name: i % 10 === 0 ? `Quote "${i}", comma` : `name ${i} ü`,
      note: i % 25 === 0 ? 'two\nlines' : '',
      score: (i * 3) / 2,
    }));
    const written = await ferry.worker.evaluate(
      async ([content]) => {
        const { client } = (globalThis as unknown as FerryGlobal).ferry;
        const roots = (await client.callRaw('fs.roots')) as Json;
        const write = (await client.callRaw('fs.write', { path: 'exports/deep/records.csv', content, format: 'csv', createDirectories: true, atomic: true })) as Json;
        const back = (await client.callRaw('fs.processCsv', { path: 'exports/deep/records.csv', transformations: [{ column: 'id', operation: 'number' }, { column: 'score', operation: 'number' }] })) as Json;
        return { roots: roots.roots, write, back };
      },
      [records] as const,
    );
    expect(written.roots).toEqual([expect.objectContaining({ name: 'e2e-data', path: work, default: true, exists: true })]);
    const file = path.join(work, 'exports/deep/records.csv');
    expect(written.write).toMatchObject({ path: file, created: true, appended: false });
    // Only the file: no atomic temp file left behind.
    expect(readdirSync(path.dirname(file))).toEqual(['records.csv']);

    // The independent check: the file as written, parsed with csv-parse.
    const text = readFileSync(file, 'utf8');
    expect(Buffer.byteLength(text)).toBe(written.write.bytesWritten);
    const lines = parse(text, { columns: false }) as string[][];
    expect(lines[0]).toEqual(['id', 'name', 'note', 'score']);
    expect(lines.filter((l) => l[0] === 'id')).toHaveLength(1);
    expect(lines).toHaveLength(n + 1);
    const parsed = parse(text, { columns: true }) as Record<string, string>[];
    expect(parsed).toEqual(records.map((r) => ({ id: String(r.id), name: r.name, note: r.note, score: String(r.score) })));

    // And back in the worker through fs.processCsv.
    expect(written.back).toMatchObject({ columns: ['id', 'name', 'note', 'score'], recordCount: n, skipped: 0, issues: [] });
    expect(written.back.records).toEqual(records);

    // Refusals from the browser side: nothing read outside, nothing written into the sibling folder.
    const refused = await ferry.worker.evaluate(async () => {
      const { client } = (globalThis as unknown as FerryGlobal).ferry;
      const attempt = async (method: string, params: Json) => {
        try {
          return { ok: true, result: await client.callRaw(method, params) };
        } catch (e) {
          const err = e as { code: number; message: string; data?: { codeName?: string } };
          return { ok: false, code: err.code, codeName: err.data?.codeName, message: err.message };
        }
      };
      return {
        read: await attempt('fs.read', { path: '/etc/hostname' }),
        write: await attempt('fs.write', { path: '../outside/leak.csv', content: [{ a: 1 }], format: 'csv', createDirectories: true }),
        absoluteWrite: await attempt('fs.write', { path: '/tmp/ferry-e2e-leak.csv', content: [{ a: 1 }], format: 'csv' }),
      };
    });
    for (const outcome of Object.values(refused)) expect(outcome).toMatchObject({ ok: false, code: SandboxErrorCode.PathOutsideRoots });
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(os.tmpdir())).not.toContain('ferry-e2e-leak.csv');
  } finally {
    roots('remove', 'e2e-data');
    rmSync(base, { recursive: true, force: true });
  }
});
