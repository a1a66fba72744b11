import 'fake-indexeddb/auto';
/**
 * `database` and `file` delivery steps in real runs: the run engine (over fake-indexeddb) sends each
 * job through the extension's NativeClient to the real host process, which writes into a real SQLite
 * file, the PostgreSQL server on 127.0.0.1:5432 (database `test`, trust auth; as a least-privilege
 * role of this run's own with a schema of its own, tests/support/pg-role.ts, except where the superuser warning is
 * the point) and a folder granted with the real `ferry-host roots add`. The seed's blocks are used as
 * written; what each test checks is read back from the database or the disk, not from Ferry's own
 * bookkeeping.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../src/native/client';
import { startRun } from '../../src/runs';
import { driveUntilIdle, harness, type Harness } from '../integration/runs/harness';
import { seedBlock } from '../integration/runs/seed-pipeline';
import { hostProcessConnector } from '../support/host-port';
import { HOST_BUNDLE } from '../support/paths';
import { isolatedEnv, tempDir } from './host-process';
import { adminClient, createTestRole, type TestRole } from '../support/pg-role';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const DB_PASSWORD = 'pg-canary-9f3e1b7c';
let SCHEMA: string;
let role: TestRole;

let base: string;
let work: string;
let client: NativeClient;
let admin: pg.Client;

beforeAll(async () => {
  base = realpathSync(tempDir('runs-host'));
  const home = path.join(base, 'ferry-home');
  work = path.join(base, 'work');
  mkdirSync(work);
  execFileSync(process.execPath, [HOST_BUNDLE, 'roots', 'add', work], { env: isolatedEnv({ FERRY_HOME: home }) });
  client = new NativeClient({ connector: hostProcessConnector(isolatedEnv({ FERRY_HOME: home })), backoff: { initialMs: 20, maxMs: 100 } });
  admin = await adminClient();
  role = await createTestRole(admin, 'ferry_runs');
  SCHEMA = role.schema;
});

afterAll(async () => {
  client.disconnect();
  await role?.drop();
  await admin?.end();
  rmSync(base, { recursive: true, force: true });
});

const pipeline = (id: string, step: Record<string, unknown>) => ({ version: 1, id, name: id, source: { type: 'supplied' }, steps: [step] });
const articles = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ title: `Article ${from + i}`, content: `Body ${from + i}`, metadata: { words: 100 + i, tags: ['a', 'b'] } }));

/** The pipelines' `{{credentials.dbUser}}` is the least-privilege role unless a test logs in as another. */
async function newHarness(dbUser = role.role): Promise<Harness> {
  return harness({ credentials: { dbUser, dbPassword: DB_PASSWORD }, deps: { host: client, env: { DB_HOST: '127.0.0.1', DB_NAME: 'test' } } });
}

async function run(h: Harness, doc: unknown, records: unknown[], source = { url: 'https://shop.example/list', title: 'List' }): Promise<Json> {
  const runId = await startRun(h.deps, { pipeline: doc, records, source });
  await driveUntilIdle(h);
  return h.repos.runs.get(runId);
}

async function select(query: string, parameters: unknown[] = [], connection: Json = {}): Promise<Json[]> {
  return (await client.call('db.select', { query, parameters: parameters as never, ...connection })).rows as Json[];
}

