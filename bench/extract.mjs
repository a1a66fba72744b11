#!/usr/bin/env node
/**
 * `npm run bench:extract`: extraction of a 10,000-row table by Ferry's rules, in real headless
 * Chromium with the built extension, beside a hand-written querySelectorAll loop over the same page
 * in the same run; and the popup's time to first render with 1,000 runs stored.
 *
 *   in the page   Ferry's extractor (src/extraction/extract-in-page.ts, its source text evaluated in
 *                 the tab as executeScript sends it) with the table rule and with an itemSelector rule
 *                 (one field per column), against the hand-written loop (bench/lib/extract-page.mjs);
 *                 each timed inside the page with performance.now(), rounds alternate who goes first.
 *   end to end    from an extension page on the same tab (activeTab granted by the toolbar click, CDP
 *                 Extensions.triggerAction): `extraction.preview` with the table rule (injection, the
 *                 10,000 records cloned to the background, re-checked, counted) against
 *                 chrome.scripting.executeScript of the hand-written loop (its records cloned back).
 *   popup         popup.html opened in a tab, time from navigation start to the app's first element in
 *                 #root (and first contentful paint), with 1,000 runs seeded through the background's
 *                 own database, against the same with none, in the same browser.
 *
 * Each figure is the median over rounds. Target: Ferry within 2x of the hand-written loop. A
 * measurement, not a test: a missed target prints MISSED and exits 0; records that differ exit 1.
 *
 * Options: --json  --rows N (10000)  --rounds N (9)  --popup-runs N (1000)  --popup-opens N (9)
 *          --no-build  --build (force rebuild)
 */
/* global chrome, document, location, MutationObserver -- functions evaluated in the page and the extension */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ACTION_DEBUGGING_ARGS, clickToolbarButton } from '../scripts/lib/toolbar-action.mjs';
import { positiveOption } from './lib/args.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { FERRY_RULES, handWrittenLoop, startTableServer } from './lib/extract-page.mjs';
import { createBenchProfile, EXTENSION_ID } from './lib/profile.mjs';
import { fmt, renderTable } from './lib/report.mjs';
import { benchSession } from './lib/session.mjs';
import { median } from './lib/stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    rows: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '9' },
    'popup-runs': { type: 'string', default: '1000' },
    'popup-opens': { type: 'string', default: '9' },
  },
});
const config = {
  rows: positiveOption(opts, 'rows'),
  rounds: positiveOption(opts, 'rounds'),
  popupRuns: positiveOption(opts, 'popup-runs'),
  popupOpens: positiveOption(opts, 'popup-opens'),
};
const TARGET = 2;
const log = (line) => process.stderr.write(`[bench:extract] ${line}\n`);

ensureBuilt(root, { mode: opts['no-build'] ? 'never' : opts.build ? 'always' : 'auto', log });

