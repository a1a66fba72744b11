/**
 * Reading one file inside the granted folders: resolveInRoot (lexical check, realpath, size limit,
 * Ferry's own folders), openForRead (descriptor re-checked), then the whole file from that descriptor.
 */
import type { GrantedRoot } from '../roots/sandbox-file';
import { openForRead } from './open-in-root';
import { resolveInRoot } from './resolve-in-root';

export interface ReadScope {
  roots: readonly GrantedRoot[];
  maxReadBytes: number;
  protectedDirs?: readonly string[];
}

export interface FileBytes {
  /** The real path read. */
  path: string;
  bytes: Buffer;
  modified: string;
}

export async function readInRoot(input: string, scope: ReadScope): Promise<FileBytes> {
  const resolved = await resolveInRoot(input, scope.roots, { maxReadBytes: scope.maxReadBytes, protectedDirs: scope.protectedDirs });
  const handle = await openForRead(resolved, input, scope.maxReadBytes);
  try {
    const stats = await handle.stat();
    const bytes = await handle.readFile();
    return { path: resolved.path, bytes, modified: stats.mtime.toISOString() };
  } finally {
    await handle.close();
  }
}
