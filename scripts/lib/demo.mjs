/**
 * `npm start`'s demo: the demo page's contacts go through three saved pipelines: to the local demo
 * API, into the host's embedded SQLite database, and into a CSV file in a folder granted to the
 * host. `installDemo` saves them into Ferry (with the API's address and the export folder as the
 * env variables DEMO_API and DEMO_EXPORTS); `runDemo` does what a user does in the browser — clicks
 * Ferry's toolbar button on the demo page, starts each run from the popup, waits for it — and checks
 * each result against what landed: the demo API's own store, the SQLite table, the CSV file.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { popupMessenger } from './ferry-messages.mjs';
import { clickToolbarButton } from './toolbar-action.mjs';

export const DEMO_PIPELINE = { id: 'demo-page-to-api', name: 'Demo: page → local API', file: 'pipeline.jsonc' };
export const DEMO_SQLITE_PIPELINE = { id: 'demo-page-to-sqlite', name: 'Demo: page → SQLite', file: 'pipeline-sqlite.jsonc', table: 'demo_contacts' };
export const DEMO_CSV_PIPELINE = { id: 'demo-page-to-csv', name: 'Demo: page → CSV file', file: 'pipeline-csv.jsonc', csvFile: 'contacts.csv' };
const RUN_TIMEOUT_MS = 60_000;

/**
 * Saves the demo pipelines through `send` (Ferry messages from an extension page): the API one,
 * and with `exportsDir` (a folder granted to the host) the SQLite and CSV ones too.
 */
export async function installDemo(send, { demoDir, apiUrl, exportsDir }) {
  await send('env.set', { name: 'DEMO_API', value: apiUrl });
  const pipelines = [DEMO_PIPELINE];
  if (exportsDir) {
    await send('env.set', { name: 'DEMO_EXPORTS', value: exportsDir });
    pipelines.push(DEMO_SQLITE_PIPELINE, DEMO_CSV_PIPELINE);
  }
  // replace: the demo's own pipelines are refreshed on every start (the profile persists between starts).
  for (const pipeline of pipelines) await send('pipelines.save', { name: pipeline.name, text: await readFile(path.join(demoDir, pipeline.file), 'utf8'), replace: true });
}

/**
 * Clicks Ferry's toolbar button on the demo page's tab (which grants Ferry that tab, as a click
 * does), starts each demo pipeline from the popup in turn, and waits for each run to finish.
 * `dataDir` (the host's) and `exportsDir` locate the SQLite database and the CSV file to check.
 */
export async function runDemo({ context, extensionId, page, api, dataDir, exportsDir }) {
  const popup = await clickToolbarButton(context, extensionId, page);
  const send = popupMessenger(popup);
  try {
    const toApi = await runPipeline(send, DEMO_PIPELINE.id);
    const result = { ...toApi, check: checkDelivery(toApi.run, toApi.rejects, api) };
    if (!exportsDir) return result;
    const toSqlite = await runPipeline(send, DEMO_SQLITE_PIPELINE.id);
    const sqlite = { ...toSqlite, database: path.join(dataDir, 'ferry.sqlite'), check: checkSqlite(toSqlite.run, readSqliteEmails(path.join(dataDir, 'ferry.sqlite'))) };
    const toCsv = await runPipeline(send, DEMO_CSV_PIPELINE.id);
    const csvPath = path.join(exportsDir, DEMO_CSV_PIPELINE.csvFile);
    const csv = { ...toCsv, file: csvPath, check: checkCsv(toCsv.run, readCsvLines(csvPath)) };
    return { ...result, sqlite, csv };
  } finally {
    await popup.close();
  }
}