/** Ferry's extractor and config parser, bundled from source (the extension's bundle exposes neither). */
async function loadFerryExtraction() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-extract-'));
  try {
    const outfile = path.join(dir, 'extraction.mjs');
    await build({
      stdin: { contents: "export { extractInPage } from './src/extraction/extract-in-page';\nexport { parseExtractorConfig } from './src/extraction/config';\n", resolveDir: root, loader: 'ts' },
      bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'error',
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { extractInPage, parseExtractorConfig } = await loadFerryExtraction();
const specs = { table: parseExtractorConfig(FERRY_RULES.table), itemSelector: parseExtractorConfig(FERRY_RULES.itemSelector) };
const server = await startTableServer(config.rows);
const profile = createBenchProfile(root);
const bench = benchSession({ profile, log, closeAlso: () => server.close() });

/** One timed call inside the page: Ferry's extractor with a spec, or the hand-written loop. */
const timeInPage = (page, which) =>
  page.evaluate(([name, spec]) => {
    const started = performance.now();
    const result = name === 'hand' ? globalThis.__benchHand() : globalThis.__benchFerry(spec);
    const ms = performance.now() - started;
    const records = Array.isArray(result) ? result : result.ok ? result.records : [];
    return { ms, count: records.length, first: records[0], last: records[records.length - 1], error: result.ok === false ? result.message : undefined };
  }, [which, specs[which] ?? null]);

const problems = [];
const check = (label, sample, expected) => {
  if (sample.error) problems.push(`${label}: ${sample.error}`);
  else if (sample.count !== config.rows) problems.push(`${label}: ${sample.count} records for ${config.rows} rows`);
  else if (expected && JSON.stringify(sample.first) !== JSON.stringify(expected.first)) problems.push(`${label}: first record ${JSON.stringify(sample.first)} differs from the hand-written loop's ${JSON.stringify(expected.first)}`);
};

try {
  log(`page with ${config.rows} rows on ${server.url}; launching headless Chromium…`);
  const { context, worker, version } = await bench.launch({ extensionDir: path.join(root, '.output/chrome-mv3'), userDataDir: profile.userDataDir, env: profile.env, extraArgs: ACTION_DEBUGGING_ARGS });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.evaluate(`globalThis.__benchFerry = (${extractInPage.toString()}); globalThis.__benchHand = (${handWrittenLoop.toString()}); true`);

  // In the page.
  const order = ['hand', 'table', 'itemSelector'];
  for (const which of order) await timeInPage(page, which); // warm-up: JIT and style
  const samples = { hand: [], table: [], itemSelector: [] };
  for (let round = 0; round < config.rounds; round++) {
    const turn = round % 2 === 0 ? order : [...order].reverse();
    const results = {};
    for (const which of turn) results[which] = await timeInPage(page, which);
    check('hand-written loop', results.hand);
    check('Ferry table rule', results.table, results.hand);
    check('Ferry itemSelector rule', results.itemSelector, results.hand);
    for (const which of order) samples[which].push(results[which].ms);
  }
  log(`in the page: hand ${fmt(median(samples.hand), 1)} ms, table rule ${fmt(median(samples.table), 1)} ms, itemSelector rule ${fmt(median(samples.itemSelector), 1)} ms`);

  // End to end, from an extension page, with the activeTab grant of a toolbar click.
  const popup = await clickToolbarButton(context, EXTENSION_ID, page);
  await popup.close();
  const options = await context.newPage();
  await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  const tabId = await options.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, server.url);
  if (tabId === undefined) throw new Error('the table tab is not visible to Ferry after the toolbar click');
  const viaPreview = () =>
    options.evaluate(async ([id, extractor]) => {
      const started = performance.now();
      const reply = await chrome.runtime.sendMessage({ ferry: 1, type: 'extraction.preview', data: { tabId: id, extractor, limit: 1 } });
      return { ms: performance.now() - started, count: reply.ok ? reply.value.count : 0, first: reply.ok ? reply.value.records[0] : undefined, error: reply.ok ? undefined : reply.error.message };
    }, [tabId, FERRY_RULES.table]);
  const viaExecuteScript = () =>
    options.evaluate(`(async () => {
      const started = performance.now();
      const [injection] = await chrome.scripting.executeScript({ target: { tabId: ${tabId} }, func: ${handWrittenLoop.toString()} });
      const records = injection.result;
      return { ms: performance.now() - started, count: records.length, first: records[0] };
    })()`);
  await viaPreview();
  await viaExecuteScript();
  const e2e = { hand: [], ferry: [] };
  for (let round = 0; round < config.rounds; round++) {
    const hand = round % 2 === 0 ? await viaExecuteScript() : undefined;
    const ferry = await viaPreview();
    const handLate = hand ?? (await viaExecuteScript());
    check('hand-written loop via executeScript', handLate);
    check('extraction.preview', ferry, handLate);
    e2e.hand.push(handLate.ms);
    e2e.ferry.push(ferry.ms);
  }
  log(`end to end: executeScript + hand loop ${fmt(median(e2e.hand), 1)} ms, extraction.preview ${fmt(median(e2e.ferry), 1)} ms`);
  await options.close();

  // The popup's first render, without and then with runs stored.
  await context.addInitScript(() => {
    if (!location.pathname.endsWith('/popup.html')) return;
    new MutationObserver((_, observer) => {
      if (document.getElementById('root')?.firstElementChild) {
        globalThis.__firstRender = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const openPopup = async () => {
    const tab = await context.newPage();
    await tab.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await tab.waitForFunction(() => globalThis.__firstRender !== undefined && performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 15_000 });
    const timing = await tab.evaluate(() => ({ render: globalThis.__firstRender, fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime }));
    await tab.close();
    return timing;
  };
  const popupSamples = async () => {
    await openPopup(); // warm-up
    const timings = [];
    for (let i = 0; i < config.popupOpens; i++) timings.push(await openPopup());
    return { render: median(timings.map((t) => t.render)), fcp: median(timings.map((t) => t.fcp)) };
  };
  const emptyPopup = await popupSamples();
  const seeded = await worker.evaluate(async (count) => {
    // Through the background's own database (the Runs repository's Dexie table), as runs leave it.
    const repos = await globalThis.ferry.runs.repos();
    const table = repos.runs.db.runs;
    const now = Date.now();
    const statuses = ['succeeded', 'failed', 'succeeded', 'cancelled'];
    const rows = Array.from({ length: count }, (_, i) => ({
      id: `bench-run-${i}`, pipelineId: `bench-pipeline-${i % 10}`, status: statuses[i % statuses.length],
      createdAt: now - (count - i) * 60_000, updatedAt: now - (count - i) * 60_000 + 5_000, startedAt: now - (count - i) * 60_000 + 100, finishedAt: now - (count - i) * 60_000 + 5_000,
      counts: { extracted: 100, rejected: i % 3, sent: 100 - (i % 3), failed: 0, retried: i % 5 },
    }));
    await table.bulkPut(rows);
    return table.count();
  }, config.popupRuns);
  const fullPopup = await popupSamples();
  log(`popup: first render ${fmt(emptyPopup.render, 1)} ms with no runs, ${fmt(fullPopup.render, 1)} ms with ${seeded} runs stored`);

  const ratio = (a, b) => a / b;
  const rows = [
    { label: `in the page, table rule (${config.rows} rows)`, ferry: `${fmt(median(samples.table), 1)} ms`, bare: `${fmt(median(samples.hand), 1)} ms`, ratio: ratio(median(samples.table), median(samples.hand)), target: `≤ ${TARGET}x` },
    { label: `in the page, itemSelector rule (${config.rows} items)`, ferry: `${fmt(median(samples.itemSelector), 1)} ms`, bare: `${fmt(median(samples.hand), 1)} ms`, ratio: ratio(median(samples.itemSelector), median(samples.hand)), target: `≤ ${TARGET}x` },
    { label: 'end to end, extraction.preview vs executeScript', ferry: `${fmt(median(e2e.ferry), 1)} ms`, bare: `${fmt(median(e2e.hand), 1)} ms`, ratio: ratio(median(e2e.ferry), median(e2e.hand)), target: `≤ ${TARGET}x` },
    { label: `popup first render, ${seeded} runs vs none`, ferry: `${fmt(fullPopup.render, 1)} ms`, bare: `${fmt(emptyPopup.render, 1)} ms`, ratio: ratio(fullPopup.render, emptyPopup.render), target: '—' },
    { label: `popup first contentful paint, ${seeded} runs vs none`, ferry: `${fmt(fullPopup.fcp, 1)} ms`, bare: `${fmt(emptyPopup.fcp, 1)} ms`, ratio: ratio(fullPopup.fcp, emptyPopup.fcp), target: '—' },
  ].map((row) => ({ ...row, met: row.target === '—' ? null : row.ratio <= TARGET }));

  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ chromium: version, config, rows, samples, e2e, popup: { empty: emptyPopup, seeded: fullPopup, runs: seeded }, problems }, null, 2)}\n`);
  } else {
    process.stdout.write(`Chromium ${version}; ${config.rows}-row table, median of ${config.rounds} rounds; popup median of ${config.popupOpens} opens\n`);
    process.stdout.write(`${renderTable(rows).replace('bare echo host', 'hand-written').replace('| Ferry ', '| Ferry ')}\n`);
    process.stdout.write('The popup lists the 5 most recent runs: its first render is measured with the runs in storage.\n');
    for (const row of rows) if (row.met === false) process.stdout.write(`MISSED: ${row.label}: ${fmt(row.ratio, 2)}x, target ≤ ${TARGET}x\n`);
  }
  if (problems.length > 0) {
    process.exitCode = 1;
    for (const problem of [...new Set(problems)]) log(`check failed: ${problem}`);
  }
} catch (error) {
  bench.fail(error);
} finally {
  await bench.cleanup();
}
