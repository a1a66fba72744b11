#!/usr/bin/env node
/**
 * `npm test`: typecheck, lint, unit tests, integration tests against local servers, builds, native
 * host tests, end-to-end tests in Chromium and Firefox ESR, and `web-ext lint` on the Firefox build
 * — in that order, stopping at the first failing stage. Test counts are read from each runner's
 * JSON report and summed on the last line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, 'artifacts', 'reports');
mkdirSync(reports, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const stages = [
  { name: 'typecheck', cmd: bin('tsc'), args: ['--noEmit', '-p', '.'] },
  { name: 'lint', cmd: bin('eslint'), args: ['.'] },
  { name: 'unit', cmd: bin('vitest'), args: ['run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, 'unit.json')}`], report: 'vitest' },
  { name: 'integration', cmd: bin('vitest'), args: ['run', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, 'integration.json')}`], report: 'vitest' },
  { name: 'build', cmd: 'npm', args: ['run', '--silent', 'build:all'] },
  { name: 'host', cmd: bin('vitest'), args: ['run', '--project', 'host', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, 'host.json')}`], report: 'vitest' },
  { name: 'e2e', cmd: bin('playwright'), args: ['test', '--reporter=list,json'], env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reports, 'e2e.json') }, report: 'playwright' },
  { name: 'web-ext lint', cmd: 'npm', args: ['run', '--silent', 'lint:firefox'] },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const stage of stages) {
  if (only.length && !only.includes(stage.name)) continue;
  process.stdout.write(`\n== ${stage.name} ==\n`);
  if (stage.report) rmSync(reportFile(stage), { force: true }); // never count a stale report
  const started = Date.now();
  const result = spawnSync(stage.cmd, stage.args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...stage.env } });
  const counts = stage.report ? readCounts(stage) : null;
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`\n✖ ${stage.name} failed after ${seconds} s (exit ${result.status ?? result.signal})\n`);
    if (!counts) failed += 1;
    summary();
    process.exit(1);
  }
  process.stdout.write(`✔ ${stage.name} (${seconds} s)\n`);
}
summary();

function summary() {
  process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
}

function readCounts(stage) {
  const file = reportFile(stage);
  if (!existsSync(file)) return null;
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (stage.report === 'vitest') {
    return { passed: data.numPassedTests ?? 0, failed: data.numFailedTests ?? 0, skipped: (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0) };
  }
  const s = data.stats ?? {};
  return { passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0), skipped: s.skipped ?? 0 };
}

function reportFile(stage) {
  return path.join(reports, `${stage.name}.json`);
}