/** Starts a saved pipeline on the popup's tab and polls the run until it is finished. */
async function runPipeline(send, pipelineId) {
  // No tabId: the run reads the popup's tab, exactly as the popup's Send button does.
  const started = await send('runs.startFromTab', { pipelineId });
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let run = await send('runs.get', { runId: started.runId });
  while (!['succeeded', 'failed', 'cancelled'].includes(run?.status)) {
    if (Date.now() > deadline) throw new Error(`The demo run of "${pipelineId}" did not finish within ${RUN_TIMEOUT_MS / 1000} s (status: ${run?.status ?? 'unknown'}).`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    run = await send('runs.get', { runId: started.runId });
  }
  const rejects = run.counts.rejected > 0 ? await send('runs.rejects', { runId: started.runId, limit: 10 }) : [];
  const deadLetters = run.counts.failed > 0 ? await send('runs.deadLetters', { runId: started.runId }) : [];
  return { started, run, rejects, deadLetters };
}

/** The emails in the demo table, read straight from the host's database file (read-only). */
function readSqliteEmails(file) {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT email FROM "${DEMO_SQLITE_PIPELINE.table}"`).all().map((row) => row.email);
  } finally {
    db.close();
  }
}

function readCsvLines(file) {
  return readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line !== '');
}

/** Every record the run counts as sent is a row of the table, each email once. */
export function checkSqlite(run, emails) {
  const problems = [];
  if (run.status !== 'succeeded') problems.push(`the SQLite run ended ${run.status}${run.error ? `: ${run.error.message}` : ''}`);
  if (new Set(emails).size !== emails.length) problems.push('the SQLite table holds an email more than once');
  if (emails.length !== run.counts.sent) problems.push(`the SQLite run counts ${run.counts.sent} sent, but the table holds ${emails.length} rows`);
  return { ok: problems.length === 0, problems, rows: emails.length };
}

/** The CSV file holds the header and one line per record the run counts as sent. */
export function checkCsv(run, lines) {
  const problems = [];
  if (run.status !== 'succeeded') problems.push(`the CSV run ended ${run.status}${run.error ? `: ${run.error.message}` : ''}`);
  if (lines[0] !== 'name,email,company,role,country') problems.push(`the CSV file's header is ${JSON.stringify(lines[0] ?? '')}`);
  if (lines.length - 1 !== run.counts.sent) problems.push(`the CSV run counts ${run.counts.sent} sent, but the file holds ${lines.length - 1} lines of records`);
  return { ok: problems.length === 0, problems, lines: lines.length - 1 };
}

/**
 * What the demo API received must match the run: one contact per record Ferry counts as sent (a
 * retried request answered from the Idempotency-Key store is fine, a second insert is not), and
 * no rejected record among them.
 */
export function checkDelivery(run, rejects, api) {
  const problems = [];
  const emails = api.contacts.map((c) => c.contact.email);
  const duplicates = emails.filter((email, i) => emails.indexOf(email) !== i);
  if (api.contacts.length !== run.counts.sent) problems.push(`the run counts ${run.counts.sent} sent, but the demo API stored ${api.contacts.length} contacts`);
  if (duplicates.length > 0) problems.push(`the demo API stored ${[...new Set(duplicates)].join(', ')} more than once`);
  const rejected = new Set(rejects.map((r) => r.record?.email));
  const leaked = emails.filter((email) => rejected.has(email));
  if (leaked.length > 0) problems.push(`rejected records reached the API: ${leaked.join(', ')}`);
  if (run.status !== 'succeeded') problems.push(`the run ended ${run.status}${run.error ? `: ${run.error.message}` : ''}`);
  return { ok: problems.length === 0, problems };
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The lines `npm start --headless` prints about the demo. */
export function describeDemo(result, { pageUrl, api }) {
  const { started, run, rejects, deadLetters, check } = result;
  const { counts } = run;
  const once = check.ok ? ' (each once)' : '';
  const firstReason = rejects[0]?.reasons.map((r) => r.message).join('; ');
  const rejected = counts.rejected > 0 ? `, ${counts.rejected} rejected${firstReason ? `: ${firstReason}` : ''}` : '';
  const failed = counts.failed > 0 ? `, ${counts.failed} failed${deadLetters[0]?.lastOutcome.message ? `: ${deadLetters[0].lastOutcome.message}` : ''}` : '';
  const lines = [
    `Demo: ${plural(started.extracted, 'record')} extracted from ${pageUrl}, ${counts.sent} delivered to ${api.url}/v1/contacts${once}${rejected}${failed}`,
    `Demo API: ${plural(api.contacts.length, 'contact')} stored from ${plural(api.stats.requests, 'request')} (${plural(api.stats.replayed, 'repeat')} answered from the Idempotency-Key store)`,
  ];
  if (!check.ok) lines.push(`Demo check FAILED: ${check.problems.join('; ')}`);
  const { sqlite, csv } = result;
  if (sqlite) {
    lines.push(`Demo SQLite: ${plural(sqlite.run.counts.sent, 'record')} stored in ${DEMO_SQLITE_PIPELINE.table} of ${sqlite.database} (the table holds ${plural(sqlite.check.rows, 'row')})`);
    if (!sqlite.check.ok) lines.push(`Demo SQLite check FAILED: ${sqlite.check.problems.join('; ')}`);
  }
  if (csv) {
    lines.push(`Demo CSV: ${plural(csv.run.counts.sent, 'record')} written to ${csv.file} (a header and ${plural(csv.check.lines, 'line')})`);
    if (!csv.check.ok) lines.push(`Demo CSV check FAILED: ${csv.check.problems.join('; ')}`);
  }
  return lines;
}
