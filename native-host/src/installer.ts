/**
 * `ferry-host install` / `uninstall`: registers the host with the browsers of the current user.
 * Writes a launcher into <home>/bin, one host manifest per browser (or per dedicated Chromium
 * profile with --user-data-dir), on Windows the HKCU registry keys (see install-targets.ts), and an
 * install record listing all of it so that uninstall removes exactly what install wrote.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, sep, win32 } from 'node:path';
import { HOST_NAME } from '../../src/protocol';
import type { FerryPaths } from './home';
import { deleteRecord, mergeEntries, readRecord, recordPath, writeRecord, type InstallEntry } from './install-record';
import { BROWSERS, MANIFEST_FILE, browserFamily, manifestDir, registryKey, userDataDirManifest, type Browser } from './install-targets';
import { hostManifest, launcherFileName, launcherScript } from './launcher';
import * as registry from './windows-registry';

export interface InstallerEnvironment {
  paths: FerryPaths;
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
  /** Receives one line per thing written or removed. */
  print: (line: string) => void;
}

export interface InstallOptions extends InstallerEnvironment {
  /** Absolute path of the Node binary the launcher will run (process.execPath). */
  nodePath: string;
  /** Absolute path of native-host/dist/ferry-host.mjs. */
  hostScript: string;
  browsers?: readonly Browser[];
  /** Write only <dir>/NativeMessagingHosts/dev.ferry.host.json, for a dedicated Chromium profile. */
  userDataDir?: string;
}

export function install(options: InstallOptions): InstallEntry[] {
  const { paths, platform, print } = options;
  if (!existsSync(options.hostScript)) {
    throw new Error(`Ferry host is not built (${options.hostScript} is missing): run \`npm run build:host\``);
  }
  // Every directory this install creates (and only those) is recorded, so uninstall can remove it
  // again once it is empty. Ferry's own directories are private to the user.
  const createdDirs: string[] = [];
  makeDirs(paths.configDir, createdDirs, 0o700);
  makeDirs(paths.binDir, createdDirs, 0o700);

  const launcherPath = join(paths.binDir, launcherFileName(platform));
  writeFileSync(launcherPath, launcherScript(options.nodePath, options.hostScript, platform, options.env.FERRY_HOME?.trim() ? (platform === 'win32' ? win32 : posix).resolve(options.env.FERRY_HOME) : undefined), { mode: 0o755 });
  chmodSync(launcherPath, 0o755);
  const entries: InstallEntry[] = [{ target: 'launcher', kind: 'launcher', path: launcherPath }];
  print(`launcher   ${launcherPath}`);

  const writeManifest = (file: string, browser: Browser, entry: Omit<InstallEntry, 'kind' | 'path'>): void => {
    makeDirs(dirname(file), createdDirs);
    writeFileSync(file, `${JSON.stringify(hostManifest(browserFamily(browser), launcherPath), null, 2)}\n`, { mode: 0o644 });
    entries.push({ ...entry, kind: 'manifest', path: file });
    print(`${entry.target.padEnd(10)} ${file}`);
  };

  if (options.userDataDir !== undefined) {
    const file = userDataDirManifest(options.userDataDir);
    writeManifest(file, 'chromium', { target: 'user-data-dir', userDataDir: dirname(dirname(file)) });
  } else if (platform === 'win32') {
    for (const browser of options.browsers ?? BROWSERS) {
      const file = join(paths.dataDir, 'manifests', browserFamily(browser), MANIFEST_FILE);
      if (!entries.some((e) => e.path === file)) writeManifest(file, browser, { target: browserFamily(browser) });
      registry.setDefaultValue(registryKey(browser), file);
      entries.push({ target: browser, kind: 'registry-key', path: registryKey(browser) });
      print(`${browser.padEnd(10)} ${registryKey(browser)} -> ${file}`);
    }
  } else {
    for (const browser of options.browsers ?? BROWSERS) {
      writeManifest(posix.join(manifestDir(browser, options), MANIFEST_FILE), browser, { target: browser });
    }
  }

  const previous = readRecord(paths.configDir);
  writeRecord(paths.configDir, {
    version: 1,
    updatedAt: new Date().toISOString(),
    node: options.nodePath,
    hostScript: options.hostScript,
    entries: mergeEntries(previous?.entries ?? [], entries),
    createdDirs: [...new Set([...(previous?.createdDirs ?? []), ...createdDirs])],
  });
  print(`record     ${recordPath(paths.configDir)}`);
  return entries;
}