describe('database steps', () => {
  it("the seed's insert block as written: one row per record in the host's SQLite database, templates rendered per record", async () => {
    const h = await newHarness();
    const result = await run(h, pipeline('insert-sqlite', { database: seedBlock('database-insert') }), articles(3));
    expect(result).toMatchObject({ status: 'succeeded', counts: { extracted: 3, sent: 3, failed: 0 } });
    const rows = await select('SELECT url, title, content, extracted_at, metadata FROM extracted_data ORDER BY title');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ url: 'https://shop.example/list', title: 'Article 0', content: 'Body 0' });
    expect(JSON.parse(rows[2].metadata)).toEqual({ words: 102, tags: ['a', 'b'] });
    expect(Date.parse(rows[0].extracted_at)).not.toBeNaN();
    // 3 records fit one job (an insert's default batch is 100): one call, one audit entry.
    const audit = await h.repos.audit.listByRun(result.id);
    expect(audit).toMatchObject([{ method: 'db.insert', host: 'sqlite:default', path: 'extracted_data', outcome: 'success', attempt: 1 }]);
    const [job] = await h.repos.jobs.listByRun(result.id);
    expect(job!.lastOutcome?.details?.['db.insert']).toMatchObject({ inserted: 3, updated: 0, tableCreated: true });
  });

  it("the seed's select block as written finds what the seed's insert block wrote for this page since yesterday", async () => {
    const h = await newHarness();
    const source = { url: 'https://news.example/select-test', title: 'News' };
    await run(h, pipeline('insert-for-select', { database: seedBlock('database-insert') }), articles(2, 10), source);
    const step = { database: seedBlock('database-select'), resultProcessing: { extractFields: ['rowCount', 'rows'], storage: { type: 'local', key: 'seen_{{rowCount}}' } } };
    const result = await run(h, pipeline('select-seed', step), [{ title: 'any' }], source);
    expect(result.status).toBe('succeeded');
    const [stored] = await h.repos.results.list('seen_');
    expect(stored!.key).toBe('seen_2');
    expect((stored!.value as Json).rows.map((r: Json) => [r.url, r.title]).sort()).toEqual([[source.url, 'Article 10'], [source.url, 'Article 11']]);
  });

  it('onConflict update with a conflict target: a second run updates the rows it inserted', async () => {
    const h = await newHarness();
    const step = (title: string) => ({ database: { operation: 'insert', table: 'pages', data: { url: '{{extracted.url}}', title }, onConflict: 'update', conflictTarget: 'url' } });
    const records = [{ url: 'https://a.example/1' }, { url: 'https://a.example/2' }];
    await run(h, pipeline('upsert-1', step('first')), records);
    const second = await run(h, pipeline('upsert-2', step('second')), records);
    expect(second.status).toBe('succeeded');
    expect(await select('SELECT url, title FROM pages ORDER BY url')).toEqual([{ url: 'https://a.example/1', title: 'second' }, { url: 'https://a.example/2', title: 'second' }]);
    const [job] = await h.repos.jobs.listByRun(second.id);
    expect(job!.lastOutcome?.details?.['db.insert']).toMatchObject({ inserted: 0, updated: 2 });
  });

  it("the seed's connection, pool and batchInsert blocks into PostgreSQL: {{env.*}} and {{credentials.*}} resolved in the background, the password never stored", async () => {
    const h = await newHarness();
    // The seed asks for ssl: true; the local test server has no certificate, so only that is changed.
    const connectionConfig = { ...(seedBlock('database-connection').connectionConfig as Json), ssl: false };
    const block = { ...seedBlock('database-batch-insert'), table: `${SCHEMA}.bulk_data`, batchSize: 40, connectionConfig, ...seedBlock('connection-pool') };
    const records = Array.from({ length: 250 }, (_, i) => ({ sku: `sku-${i}`, price: i + 0.5, inStock: i % 2 === 0 }));
    const result = await run(h, pipeline('batch-pg', { database: block, batching: { mode: 'batch', size: 100 } }), records);
    expect(result).toMatchObject({ status: 'succeeded', counts: { sent: 250, failed: 0 } });
    const { rows } = await admin.query(`SELECT count(*)::int AS n, sum(price)::float AS total, bool_and(sku LIKE 'sku-%') AS named FROM ${SCHEMA}.bulk_data`);
    expect(rows[0]).toEqual({ n: 250, total: records.reduce((s, r) => s + r.price, 0), named: true });
    const audit = await h.repos.audit.listByRun(result.id);
    expect(audit.map((a) => [a.method, a.host, a.outcome])).toEqual(Array(3).fill(['db.batchInsert', 'postgresql:127.0.0.1:5432/test', 'success']));
    const jobs = await h.repos.jobs.listByRun(result.id);
    const stored = JSON.stringify([jobs, audit, await h.repos.runs.get(result.id)]);
    expect(stored).not.toContain(DB_PASSWORD);
    // The least-privilege role holds no right beyond its tables: nothing to warn about.
    expect(jobs.map((j) => [j.lastOutcome?.message, j.lastOutcome?.details?.roleRisks])).toEqual(Array(3).fill([undefined, undefined]));
  });

  it('a run that logs in as the superuser postgres says so on every batch, in words, with what to do', async () => {
    const h = await newHarness('postgres');
    const connectionConfig = { ...(seedBlock('database-connection').connectionConfig as Json), ssl: false };
    const block = { operation: 'batchInsert', table: `${SCHEMA}.as_superuser`, connectionConfig };
    const result = await run(h, pipeline('superuser-pg', { database: block, batching: { mode: 'batch', size: 2 } }), articles(3));
    expect(result).toMatchObject({ status: 'succeeded', counts: { sent: 3, failed: 0 } });
    const jobs = await h.repos.jobs.listByRun(result.id);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      expect(job.lastOutcome).toMatchObject({ label: 'success', details: { roleRisks: 'superuser' } });
      // The user name came from the vault ({{credentials.dbUser}}), so it is scrubbed like any credential.
      expect(job.lastOutcome!.message).toMatch(/^Ferry logs in to PostgreSQL as “\[redacted\]”, which is a superuser: SQL in a pipeline can read and write any file on the database server/i);
      expect(job.lastOutcome!.message).toMatch(/only the rights the pipeline needs/);
    }
    expect(JSON.stringify(jobs)).not.toContain(DB_PASSWORD);
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.as_superuser`)).rows).toEqual([{ n: 3 }]);
  });

  it('a unique violation is final: the batch is dead-lettered with the host\'s own words, and the batches before it stay written', async () => {
    const h = await newHarness();
    await client.call('db.execute', { query: `CREATE TABLE IF NOT EXISTS strict_items (code TEXT PRIMARY KEY, n INTEGER)`, allowSchemaChanges: true });
    const step = { database: { operation: 'batchInsert', table: 'strict_items', conflictResolution: 'error' }, batching: { mode: 'batch', size: 2 } };
    const result = await run(h, pipeline('dupes', step), [{ code: 'a', n: 1 }, { code: 'b', n: 2 }, { code: 'c', n: 3 }, { code: 'c', n: 4 }]);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'RUN_COMPLETED_WITH_FAILURES' }, counts: { sent: 2, failed: 2 } });
    const letters = await h.repos.deadLetters.list({ runId: result.id });
    expect(letters).toHaveLength(1);
    expect(letters[0]!.lastOutcome.label).toBe('db_unique_violation');
    expect(letters[0]!.lastOutcome.message).toMatch(/db\.batchInsert sqlite:default\/?strict_items failed: db_unique_violation \(.+\) and is not retried/);
    expect(await select('SELECT code FROM strict_items ORDER BY code')).toEqual([{ code: 'a' }, { code: 'b' }]);
  });

  it('a refused connection is retried by the retry policy, then dead-lettered saying which server to check', async () => {
    const h = await newHarness();
    const step = { database: { operation: 'insert', table: 'nowhere', connectionConfig: { type: 'postgresql', host: '127.0.0.1', port: 1, database: 'test', username: role.role } }, retryStrategy: { maxAttempts: 2, backoffType: 'fixed', baseDelay: 10 } };
    const result = await run(h, pipeline('refused', step), articles(1));
    expect(result.status).toBe('failed');
    const audit = await h.repos.audit.listByRun(result.id);
    expect(audit.map((a) => [a.attempt, a.outcome])).toEqual([[1, 'db_connection_unavailable'], [2, 'db_connection_unavailable']]);
    const [letter] = await h.repos.deadLetters.list({ runId: result.id });
    expect(letter!.lastOutcome.message).toContain('127.0.0.1:1');
    expect(letter!.lastOutcome.message).toContain('after 2 attempts');
  });

  it('a select runs once per record with bound parameters and keeps its rows through resultProcessing', async () => {
    const h = await newHarness();
    await client.call('db.batchInsert', { table: 'prices', data: [{ sku: 'x', price: 3 }, { sku: 'y', price: 7 }] });
    const step = {
      database: { operation: 'select', query: 'SELECT sku, price FROM prices WHERE sku = $1', parameters: ['{{extracted.sku}}'] },
      resultProcessing: { extractFields: ['rows', 'rowCount'], storage: { type: 'local', key: 'price_{{rows[0].sku}}' } },
    };
    // The second sku is an injection attempt: bound as a value, it matches nothing.
    const result = await run(h, pipeline('lookup', step), [{ sku: 'x' }, { sku: "y' OR '1'='1" }]);
    expect(result.status).toBe('succeeded');
    const results = await h.repos.results.list('price_');
    expect(results.map((r: Json) => [r.key, r.value])).toEqual([['price_x', { rows: [{ sku: 'x', price: 3 }], rowCount: 1 }]]);
    const jobs = await h.repos.jobs.listByRun(result.id);
    expect(jobs[1]!.lastOutcome?.details?.['db.select']).toEqual({ rowCount: 0 });
  });
});

describe('file steps', () => {
  it("the seed's write block as written: the whole run in one JSON file under the granted folder, the host's {{timestamp}} in its name", async () => {
    const h = await newHarness();
    const result = await run(h, pipeline('to-json', { file: seedBlock('file-write') }), articles(5));
    expect(result).toMatchObject({ status: 'succeeded', counts: { sent: 5 } });
    const files = readdirSync(path.join(work, 'output'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^extracted-data-\d{13}\.json$/);
    expect(JSON.parse(readFileSync(path.join(work, 'output', files[0]!), 'utf8'))).toEqual(articles(5));
    expect(await h.repos.audit.listByRun(result.id)).toMatchObject([{ method: 'fs.write', host: 'files', path: './output/extracted-data-{{timestamp}}.json', outcome: 'success' }]);
  });

  it('append to a CSV in batches: the header once, every record one line, across runs', async () => {
    const h = await newHarness();
    const step = { file: { operation: 'write', filePath: 'exports/contacts.csv', append: true, createDirectories: true }, batching: { mode: 'batch', size: 2 } };
    await run(h, pipeline('csv-1', step), [{ name: 'Ada', email: 'ada@example.test' }, { name: 'Grace, "Amazing"', email: 'grace@example.test' }, { name: 'Linus', email: 'linus@example.test' }]);
    await run(h, pipeline('csv-2', step), [{ name: 'Ken', email: 'ken@example.test' }]);
    const lines = readFileSync(path.join(work, 'exports', 'contacts.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('name,email');
    expect(lines.slice(1).sort()).toEqual(['"Grace, ""Amazing""",grace@example.test', 'Ada,ada@example.test', 'Ken,ken@example.test', 'Linus,linus@example.test']);
  });

  it('a path outside the granted folders is dead-lettered with the sandbox\'s reason, and nothing is written', async () => {
    const h = await newHarness();
    const outside = path.join(base, 'outside.json');
    const result = await run(h, pipeline('escape', { file: { operation: 'write', filePath: '../outside.json' } }), articles(1));
    expect(result.status).toBe('failed');
    const [letter] = await h.repos.deadLetters.list({ runId: result.id });
    expect(letter!.lastOutcome.label).toBe('path_outside_roots');
    expect(() => readFileSync(outside)).toThrow();
  });
});
