/**
 * The `ferry-host` command line. Exit codes: 0 success, 1 failure, 2 usage error.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HOST_NAME, PROTOCOL_VERSION } from '../../src/protocol';
import { resolvePaths } from './home';
import { readRecord, recordPath } from './install-record';
import { BROWSERS, MANIFEST_FILE, isBrowser, manifestDir, registryKey, type Browser } from './install-targets';
import { install, uninstall, type InstallerEnvironment } from './installer';
import { launcherFileName } from './launcher';
import { runRootsCommand } from './roots/roots-command';
import { sandboxFilePath } from './roots/sandbox-file';
import { hostScriptPath, nodePath } from './self';
import { serve } from './serve';
import { runSqliteRunner } from './db/sqlite-runner';
import { HOST_VERSION } from './version';

export const USAGE = `Usage: ferry-host <command> [options]

Commands:
  serve [browser args...]     Run the native messaging host on stdin/stdout. Browsers start it
                              through the launcher written by install.
  install [--browsers LIST] [--user-data-dir DIR]
                              Register the host for the current user with Chrome, Chromium, Edge,
                              Brave and Firefox. LIST is a comma-separated subset of
                              ${BROWSERS.join(',')}. --user-data-dir writes only
                              DIR/NativeMessagingHosts/${MANIFEST_FILE} (a dedicated Chromium profile).
  uninstall [--user-data-dir DIR]
                              Remove what install wrote (or only that profile's manifest).
  info                        Print the host's paths and install state as JSON.
  roots add <folder> [--name NAME] [--default] [--read-only] [--force]
                              Grant the host a folder (the only places it reads and writes files).
                              Relative paths resolve in the default folder (the first one granted,
                              or --default). The whole filesystem and Ferry's own config folder are
                              never granted; your home folder only with --force.
  roots remove <name|folder>  Revoke a folder (its files are untouched).
  roots list [--json]         Show the granted folders.

Options:
  -h, --help                  Show this help.
  --version                   Print the host version.

Environment:
  FERRY_HOME                  Keep config/, data/, logs/ and bin/ under this directory.
  FERRY_LOG_LEVEL             error | warn | info | debug (default info).
  FERRY_HOST_MAX_FRAME_BYTES  Largest incoming frame (default 64 MiB); bigger messages use $/chunk.
  FERRY_HOST_MAX_MESSAGE_BYTES
                              Largest message rebuilt from $/chunk pieces (default 256 MiB).
  FERRY_HOST_SHUTDOWN_GRACE_MS
                              After input ends: how long calls may still run before they are
                              cancelled, and how long a stdout that takes no bytes is waited for
                              before unsent frames are dropped (default 2000).
  FERRY_HOST_MAX_UNSENT_BYTES
                              Replies the browser has not read yet above which the host stops
                              reading new requests until it catches up (default 1 MiB).
  FERRY_HOST_MAX_ACTIVE_CALLS
                              Calls running at once above which the host stops reading new
                              requests (default 512).
  FERRY_HOST_MAX_CHUNK_BUFFER_BYTES
                              Most bytes all unfinished $/chunk streams may hold together
                              (default: FERRY_HOST_MAX_MESSAGE_BYTES).
  FERRY_HOST_CHUNK_TIMEOUT_MS
                              An unfinished $/chunk stream with no new piece for this long is
                              dropped and its call answered with an error (default 30000).
  FERRY_HOST_MAX_RESULT_BYTES
                              Most bytes one db.select page may hold, counted as rows arrive;
                              a bigger page is refused with what to do (default 64 MiB).
  FERRY_HOST_ALLOWED_ORIGINS  Extra callers allowed, comma-separated (development).
  FERRY_HOST_TEST_METHODS     1 serves the test.* and JSON-RPC example methods (tests only).
`;

class UsageError extends Error {}

type Out = { stdout: (text: string) => void; stderr: (text: string) => void };
// install, uninstall, info, roots and --help print for a person; serve never reaches this (its stdout is guarded).
// eslint-disable-next-line no-restricted-properties -- the CLI's output outside serve
const defaultOut: Out = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** Runs the CLI; resolves with the process exit code. */
export async function runCli(argv: readonly string[], out: Out = defaultOut): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // A manifest pointing straight at the bin script gets the browser's arguments, not "serve".
    if (command !== undefined && (command.startsWith('chrome-extension://') || command.endsWith('.json'))) return await serve(argv);
    switch (command) {
      case 'serve':
        return await serve(rest);
      // Not in --help: started by serve itself (db/sqlite-runner-client.ts), with an IPC channel.
      case 'sqlite-runner':
        return await runSqliteRunner(rest);
      case 'install':
        return runInstall(rest, out);
      case 'uninstall':
        return runUninstall(rest, out);
      case 'roots': {
        const paths = resolvePaths();
        return runRootsCommand(rest, {
          configDir: paths.configDir,
          protectedDirs: [paths.configDir, paths.binDir],
          cwd: process.cwd(),
          home: homedir(),
          ...out,
        });
      }
      case 'info':
        noArguments('info', rest);
        out.stdout(`${JSON.stringify(info(), null, 2)}\n`);
        return 0;
      case '--version':
        out.stdout(`${HOST_VERSION}\n`);
        return 0;
      case undefined:
        out.stderr(USAGE);
        return 2;
      case 'help':
      case '--help':
      case '-h':
        out.stdout(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      out.stderr(`ferry-host: ${error.message}\nRun \`ferry-host --help\` for usage.\n`);
      return 2;
    }
    out.stderr(`ferry-host: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function installerEnvironment(out: Out): InstallerEnvironment {
  return { paths: resolvePaths(), platform: process.platform, home: homedir(), env: process.env, print: (line) => out.stdout(`  ${line}\n`) };
}

function runInstall(args: readonly string[], out: Out): number {
  const flags = parseFlags('install', args, ['browsers', 'user-data-dir']);
  let browsers: Browser[] | undefined;
  if (flags.browsers !== undefined) {
    if (flags['user-data-dir'] !== undefined) throw new UsageError('--browsers and --user-data-dir cannot be combined');
    browsers = [];
    for (const name of flags.browsers.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
      if (!isBrowser(name)) throw new UsageError(`unknown browser "${name}" in --browsers (choose from ${BROWSERS.join(', ')})`);
      if (!browsers.includes(name)) browsers.push(name);
    }
    if (browsers.length === 0) throw new UsageError('--browsers needs at least one browser');
  }
  const env = installerEnvironment(out);
  out.stdout(`Installing the Ferry native host (${HOST_NAME}):\n`);
  install({ ...env, nodePath: nodePath(), hostScript: hostScriptPath(), browsers, userDataDir: flags['user-data-dir'] });
  out.stdout(`Done. Node: ${nodePath()}\nRestart the browser if it was running so it rereads the manifests.\n`);
  return 0;
}

function runUninstall(args: readonly string[], out: Out): number {
  const flags = parseFlags('uninstall', args, ['user-data-dir']);
  out.stdout(`Uninstalling the Ferry native host (${HOST_NAME}):\n`);
  const removed = uninstall({ ...installerEnvironment(out), userDataDir: flags['user-data-dir'] });
  out.stdout(`Done: removed ${removed} registration file(s) or key(s).\n`);
  return 0;
}

function info(): Record<string, unknown> {
  const paths = resolvePaths();
  const platform = process.platform;
  const registrations = Object.fromEntries(
    BROWSERS.map((b) => [b, platform === 'win32' ? registryKey(b) : join(manifestDir(b, { platform, home: homedir(), env: process.env }), MANIFEST_FILE)]),
  );
  let installed: unknown;
  try {
    installed = readRecord(paths.configDir);
  } catch (error) {
    installed = { error: (error as Error).message };
  }
  return {
    name: 'ferry-host',
    version: HOST_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    hostName: HOST_NAME,
    node: nodePath(),
    hostScript: hostScriptPath(),
    ...paths,
    launcher: join(paths.binDir, launcherFileName(platform)),
    logFile: join(paths.logsDir, 'host.log'),
    installRecord: recordPath(paths.configDir),
    sandboxFile: sandboxFilePath(paths.configDir),
    registrations,
    installed,
  };
}

function noArguments(command: string, args: readonly string[]): void {
  if (args.length > 0) throw new UsageError(`${command} takes no arguments (got "${args[0]}")`);
}

/** Parses `--name value` and `--name=value` flags; anything else is a usage error. */
export function parseFlags<N extends string>(command: string, args: readonly string[], names: readonly N[]): Partial<Record<N, string>> {
  const values: Partial<Record<N, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`${command}: unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!(names as readonly string[]).includes(name)) {
      const known = names.map((n) => `--${n}`).join(', ');
      throw new UsageError(`${command}: unknown option "--${name}" (${command} accepts ${known || 'no options'})`);
    }
    const value: string | undefined = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw new UsageError(`${command}: --${name} needs a value`);
    }
    if (values[name as N] !== undefined) throw new UsageError(`${command}: --${name} given twice`);
    values[name as N] = value;
  }
  return values;
}
