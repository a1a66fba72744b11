/** `npm start --headless` judges the demo by what the demo API stored, not only by the run's counts. */
import { describe, expect, it } from 'vitest';
import { checkCsv, checkDelivery, checkSqlite, DEMO_CSV_PIPELINE, DEMO_PIPELINE, DEMO_SQLITE_PIPELINE, describeDemo, type DemoResult } from '../../scripts/lib/demo.mjs';
import { parsePipeline } from '../../src/pipeline';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/paths';

const contact = (email: string, i: number) => ({ id: `ct_${i}`, createdAt: '', contact: { name: email, email } });
const run = { status: 'succeeded', counts: { extracted: 3, rejected: 1, sent: 2, failed: 0, retried: 0 } };
const rejects = [{ record: { email: 'bad(at)x' }, reasons: [{ message: 'email must be an email address, got "bad(at)x"' }] }];

describe('the demo check', () => {
  it('passes when the API stored one contact per sent record', () => {
    expect(checkDelivery(run, rejects, { contacts: [contact('a@x.example', 1), contact('b@x.example', 2)] })).toEqual({ ok: true, problems: [] });
  });

  it('fails on a second insert, a missing contact, a rejected record that got through, or a failed run', () => {
    expect(checkDelivery(run, rejects, { contacts: [contact('a@x.example', 1), contact('a@x.example', 2)] }).problems).toEqual(['the demo API stored a@x.example more than once']);
    expect(checkDelivery(run, rejects, { contacts: [contact('a@x.example', 1)] }).problems).toEqual(['the run counts 2 sent, but the demo API stored 1 contacts']);
    expect(checkDelivery(run, rejects, { contacts: [contact('a@x.example', 1), contact('bad(at)x', 2)] }).problems).toEqual(['rejected records reached the API: bad(at)x']);
    expect(checkDelivery({ ...run, status: 'failed', error: { message: 'boom' } }, [], { contacts: [contact('a@x.example', 1), contact('b@x.example', 2)] }).problems).toEqual(['the run ended failed: boom']);
  });

  it('summarizes the run in one line, and the API in another', () => {
    const contacts = [contact('a@x.example', 1), contact('b@x.example', 2)];
    const result: DemoResult = { started: { runId: 'r', extracted: 3, warnings: [] }, run, rejects, deadLetters: [], check: checkDelivery(run, rejects, { contacts }) };
    expect(describeDemo(result, { pageUrl: 'http://127.0.0.1:1/', api: { url: 'http://127.0.0.1:2', contacts, stats: { requests: 3, created: 2, replayed: 1, refused: 0 } } })).toEqual([
      'Demo: 3 records extracted from http://127.0.0.1:1/, 2 delivered to http://127.0.0.1:2/v1/contacts (each once), 1 rejected: email must be an email address, got "bad(at)x"',
      'Demo API: 2 contacts stored from 3 requests (1 repeat answered from the Idempotency-Key store)',
    ]);
  });

  it('names each pipeline the way its document does', () => {
    for (const demo of [DEMO_PIPELINE, DEMO_SQLITE_PIPELINE, DEMO_CSV_PIPELINE]) {
      const pipeline = parsePipeline(readFileSync(path.join(ROOT, 'scripts/demo', demo.file), 'utf8'));
      expect({ id: pipeline.id, name: pipeline.name }).toEqual({ id: demo.id, name: demo.name });
    }
  });

  it('checks the SQLite table and the CSV file against the runs that wrote them', () => {
    const all = { status: 'succeeded', counts: { extracted: 2, rejected: 0, sent: 2, failed: 0, retried: 0 } };
    expect(checkSqlite(all, ['a@x', 'b@x'])).toEqual({ ok: true, problems: [], rows: 2 });
    expect(checkSqlite(all, ['a@x', 'a@x', 'b@x']).problems).toEqual(['the SQLite table holds an email more than once', 'the SQLite run counts 2 sent, but the table holds 3 rows']);
    expect(checkCsv(all, ['name,email,company,role,country', 'A,a@x,,,', 'B,b@x,,,'])).toEqual({ ok: true, problems: [], lines: 2 });
    expect(checkCsv({ ...all, status: 'failed' }, ['name', 'A']).problems).toEqual(['the CSV run ended failed', 'the CSV file\'s header is "name"', 'the CSV run counts 2 sent, but the file holds 1 lines of records']);
  });
});