export interface UninstallOptions extends InstallerEnvironment {
  /** Remove only this dedicated profile's manifest. */
  userDataDir?: string;
}

/** Removes what install wrote. Returns the number of files and keys removed. */
export function uninstall(options: UninstallOptions): number {
  const { paths, print } = options;
  const record = readRecord(paths.configDir);
  let removed = 0;

  if (options.userDataDir !== undefined) {
    const file = userDataDirManifest(options.userDataDir);
    if (removeManifest(file, print)) removed += 1;
    if (!record) return removed;
    const remaining = record.entries.filter((e) => !(e.kind === 'manifest' && e.path === file));
    removeEmptyDirs(record.createdDirs.filter((d) => file.startsWith(d + sep)));
    const createdDirs = record.createdDirs.filter((d) => existsSync(d));
    if (remaining.some((e) => e.kind !== 'launcher')) {
      writeRecord(paths.configDir, { ...record, updatedAt: new Date().toISOString(), entries: remaining, createdDirs });
      return removed;
    }
    // That was the last registration: the launcher and the record go too.
    return removed + removeAll({ ...record, entries: remaining, createdDirs }, options);
  }

  if (!record) {
    print(`Nothing to uninstall: no install record at ${recordPath(paths.configDir)}`);
    return 0;
  }
  return removeAll(record, options);
}

function removeAll(record: NonNullable<ReturnType<typeof readRecord>>, options: UninstallOptions): number {
  let removed = 0;
  // Registrations first, the launcher they point at last.
  const order = { 'registry-key': 0, manifest: 1, launcher: 2 } as const;
  for (const entry of [...record.entries].sort((a, b) => order[a.kind] - order[b.kind])) {
    if (entry.kind === 'registry-key') {
      if (registry.deleteKey(entry.path)) {
        options.print(`removed ${entry.path}`);
        removed += 1;
      }
    } else if (entry.kind === 'manifest') {
      if (removeManifest(entry.path, options.print)) removed += 1;
    } else if (existsSync(entry.path)) {
      rmSync(entry.path, { force: true });
      options.print(`removed ${entry.path}`);
      removed += 1;
    }
  }
  // The record lives in the config directory: it goes first, so that directory can be empty too.
  deleteRecord(options.paths.configDir);
  options.print(`removed ${recordPath(options.paths.configDir)}`);
  removeEmptyDirs(record.createdDirs);
  return removed;
}

/** Removes a manifest only if it is still Ferry's (a file someone replaced is left alone). */
function removeManifest(file: string, print: (line: string) => void): boolean {
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    print(`kept ${file}: it is not a readable host manifest`);
    return false;
  }
  if (name !== HOST_NAME) {
    print(`kept ${file}: it registers "${String(name)}", not ${HOST_NAME}`);
    return false;
  }
  rmSync(file, { force: true });
  print(`removed ${file}`);
  return true;
}

/** mkdir -p that remembers which directories did not exist before (`mode` applies to those). */
function makeDirs(dir: string, created: string[], mode?: number): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  mkdirSync(dir, { recursive: true, mode });
  for (const d of missing) if (!created.includes(d)) created.push(d);
}

/** Removes directories that are empty now, deepest first; others are kept silently. */
function removeEmptyDirs(dirs: readonly string[]): void {
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (the browser or the user put something there) or already gone.
    }
  }
}
