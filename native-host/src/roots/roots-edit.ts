/**
 * Granting and revoking folders: the checks behind `ferry-host roots add|remove`. A grant is stored
 * as the folder's realpath, so a symlink swapped in later cannot move it.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, parse, relative, resolve, sep } from 'node:path';
import type { RootEntry, SandboxFile } from './sandbox-file';

/** A grant the user asked for that cannot be made; the message says why and what to do. */
export class RootsError extends Error {
  override name = 'RootsError';
}

export interface AddRootRequest {
  /** As typed; relative to `cwd`. */
  folder: string;
  cwd: string;
  /** The user's home directory (refused unless `force`). */
  home: string;
  name?: string;
  makeDefault?: boolean;
  readOnly?: boolean;
  force?: boolean;
  /** Folders of Ferry itself (config, launcher): a root may not contain them. */
  protectedDirs: readonly string[];
}

const NAME = /^[^/\\]{1,64}$/;
const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

export function addRoot(current: SandboxFile, request: AddRootRequest): { file: SandboxFile; added: RootEntry } {
  const typed = resolve(request.cwd, request.folder);
  let path: string;
  try {
    path = realpathSync(typed);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RootsError(code === 'ENOENT' ? `there is no folder at ${typed}; create it first` : `cannot use ${typed}: ${(error as Error).message}`);
  }
  if (!statSync(path).isDirectory()) throw new RootsError(`${path} is a file, not a folder; grant the folder that holds it`);
  if (parse(path).root === path) throw new RootsError(`refusing to grant ${path}: that is the whole filesystem; grant a folder for Ferry's files instead`);
  const home = safeRealpath(request.home);
  if (home !== undefined && path === home && !request.force) {
    throw new RootsError(`refusing to grant your whole home folder (${path}): it holds your keys and settings. Grant a folder inside it, or add --force if you really mean it`);
  }
  for (const dir of request.protectedDirs) {
    const real = safeRealpath(dir) ?? resolve(dir);
    if (contains(path, real)) throw new RootsError(`refusing to grant ${path}: it contains Ferry's own files (${real}); grant a folder that does not`);
  }
  const name = request.name ?? (basename(path) || path);
  if (!NAME.test(name) || hasControl(name)) throw new RootsError(`"${name}" is not a usable name: 1 to 64 characters, no slashes or control characters`);
  const same = current.roots.find((r) => r.path === path);
  if (same) throw new RootsError(`${path} is already granted as "${same.name}"`);
  if (current.roots.some((r) => r.name === name)) throw new RootsError(`a folder named "${name}" is already granted; choose another with --name`);

  const added: RootEntry = { name, path, ...(request.readOnly ? { readOnly: true } : {}) };
  const makeDefault = request.makeDefault || current.roots.length === 0;
  const roots = current.roots.map((r) => (makeDefault ? withoutDefault(r) : r));
  roots.push(makeDefault ? { ...added, default: true } : added);
  return { file: { ...current, roots }, added: roots[roots.length - 1]! };
}

/** Removes the root with that name (or path); the first remaining one becomes the default if needed. */
export function removeRoot(current: SandboxFile, nameOrPath: string, cwd: string): { file: SandboxFile; removed: RootEntry } {
  const asPath = safeRealpath(resolve(cwd, nameOrPath)) ?? resolve(cwd, nameOrPath);
  const removed =
    current.roots.find((r) => r.name === nameOrPath) ?? current.roots.find((r) => r.path === asPath || r.path === nameOrPath);
  if (!removed) {
    const names = current.roots.map((r) => `"${r.name}"`).join(', ');
    throw new RootsError(`no granted folder is named or located at "${nameOrPath}"${names ? ` (granted: ${names})` : ' (none is granted)'}`);
  }
  const roots = current.roots.filter((r) => r !== removed);
  if (removed.default && roots.length > 0 && !roots.some((r) => r.default)) roots[0] = { ...roots[0]!, default: true };
  return { file: { ...current, roots }, removed };
}

/** True when `inner` is `outer` or lies inside it (both absolute and normalized). */
export function contains(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function withoutDefault(r: RootEntry): RootEntry {
  const { default: _drop, ...rest } = r;
  return rest;
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
