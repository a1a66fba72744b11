#!/usr/bin/env node
/**
 * `npm start`: builds Ferry, installs the native host for a dedicated browser profile, serves a local
 * demo page and opens Chromium or Chrome with the extension loaded. With --headless, or when there is
 * no display, it runs a headless smoke run instead: it prints the host's status and exits (0 when the
 * host is connected).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBrowser, browserInstallHint } from './lib/find-browser.mjs';
import { launchWithExtension } from './lib/launch.mjs';
import { serveDemo } from './lib/demo-server.mjs';

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

const demo = await serveDemo(path.join(root, 'scripts/demo'));
step(`Demo page: ${demo.url}`);
step(`Opening ${browser.name} (${browser.path})${headless ? ' headless' : ''}`);
const session = await launchWithExtension({ executablePath: browser.path, profile, extensionDir, headless, startUrl: demo.url });

if (headless) {
  const status = await session.hostStatus();
  await session.close();
  await demo.close();
  if (status.state === 'connected') {
    process.stdout.write(
      `Ferry native host: connected — host ${status.hostVersion}, protocol ${status.protocolVersion}, ` +
        `Node ${status.nodeVersion}, round trip ${status.lastRoundTripMs} ms\n` +
        `Data directory: ${status.dataDir}\n`,
    );
    process.exit(0);
  }
  process.stdout.write(`Ferry native host: ${status.state} — ${status.lastError?.message ?? 'no answer'}\n`);
  if (status.lastError?.hint) process.stdout.write(`Next step: ${status.lastError.hint}\n`);
  process.exit(1);
}

step('Ferry is running. Click the Ferry toolbar button to see the host status; close the browser to stop.');
await session.closed;
await demo.close();
