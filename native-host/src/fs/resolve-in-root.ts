/**
 * The sandbox's one question: which real file does this path name, and may the host touch it?
 * Lexical checks come first (an absolute path outside every root is refused before anything is
 * opened or even stat'ed); then symlinks are resolved with realpath — of the target for reads and
 * existing files, of the deepest existing folder for new files — and the real location must still
 * lie in a granted, present root. open-in-root.ts re-checks the opened descriptor.
 */
import type { Stats } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { GrantedRoot } from '../roots/sandbox-file';
import { contains } from '../roots/roots-edit';
import { checkPathInput, endsWithSeparator } from './path-input';
import { GRANT_HINT, sandboxError } from './sandbox-error';

export interface ResolveOptions {
  /** The caller means to write (read-only roots refuse, new files may be allowed). */
  forWrite?: boolean;
  /** With forWrite: the file may not exist yet (its missing folders are listed in `missingDirs`). */
  allowCreate?: boolean;
  /** Reads: refuse files larger than this (FileTooLarge). */
  maxReadBytes?: number;
  /** Ferry's own folders (config, launcher): never reachable, even inside a root. */
  protectedDirs?: readonly string[];
}

export interface ResolvedPath {
  /** The real, symlink-free path to open (for a new file: its real folder joined with the new names). */
  path: string;
  /** The granted root the real path lies in. */
  root: GrantedRoot;
  exists: boolean;
  /** For an existing file: identity and size, to compare with the opened descriptor. */
  stats?: { dev: number; ino: number; size: number };
  /** For a new file: folders to create, outermost first (real paths). */
  missingDirs: string[];
}

export async function resolveInRoot(input: string, roots: readonly GrantedRoot[], options: ResolveOptions = {}): Promise<ResolvedPath> {
  checkPathInput(input);
  if (roots.length === 0) {
    throw sandboxError('NoRoots', `No folder is granted to the Ferry host yet. Grant one with: ${GRANT_HINT}`, input);
  }
  const live = await liveRoots(roots);
  const { lexical, root: lexicalRoot } = locate(input, roots, live);
  if (endsWithSeparator(input) && lexical !== lexicalRoot.path) {
    throw sandboxError('PathNotRegular', `${input} names a folder; a file is expected`, input, 'directory');
  }
  guardProtected(lexical, input, options);
  if (options.forWrite && lexicalRoot.readOnly) throw readOnly(input, lexicalRoot);

  let linkStats: Stats | undefined;
  try {
    linkStats = await lstat(lexical);
  } catch (error) {
    const code = errno(error);
    if (code === 'ENOTDIR') throw sandboxError('PathNotRegular', `A part of ${input} is a file, not a folder`, input, 'not-a-folder');
    if (code === 'ELOOP') throw sandboxError('PathNotRegular', `${input} goes through a symbolic link loop`, input, 'symlink-loop');
    if (code !== 'ENOENT') throw error;
  }
  if (linkStats) return resolveExisting(input, lexical, live, options);
  if (!options.forWrite || !options.allowCreate) {
    throw sandboxError('PathNotFound', `There is no file at ${input} in the granted folder "${lexicalRoot.name}"`, input, 'missing');
  }
  return resolveNew(input, lexical, lexicalRoot, live, options);
}

export interface ResolvedFolder {
  /** The real, symlink-free folder. */
  path: string;
  root: GrantedRoot;
}

/**
 * The folder counterpart of resolveInRoot, for listings: the same lexical check, realpath and
 * protected folders, but the target must be an existing folder. "." is the default granted folder.
 */
export async function resolveFolderInRoot(input: string, roots: readonly GrantedRoot[], options: Pick<ResolveOptions, 'protectedDirs'> = {}): Promise<ResolvedFolder> {
  checkPathInput(input);
  if (roots.length === 0) {
    throw sandboxError('NoRoots', `No folder is granted to the Ferry host yet. Grant one with: ${GRANT_HINT}`, input);
  }
  const live = await liveRoots(roots);
  const { lexical } = locate(input, roots, live);
  guardProtected(lexical, input, options);
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (error) {
    const code = errno(error);
    if (code === 'ENOENT') throw sandboxError('PathNotFound', `There is no folder at ${input} in the granted folders`, input, 'missing');
    if (code === 'ELOOP') throw sandboxError('PathNotRegular', `${input} goes through a symbolic link loop`, input, 'symlink-loop');
    if (code === 'ENOTDIR') throw sandboxError('PathNotRegular', `A part of ${input} is a file, not a folder`, input, 'not-a-folder');
    throw error;
  }
  const root = rootOf(real, live, input);
  guardProtected(real, input, options);
  const target = await stat(real);
  if (!target.isDirectory()) throw sandboxError('PathNotRegular', `${input} is ${kindOf(target)}, not a folder`, input, 'not-a-folder');
  return { path: real, root };
}

