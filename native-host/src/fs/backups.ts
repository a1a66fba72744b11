/**
 * Backup rotation: before a file is replaced, `name.N` is dropped, `name.1..N-1` move up one, and a
 * copy of the current file becomes `name.1` (the newest backup). `realPath` is a file the guard
 * approved, so every name here sits in its real, checked folder; rename and unlink act on the names
 * themselves (a symlink planted as `name.2` is moved or removed, never followed), and the copy is
 * created exclusively, so it cannot write through a link either.
 */
import { constants } from 'node:fs';
import { copyFile, lstat, rename, unlink } from 'node:fs/promises';

/** How many versions `backup` keeps: true → 3, false/undefined → 0, a number → that many. */
export const DEFAULT_BACKUPS = 3;

export function backupCount(backup: boolean | number | undefined): number {
  if (backup === true) return DEFAULT_BACKUPS;
  if (typeof backup === 'number') return backup;
  return 0;
}

export function backupName(realPath: string, index: number): string {
  return `${realPath}.${index}`;
}

/** Rotates the backups of an existing file; answers the backups now present, newest first. */
export async function rotateBackups(realPath: string, keep: number): Promise<string[]> {
  if (keep <= 0) return [];
  await ignoreMissing(unlink(backupName(realPath, keep)));
  for (let i = keep - 1; i >= 1; i--) await ignoreMissing(rename(backupName(realPath, i), backupName(realPath, i + 1)));
  await copyFile(realPath, backupName(realPath, 1), constants.COPYFILE_EXCL);
  const present: string[] = [];
  for (let i = 1; i <= keep; i++) {
    if (await lstat(backupName(realPath, i)).then(() => true, () => false)) present.push(backupName(realPath, i));
  }
  return present;
}

async function ignoreMissing(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
