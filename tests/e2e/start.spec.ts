/**
 * The README's `npm start -- --headless`, against the built extension and host: it prints the host's
 * status, then runs the demo as a user would (toolbar click on the demo page, Send from the popup)
 * and checks the run against what its demo API stored.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { ROOT } from '../support/paths';

test('npm start --headless prints a connected host, sends the demo page to the demo API once per record, into SQLite and a CSV file, and exits 0', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-start-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts/start.mjs'), '--headless', '--no-build'], {
      cwd: ROOT,
      env: { ...process.env, FERRY_HOME: path.join(tmp, 'home'), FERRY_DEV_PROFILE: path.join(tmp, 'profile'), FERRY_DEMO_EXPORTS: path.join(tmp, 'exports') },
      timeout: 100_000,
    });
    expect(stdout).toMatch(/Ferry native host: connected — host \d+\.\d+\.\d+, protocol 1, Node v\d+/);
    expect(stdout).toContain(`Data directory: ${path.join(tmp, 'home', 'data')}`);
    // The run's own counts: ten rows on the page, the one with a broken email kept back with its reason.
    const summary = /^Demo: 10 records extracted from (http:\/\/127\.0\.0\.1:\d+\/), 9 delivered to (http:\/\/127\.0\.0\.1:\d+)\/v1\/contacts \(each once\), 1 rejected: (.+)$/m.exec(stdout);
    expect(summary, stdout).not.toBeNull();
    expect(summary![1]).not.toBe(`${summary![2]}/`); // the page and the API are different servers
    expect(summary![3]).toBe('email must be an email address, got "jonas.weber(at)elbtrans.example"');
    // The API's own count: nine contacts stored, one insert per request (no repeat was needed).
    const api = /^Demo API: (\d+) contacts stored from (\d+) requests \((\d+) repeats? answered from the Idempotency-Key store\)$/m.exec(stdout);
    expect(api, stdout).not.toBeNull();
    expect(Number(api![1])).toBe(9);
    expect(Number(api![2])).toBe(9 + Number(api![3]));
    expect(stdout).not.toContain('check FAILED');

    // The same ten contacts through the host: a row each in its SQLite database, a line each in the CSV file.
    const database = path.join(tmp, 'home', 'data', 'ferry.sqlite');
    expect(stdout).toContain(`Demo SQLite: 10 records stored in demo_contacts of ${database} (the table holds 10 rows)`);
    const Database = createRequire(import.meta.url)('better-sqlite3');
    const db = new Database(database, { readonly: true });
    const rows = db.prepare('SELECT email, name, page FROM demo_contacts ORDER BY email').all();
    db.close();
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatchObject({ email: 'ada.lindqvist@nordlys.example', name: 'Ada Lindqvist', page: summary![1] });
    const csvFile = path.join(tmp, 'exports', 'contacts.csv');
    expect(stdout).toContain(`Demo CSV: 10 records written to ${csvFile} (a header and 10 lines)`);
    const lines = readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('name,email,company,role,country');
    expect(lines[1]).toBe('Ada Lindqvist,ada.lindqvist@nordlys.example,Nordlys Shipping,Head of Operations,Sweden');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
