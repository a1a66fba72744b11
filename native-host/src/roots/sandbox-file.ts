/**
 * The sandbox settings file, `<configDir>/sandbox.json`: the folders the user granted and the size
 * limits of reads and writes. Written only by `ferry-host roots …` (or by hand); the host rereads it
 * on every call, so a grant takes effect without restarting the browser.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ensureDir } from '../home';

export const SANDBOX_FILE = 'sandbox.json';
export const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_WRITE_BYTES = 64 * 1024 * 1024;

const root = z.object({
  name: z.string().min(1),
  /** Absolute and symlink-free (realpath at the time it was granted). */
  path: z.string().min(1),
  default: z.boolean().optional(),
  readOnly: z.boolean().optional(),
});
export type RootEntry = z.infer<typeof root>;

const file = z.object({
  version: z.literal(1),
  roots: z.array(root),
  limits: z
    .object({ maxReadBytes: z.number().int().positive().optional(), maxWriteBytes: z.number().int().positive().optional() })
    .optional(),
});
export type SandboxFile = z.infer<typeof file>;

/** A granted folder with every flag spelled out. */
export interface GrantedRoot {
  name: string;
  path: string;
  default: boolean;
  readOnly: boolean;
}

export interface SandboxLimits {
  maxReadBytes: number;
  maxWriteBytes: number;
}

export interface SandboxSettings {
  roots: GrantedRoot[];
  limits: SandboxLimits;
}

export function sandboxFilePath(configDir: string): string {
  return join(configDir, SANDBOX_FILE);
}

/** The file's contents; an empty grant list when there is no file. Throws on a corrupt file. */
export function readSandboxFile(configDir: string): SandboxFile {
  const path = sandboxFilePath(configDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, roots: [] };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); fix it or delete it and grant folders again`);
  }
  const parsed = file.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path} is not a Ferry sandbox file: ${issue?.path.join('.') || 'top level'}: ${issue?.message}`);
  }
  return parsed.data;
}

export function writeSandboxFile(configDir: string, value: SandboxFile): void {
  const path = sandboxFilePath(ensureDir(configDir));
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** Roots with defaults filled in: exactly one default when any root is granted (the first, unless marked). */
export function settingsOf(value: SandboxFile): SandboxSettings {
  const marked = value.roots.findIndex((r) => r.default === true);
  const defaultIndex = marked === -1 ? 0 : marked;
  return {
    roots: value.roots.map((r, i) => ({ name: r.name, path: r.path, default: i === defaultIndex, readOnly: r.readOnly === true })),
    limits: {
      maxReadBytes: value.limits?.maxReadBytes ?? DEFAULT_MAX_READ_BYTES,
      maxWriteBytes: value.limits?.maxWriteBytes ?? DEFAULT_MAX_WRITE_BYTES,
    },
  };
}

export function readSandboxSettings(configDir: string): SandboxSettings {
  return settingsOf(readSandboxFile(configDir));
}
