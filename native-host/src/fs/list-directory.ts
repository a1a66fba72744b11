/**
 * Listing a folder the guard approved (resolveFolderInRoot): entries with their kind, size and
 * modification time, a picomatch filter on the path relative to the folder, recursion with a depth
 * limit, sorting and a limit. Symlinks are listed as links and never followed (lstat only), so a
 * walk cannot leave the root; Ferry's own folders are skipped; the walk stops after MAX_SCANNED entries.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { contains } from '../roots/roots-edit';

export const DEFAULT_MAX_DEPTH = 10;
export const MAX_SCANNED = 200_000;

export interface ListOptions {
  filter?: string;
  recursive?: boolean;
  maxDepth?: number;
  sortBy?: 'name' | 'size' | 'modifiedDate';
  order?: 'asc' | 'desc';
  limit?: number;
  type?: 'file' | 'directory' | 'all';
  protectedDirs?: readonly string[];
  signal?: AbortSignal;
  /** Stop after scanning this many entries (tests lower it). */
  maxScanned?: number;
}

export interface ListEntry {
  path: string;
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  modified: string;
}

export interface Listing {
  entries: ListEntry[];
  total: number;
  truncated: boolean;
}

export async function listDirectory(folder: string, options: ListOptions = {}): Promise<Listing> {
  const match = options.filter ? picomatch(options.filter, { basename: true, dot: true }) : undefined;
  const maxDepth = options.recursive ? (options.maxDepth ?? DEFAULT_MAX_DEPTH) : 0;
  const maxScanned = options.maxScanned ?? MAX_SCANNED;
  const found: (ListEntry & { mtimeMs: number })[] = [];
  let scanned = 0;
  let stopped = false;

  const walk = async (dir: string, relative: string, depth: number): Promise<void> => {
    let children: Dirent[];
    try {
      children = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // A subfolder that vanished or cannot be read is left out; the listed folder itself must be readable.
      if (depth === 0) throw error;
      return;
    }
    for (const child of children) {
      options.signal?.throwIfAborted();
      if (++scanned > maxScanned) {
        stopped = true;
        return;
      }
      const full = join(dir, child.name);
      if (options.protectedDirs?.some((p) => contains(p, full))) continue;
      const s = await lstat(full).catch(() => undefined);
      if (!s) continue;
      const type = s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other';
      const path = relative ? `${relative}/${child.name}` : child.name;
      const wanted = (options.type ?? 'all') === 'all' || options.type === type;
      if (wanted && (!match || match(path))) {
        found.push({ path, name: child.name, type, size: type === 'directory' ? 0 : s.size, modified: s.mtime.toISOString(), mtimeMs: s.mtimeMs });
      }
      if (type === 'directory' && depth < maxDepth) await walk(full, path, depth + 1);
      if (stopped) return;
    }
  };
  await walk(folder, '', 0);

  const sign = options.order === 'desc' ? -1 : 1;
  const byName = (a: ListEntry, b: ListEntry) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const compare =
    options.sortBy === 'size'
      ? (a: (typeof found)[number], b: (typeof found)[number]) => a.size - b.size || byName(a, b)
      : options.sortBy === 'modifiedDate'
        ? (a: (typeof found)[number], b: (typeof found)[number]) => a.mtimeMs - b.mtimeMs || byName(a, b)
        : byName;
  found.sort((a, b) => sign * compare(a, b));
  const total = found.length;
  const limited = options.limit !== undefined ? found.slice(0, options.limit) : found;
  return {
    entries: limited.map(({ mtimeMs: _mtimeMs, ...entry }) => entry),
    total,
    truncated: stopped || limited.length < total,
  };
}
