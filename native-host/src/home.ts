/**
 * Where the host keeps its files. `$FERRY_HOME` puts everything under one directory (tests, portable
 * installs); otherwise each platform's conventional places are used.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export interface FerryPaths {
  /** Settings and the install record. */
  configDir: string;
  /** Databases, files the host manages, Windows host manifests. */
  dataDir: string;
  /** host.log and its rotated copies. */
  logsDir: string;
  /** The launcher the browser manifests point at. */
  binDir: string;
}

export interface PathEnvironment {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** os.homedir(): honours $HOME on POSIX. */
  home: string;
}

function currentEnvironment(): PathEnvironment {
  return { env: process.env, platform: process.platform, home: homedir() };
}

/** Resolves the host's directories without creating them. */
export function resolvePaths(from: PathEnvironment = currentEnvironment()): FerryPaths {
  const { env, platform, home } = from;
  const { join, resolve } = platform === 'win32' ? win32 : posix;
  const ferryHome = env.FERRY_HOME?.trim() ? resolve(env.FERRY_HOME) : undefined;
  if (ferryHome) {
    return {
      configDir: join(ferryHome, 'config'),
      dataDir: join(ferryHome, 'data'),
      logsDir: join(ferryHome, 'logs'),
      binDir: join(ferryHome, 'bin'),
    };
  }
  if (platform === 'darwin') {
    const base = join(home, 'Library', 'Application Support', 'Ferry');
    return {
      configDir: join(base, 'config'),
      dataDir: join(base, 'data'),
      logsDir: join(home, 'Library', 'Logs', 'Ferry'),
      binDir: join(base, 'bin'),
    };
  }
  if (platform === 'win32') {
    const roaming = absolute(env.APPDATA, win32) ?? join(home, 'AppData', 'Roaming');
    const local = absolute(env.LOCALAPPDATA, win32) ?? join(home, 'AppData', 'Local');
    return {
      configDir: join(roaming, 'Ferry'),
      dataDir: join(local, 'Ferry', 'data'),
      logsDir: join(local, 'Ferry', 'logs'),
      binDir: join(local, 'Ferry', 'bin'),
    };
  }
  // Linux and other Unixes: XDG base directories.
  const config = absolute(env.XDG_CONFIG_HOME, posix) ?? join(home, '.config');
  const data = absolute(env.XDG_DATA_HOME, posix) ?? join(home, '.local', 'share');
  const state = absolute(env.XDG_STATE_HOME, posix) ?? join(home, '.local', 'state');
  return {
    configDir: join(config, 'ferry'),
    dataDir: join(data, 'ferry'),
    logsDir: join(state, 'ferry', 'logs'),
    binDir: join(data, 'ferry', 'bin'),
  };
}

/** Creates a directory (and its parents) readable only by the user, and returns it. */
export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** XDG says relative values are invalid and must be ignored; the same is sensible for %APPDATA%. */
function absolute(value: string | undefined, path: typeof posix): string | undefined {
  return value && path.isAbsolute(value) ? value : undefined;
}
