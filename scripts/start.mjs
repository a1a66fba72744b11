#!/usr/bin/env node
/**
 * `npm start`: builds Ferry, installs the native host for a dedicated browser profile, grants the
 * host a demo export folder, serves a local demo page and a local demo API, opens Chromium or Chrome
 * with the extension loaded, and saves the demo pipelines into it (demo page → demo API, → the
 * host's embedded SQLite database, → a CSV file in the export folder). Then the user clicks Ferry's
 * toolbar button on the demo page and sends it.
 *
 * With --headless, or when there is no display, it runs the demo itself instead: it prints the
 * host's status, clicks the toolbar button on the demo page (CDP), starts each run from the popup,
 * waits for it, prints a summary and checks it against what landed. It exits 0 only when the host is
 * connected, every valid record reached the API exactly once, and the SQLite table and the CSV file
 * hold one row per record sent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBrowser, browserInstallHint } from './lib/find-browser.mjs';
import { launchWithExtension } from './lib/launch.mjs';
import { serveDemo } from './lib/demo-server.mjs';
import { startDemoApi } from './lib/demo-api.mjs';
import { DEMO_CSV_PIPELINE, DEMO_PIPELINE, DEMO_SQLITE_PIPELINE, describeDemo, installDemo, runDemo } from './lib/demo.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const headless = argv.includes('--headless') || (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
const skipBuild = argv.includes('--no-build');

function step(text) {
  process.stderr.write(`\u001b[36m›\u001b[0m ${text}\n`);
}

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

const browser = findBrowser();
if (!browser) {
  process.stderr.write(`No Chromium or Chrome was found.\n${browserInstallHint()}\n`);
  process.exit(1);
}

if (!skipBuild) {
  step('Building the native host and the Chrome extension');
  run(process.execPath, ['native-host/build.mjs']);
  run(process.execPath, [path.join(root, 'node_modules/wxt/bin/wxt.mjs'), 'build']);
}
const extensionDir = path.join(root, '.output/chrome-mv3');
if (!existsSync(path.join(extensionDir, 'manifest.json'))) {
  process.stderr.write('The extension is not built: run `npm run build` first.\n');
  process.exit(1);
}

const profile = process.env.FERRY_DEV_PROFILE ?? path.join(root, '.ferry-dev', headless ? 'profile-headless' : 'profile');
// The demo keeps its host files inside the clone, so it never replaces the launcher of a real
// `npm run host:install` and two clones never fight over one.
process.env.FERRY_HOME ??= path.join(root, '.ferry-dev', 'home');
mkdirSync(profile, { recursive: true });
step(`Installing the native host for the dedicated profile ${path.relative(root, profile)}`);
run(process.execPath, ['native-host/bin/ferry-host.mjs', 'install', '--user-data-dir', profile]);
step(`Host files: ${path.relative(root, process.env.FERRY_HOME) || process.env.FERRY_HOME}`);
// The folder the host may write the demo's CSV into: granted like any folder a user grants.
const exportsDir = path.resolve(process.env.FERRY_DEMO_EXPORTS ?? path.join(root, '.ferry-dev', 'exports'));
mkdirSync(exportsDir, { recursive: true });
grantFolder(exportsDir);
step(`Granted the host the demo export folder ${path.relative(root, exportsDir) || exportsDir}`);

/** `ferry-host roots add`, unless the folder is granted already (a second npm start). */
function grantFolder(folder) {
  const cli = ['native-host/bin/ferry-host.mjs', 'roots'];
  const listed = JSON.parse(execFileSync(process.execPath, [...cli, 'list', '--json'], { cwd: root, encoding: 'utf8' }));
  const real = realpathSync(folder);
  if ((listed.roots ?? listed).some((r) => r.path === real)) return;
  run(process.execPath, [...cli, 'add', folder, '--name', 'ferry-demo-exports']);
}

const api = await startDemoApi();
const demo = await serveDemo(path.join(root, 'scripts/demo'), { vars: { DEMO_API_URL: api.url } });
step(`Demo page: ${demo.url}`);
step(`Demo API: ${api.url}/`);
step(`Opening ${browser.name} (${browser.path})${headless ? ' headless' : ''}`);
let setupError;
const session = await launchWithExtension({
  executablePath: browser.path,
  profile,
  extensionDir,
  headless,
  startUrl: demo.url,
  setup: async (send) => {
    try {
      await installDemo(send, { demoDir: path.join(root, 'scripts/demo'), apiUrl: api.url, exportsDir });
      step(`Saved the pipelines "${DEMO_PIPELINE.name}", "${DEMO_SQLITE_PIPELINE.name}" and "${DEMO_CSV_PIPELINE.name}" in Ferry (DEMO_API=${api.url}, DEMO_EXPORTS=${exportsDir})`);
    } catch (error) {
      setupError = error;
    }
  },
});
const stopServers = () => Promise.all([demo.close(), api.close()]);

if (headless) {
  const status = await session.hostStatus();
  let ok = status.state === 'connected';
  if (ok) {
    process.stdout.write(
      `Ferry native host: connected — host ${status.hostVersion}, protocol ${status.protocolVersion}, ` +
        `Node ${status.nodeVersion}, round trip ${status.lastRoundTripMs} ms\n` +
        `Data directory: ${status.dataDir}\n`,
    );
  } else {
    process.stdout.write(`Ferry native host: ${status.state} — ${status.lastError?.message ?? 'no answer'}\n`);
    if (status.lastError?.hint) process.stdout.write(`Next step: ${status.lastError.hint}\n`);
  }
  if (setupError) {
    process.stdout.write(`Demo: could not save the demo pipeline: ${setupError.message}\n`);
    ok = false;
  } else {
    try {
      const result = await runDemo({ context: session.context, extensionId: session.extensionId, page: session.page, api, dataDir: status.dataDir, exportsDir });
      process.stdout.write(describeDemo(result, { pageUrl: demo.url, api }).map((line) => `${line}\n`).join(''));
      ok &&= result.check.ok && result.sqlite.check.ok && result.csv.check.ok;
    } catch (error) {
      process.stdout.write(`Demo: ${error.message}${error.code ? ` (${error.code})` : ''}\n`);
      ok = false;
    }
  }
  await session.close();
  await stopServers();
  process.exit(ok ? 0 : 1);
}

if (setupError) step(`Could not save the demo pipeline: ${setupError.message}`);
// The API's page in a second tab, so the records can be watched as they land; the demo page stays in front.
const apiTab = await session.context.newPage();
await apiTab.goto(`${api.url}/`).catch(() => undefined);
await session.page.bringToFront();
process.stderr.write(
  [
    '',
    'Ferry is running with its demo.',
    `  Demo page  ${demo.url}  (the first tab: a table of 10 contacts)`,
    `  Demo API   ${api.url}/  (the second tab: what arrived; JSON at ${api.url}/v1/contacts)`,
    '',
    `  Next: on the demo page, click the Ferry toolbar button → Send this page → "${DEMO_PIPELINE.name}" → Send.`,
    `  Then the same with "${DEMO_SQLITE_PIPELINE.name}" (table ${DEMO_SQLITE_PIPELINE.table} in ${path.join(process.env.FERRY_HOME, 'data', 'ferry.sqlite')})`,
    `  and "${DEMO_CSV_PIPELINE.name}" (${path.join(exportsDir, DEMO_CSV_PIPELINE.csvFile)}).`,
    '  (No Ferry button? Pin it from the puzzle-piece menu.) Close the browser to stop.',
    '',
  ].join('\n') + '\n',
);
await session.closed;
await stopServers();
