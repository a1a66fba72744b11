/**
 * Opens what resolveInRoot approved, and checks the descriptor it got: never following a final
 * symlink (O_NOFOLLOW), never blocking on a FIFO swapped in (O_NONBLOCK), the same file the guard
 * saw (device and inode), still a regular file, and — on Linux, through /proc/self/fd — still inside
 * the root. That narrows the window between check and use to nothing an attacker can win quietly.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { contains } from '../roots/roots-edit';
import type { ResolvedPath } from './resolve-in-root';
import { kindOf } from './resolve-in-root';
import { sandboxError } from './sandbox-error';

const { O_RDONLY, O_WRONLY, O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = constants;

/** Opens an approved existing file for reading. */
export async function openForRead(resolved: ResolvedPath, input: string, maxReadBytes: number): Promise<FileHandle> {
  const handle = await openChecked(resolved, input, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  const s = await handle.stat();
  if (s.size > maxReadBytes) {
    await handle.close();
    throw sandboxError('FileTooLarge', `${input} is ${s.size} bytes, more than the ${maxReadBytes}-byte read limit`, input, 'read-limit');
  }
  return handle;
}

/**
 * Opens an approved path for writing `byteLength` bytes: creates its missing folders (each checked),
 * creates the file exclusively if it is new, and truncates an existing one only once it is verified.
 */
export async function openForWrite(resolved: ResolvedPath, input: string, byteLength: number, maxWriteBytes: number): Promise<FileHandle> {
  if (byteLength > maxWriteBytes) {
    throw sandboxError('FileTooLarge', `Writing ${byteLength} bytes to ${input} exceeds the ${maxWriteBytes}-byte write limit`, input, 'write-limit');
  }
  if (resolved.exists) {
    const handle = await openChecked(resolved, input, O_WRONLY | O_NOFOLLOW | O_NONBLOCK);
    await handle.truncate(0);
    return handle;
  }
  for (const dir of resolved.missingDirs) {
    await mkdir(dir, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    if ((await realpath(dir)) !== dir || !(await lstat(dir)).isDirectory()) throw changed(input);
  }
  return openChecked(resolved, input, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK);
}

/**
 * Opens an approved path to add `byteLength` bytes at its end (O_APPEND): an existing file is checked
 * like any other and the write limit applies to its size after the append; a new file is created as
 * openForWrite does. Answers the handle and the size before the append (0 for a new file).
 */
export async function openForAppend(resolved: ResolvedPath, input: string, byteLength: number, maxWriteBytes: number): Promise<{ handle: FileHandle; size: number }> {
  if (!resolved.exists) return { handle: await openForWrite(resolved, input, byteLength, maxWriteBytes), size: 0 };
  const handle = await openChecked(resolved, input, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK);
  const { size } = await handle.stat();
  if (size + byteLength > maxWriteBytes) {
    await handle.close();
    throw sandboxError('FileTooLarge', `Appending ${byteLength} bytes to ${input} (${size} bytes) exceeds the ${maxWriteBytes}-byte write limit`, input, 'write-limit');
  }
  return { handle, size };
}

async function openChecked(resolved: ResolvedPath, input: string, flags: number): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(resolved.path, flags, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: O_NOFOLLOW met a symlink swapped in; EEXIST: a file appeared where a new one was approved.
    if (code === 'ELOOP' || code === 'EEXIST' || code === 'ENOENT' || code === 'ENOTDIR') throw changed(input);
    throw error;
  }
  try {
    const s: Stats = await handle.stat();
    if (!s.isFile()) throw sandboxError('PathNotRegular', `${input} is ${kindOf(s)}, not a regular file`, input, kindOf(s));
    if (resolved.stats && (s.dev !== resolved.stats.dev || s.ino !== resolved.stats.ino)) throw changed(input);
    if (process.platform === 'linux') {
      const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
      if (opened !== undefined && !contains(resolved.root.path, opened)) throw changed(input);
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function changed(input: string): Error {
  return sandboxError('PathOutsideRoots', `${input} changed while it was being opened (a link or folder was swapped); refused`, input, 'changed');
}