async function resolveExisting(input: string, lexical: string, live: readonly GrantedRoot[], options: ResolveOptions): Promise<ResolvedPath> {
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (error) {
    const code = errno(error);
    if (code === 'ELOOP') throw sandboxError('PathNotRegular', `${input} goes through a symbolic link loop`, input, 'symlink-loop');
    if (code !== 'ENOENT') throw error;
    if (!options.forWrite) throw sandboxError('PathNotFound', `${input} is a symbolic link to a file that does not exist`, input, 'dangling-symlink');
    throw sandboxError('PathNotRegular', `${input} is a symbolic link to a file that does not exist; Ferry does not create files through links`, input, 'dangling-symlink');
  }
  const root = rootOf(real, live, input);
  guardProtected(real, input, options);
  if (options.forWrite && root.readOnly) throw readOnly(input, root);
  const target = await stat(real);
  if (!target.isFile()) throw sandboxError('PathNotRegular', `${input} is ${kindOf(target)}, not a regular file`, input, kindOf(target));
  if (!options.forWrite && options.maxReadBytes !== undefined && target.size > options.maxReadBytes) {
    throw sandboxError('FileTooLarge', `${input} is ${target.size} bytes, more than the ${options.maxReadBytes}-byte read limit`, input, 'read-limit');
  }
  return { path: real, root, exists: true, stats: { dev: target.dev, ino: target.ino, size: target.size }, missingDirs: [] };
}

async function resolveNew(input: string, lexical: string, lexicalRoot: GrantedRoot, live: readonly GrantedRoot[], options: ResolveOptions): Promise<ResolvedPath> {
  const missing = [basename(lexical)];
  let dir = dirname(lexical);
  // The root itself exists (it is live), so this walk ends inside it at the latest.
  for (;;) {
    try {
      await lstat(dir);
      break;
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
      missing.unshift(basename(dir));
      dir = dirname(dir);
      if (!contains(lexicalRoot.path, dir)) throw sandboxError('PathOutsideRoots', `${input} is outside the granted folders`, input, 'outside');
    }
  }
  let realDir: string;
  try {
    realDir = await realpath(dir);
  } catch (error) {
    if (errno(error) !== 'ENOENT' && errno(error) !== 'ELOOP') throw error;
    throw sandboxError('PathNotRegular', `A folder in ${input} is a symbolic link to nothing; Ferry does not create files through links`, input, 'dangling-symlink');
  }
  const root = rootOf(realDir, live, input);
  const folder = await stat(realDir);
  if (!folder.isDirectory()) throw sandboxError('PathNotRegular', `A part of ${input} is ${kindOf(folder)}, not a folder`, input, 'not-a-folder');
  const path = join(realDir, ...missing);
  guardProtected(path, input, options);
  if (root.readOnly) throw readOnly(input, root);
  const missingDirs = missing.slice(0, -1).map((_, i) => join(realDir, ...missing.slice(0, i + 1)));
  return { path, root, exists: false, missingDirs };
}

/** Roots that are still the very folder granted: present, and not replaced by a symlink. */
async function liveRoots(roots: readonly GrantedRoot[]): Promise<GrantedRoot[]> {
  const checks = await Promise.all(roots.map(async (r) => (await realpath(r.path).catch(() => undefined)) === r.path));
  return roots.filter((_, i) => checks[i]);
}

/** The lexical (normalized, `..` applied) path and the root it is taken to be in. */
function locate(input: string, roots: readonly GrantedRoot[], live: readonly GrantedRoot[]): { lexical: string; root: GrantedRoot } {
  if (isAbsolute(input)) {
    const lexical = resolve(input);
    const root = deepest(lexical, live);
    if (root) return { lexical, root };
    const gone = deepest(lexical, roots);
    if (gone) throw missingRoot(input, gone);
    throw sandboxError('PathOutsideRoots', `${input} is outside the folders granted to Ferry (see \`npx ferry-host roots list\`)`, input, 'outside');
  }
  const root = roots.find((r) => r.default) ?? roots[0]!;
  if (!live.includes(root)) throw missingRoot(input, root);
  const lexical = resolve(root.path, input);
  if (!contains(root.path, lexical)) throw sandboxError('PathOutsideRoots', `${input} leads outside the granted folder "${root.name}"`, input, 'dot-dot');
  return { lexical, root };
}

function rootOf(real: string, live: readonly GrantedRoot[], input: string): GrantedRoot {
  const root = deepest(real, live);
  if (!root) throw sandboxError('PathOutsideRoots', `${input} leads outside the granted folders through a symbolic link`, input, 'symlink-escape');
  return root;
}

/** The innermost root containing `path` (nested roots: the inner one's flags win). */
function deepest(path: string, roots: readonly GrantedRoot[]): GrantedRoot | undefined {
  let best: GrantedRoot | undefined;
  for (const r of roots) if (contains(r.path, path) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}

function guardProtected(path: string, input: string, options: ResolveOptions): void {
  for (const dir of options.protectedDirs ?? []) {
    if (contains(dir, path)) throw sandboxError('PathOutsideRoots', `${input} is among the Ferry host's own files, which it never exposes`, input, 'protected');
  }
}

function readOnly(input: string, root: GrantedRoot): Error {
  return sandboxError('RootReadOnly', `The folder "${root.name}" is granted read-only; ${input} cannot be written`, input, 'read-only');
}

function missingRoot(input: string, root: GrantedRoot): Error {
  return sandboxError('PathNotFound', `The granted folder "${root.name}" (${root.path}) is missing or was replaced by a link; grant it again with \`npx ferry-host roots add\``, input, 'root-missing');
}

export function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
