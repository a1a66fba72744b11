/**
 * Writing one file inside the granted folders. The path's `{{tokens}}` are rendered first and the
 * result goes through the guard like any path (writes refuse read-only roots, the write limit applies).
 * - atomic (default): the bytes go to a temp file in the target's own real folder (created exclusively
 *   by openForWrite), are fsynced, and the temp is renamed over the target once the guard has been
 *   asked again that the target is still the same real path (and, when it existed, the same file).
 * - append: O_APPEND on the checked descriptor; the encoder learns whether the file was empty (a CSV
 *   header is written only then).
 * - plain: openForWrite truncates the checked file in place.
 * Backups (`name.1`..`name.N`) rotate before the target changes.
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { GrantedRoot } from '../roots/sandbox-file';
import { backupCount, rotateBackups } from './backups';
import { openForAppend, openForWrite } from './open-in-root';
import { renderPathTemplate } from './path-template';
import { resolveInRoot, type ResolvedPath } from './resolve-in-root';
import { sandboxError } from './sandbox-error';

export interface WriteScope {
  roots: readonly GrantedRoot[];
  maxWriteBytes: number;
  protectedDirs?: readonly string[];
}

export interface WriteRequest {
  /** The path as the caller gave it (may hold `{{timestamp}}`-style tokens). */
  input: string;
  /** The bytes to write, given the current size of the file (0 when new or empty). */
  encode(existingSize: number): Buffer;
  createDirectories?: boolean;
  backup?: boolean | number;
  atomic?: boolean;
  append?: boolean;
  now?: Date;
}

export interface WriteOutcome {
  path: string;
  root: string;
  bytesWritten: number;
  size: number;
  created: boolean;
  appended: boolean;
  backups: string[];
}

export async function writeInRoot(request: WriteRequest, scope: WriteScope): Promise<WriteOutcome> {
  const input = renderPathTemplate(request.input, request.now);
  const options = { forWrite: true, allowCreate: true, protectedDirs: scope.protectedDirs };
  const resolved = await resolveInRoot(input, scope.roots, options);
  if (resolved.missingDirs.length > 0 && request.createDirectories !== true) {
    throw sandboxError('PathNotFound', `The folder for ${input} does not exist; pass createDirectories: true to create it`, input, 'missing-folder');
  }
  const existingSize = resolved.stats?.size ?? 0;
  const data = request.encode(existingSize);
  if ((request.append ? existingSize : 0) + data.byteLength > scope.maxWriteBytes) {
    throw sandboxError('FileTooLarge', `Writing ${data.byteLength} bytes to ${input} exceeds the ${scope.maxWriteBytes}-byte write limit`, input, 'write-limit');
  }
  const backups = resolved.exists ? await rotateBackups(resolved.path, backupCount(request.backup)) : [];
  const outcome = { path: resolved.path, root: resolved.root.name, bytesWritten: data.byteLength, created: !resolved.exists, backups };

  if (request.append) {
    const { handle, size } = await openForAppend(resolved, input, data.byteLength, scope.maxWriteBytes);
    try {
      await writeAll(handle, data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { ...outcome, appended: true, size: size + data.byteLength };
  }
  if (request.atomic === false) {
    const handle = await openForWrite(resolved, input, data.byteLength, scope.maxWriteBytes);
    try {
      await writeAll(handle, data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { ...outcome, appended: false, size: data.byteLength };
  }
  await writeAtomically(resolved, input, data, scope);
  return { ...outcome, appended: false, size: data.byteLength };
}

async function writeAtomically(resolved: ResolvedPath, input: string, data: Buffer, scope: WriteScope): Promise<void> {
  const folder = dirname(resolved.path);
  const temp = join(folder, `.${basename(resolved.path).slice(0, 200)}.${randomBytes(6).toString('hex')}.ferry-tmp`);
  const options = { forWrite: true, allowCreate: true, protectedDirs: scope.protectedDirs };
  const tempResolved = await resolveInRoot(temp, scope.roots, options);
  if (tempResolved.exists || tempResolved.path !== temp) throw changed(input);
  const handle = await openForWrite(tempResolved, input, data.byteLength, scope.maxWriteBytes);
  let renamed = false;
  try {
    try {
      if (resolved.exists) await handle.chmod((await stat(resolved.path)).mode & 0o777);
      await writeAll(handle, data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The guard again, just before the rename: the same real target, the same file if it existed.
    const again = await resolveInRoot(input, scope.roots, options);
    if (again.path !== resolved.path || again.exists !== resolved.exists) throw changed(input);
    if (resolved.stats && (again.stats?.dev !== resolved.stats.dev || again.stats?.ino !== resolved.stats.ino)) throw changed(input);
    const tempNow = await lstat(temp);
    if (!tempNow.isFile()) throw changed(input);
    await rename(temp, resolved.path);
    renamed = true;
    await syncFolder(folder);
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.byteLength) {
    const { bytesWritten } = await handle.write(data, offset, data.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes the rename durable; not every platform lets a folder be opened and synced (best effort). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

function changed(input: string): Error {
  return sandboxError('PathOutsideRoots', `${input} changed while it was being written (a link or folder was swapped); refused`, input, 'changed');
}
