/**
 * The list of everything `ferry-host install` wrote, kept in the config directory so that
 * `ferry-host uninstall` removes exactly that and nothing else.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const INSTALL_RECORD_FILE = 'install-record.json';

const entry = z.object({
  /** A browser name, or `user-data-dir` for a dedicated profile's manifest. */
  target: z.string(),
  kind: z.enum(['manifest', 'launcher', 'registry-key']),
  /** File path, or registry key for kind registry-key. */
  path: z.string(),
  /** For a user-data-dir manifest: the profile directory it was written for. */
  userDataDir: z.string().optional(),
});
export type InstallEntry = z.infer<typeof entry>;

const record = z.object({
  version: z.literal(1),
  updatedAt: z.string(),
  node: z.string(),
  hostScript: z.string(),
  entries: z.array(entry),
  /** Directories install created (removed on uninstall when empty). */
  createdDirs: z.array(z.string()),
});
export type InstallRecord = z.infer<typeof record>;

export function recordPath(configDir: string): string {
  return join(configDir, INSTALL_RECORD_FILE);
}

/** The record, or null when nothing is installed. Throws on a corrupt record. */
export function readRecord(configDir: string): InstallRecord | null {
  let text: string;
  try {
    text = readFileSync(recordPath(configDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = record.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${recordPath(configDir)} is not a Ferry install record: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function writeRecord(configDir: string, value: InstallRecord): void {
  const path = recordPath(configDir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

export function deleteRecord(configDir: string): void {
  rmSync(recordPath(configDir), { force: true });
}

/** Adds entries, replacing any earlier entry for the same path. */
export function mergeEntries(existing: InstallEntry[], added: InstallEntry[]): InstallEntry[] {
  const byPath = new Map(existing.map((e) => [`${e.kind}:${e.path}`, e]));
  for (const e of added) byPath.set(`${e.kind}:${e.path}`, e);
  return [...byPath.values()];
}
