/**
 * `ferry-host roots add|remove|list`: grants and revokes the folders the host may touch. Exit codes
 * as for the rest of the CLI: 0 success, 1 refused, 2 usage error.
 */
import { existsSync, realpathSync } from 'node:fs';
import { addRoot, removeRoot } from './roots-edit';
import { readSandboxFile, sandboxFilePath, settingsOf, writeSandboxFile } from './sandbox-file';

export const ROOTS_USAGE = `Usage:
  ferry-host roots add <folder> [--name NAME] [--default] [--read-only] [--force]
      Grant a folder. The first folder granted is the default one, where relative paths resolve;
      --default makes this one the default instead. --read-only refuses writes into it. The whole
      filesystem is never granted, nor a folder holding Ferry's own config; your home folder only
      with --force.
  ferry-host roots remove <name|folder>
  ferry-host roots list [--json]
`;

export interface RootsContext {
  configDir: string;
  /** Folders of Ferry itself that no root may contain. */
  protectedDirs: readonly string[];
  cwd: string;
  home: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

class UsageError extends Error {}

export function runRootsCommand(args: readonly string[], context: RootsContext): number {
  try {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'add':
        return add(rest, context);
      case 'remove':
        return remove(rest, context);
      case 'list':
        return list(rest, context);
      case undefined:
      case '--help':
      case '-h':
        (sub === undefined ? context.stderr : context.stdout)(ROOTS_USAGE);
        return sub === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown roots command "${sub}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr(`ferry-host roots: ${error.message}\n${ROOTS_USAGE}`);
      return 2;
    }
    context.stderr(`ferry-host roots: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function add(args: readonly string[], context: RootsContext): number {
  const { positional, flags, values } = parse('add', args, ['default', 'read-only', 'force'], ['name']);
  if (positional.length !== 1) throw new UsageError('add takes exactly one folder');
  const current = readSandboxFile(context.configDir);
  const { file, added } = addRoot(current, {
    folder: positional[0]!,
    cwd: context.cwd,
    home: context.home,
    name: values.name,
    makeDefault: flags.has('default'),
    readOnly: flags.has('read-only'),
    force: flags.has('force'),
    protectedDirs: context.protectedDirs,
  });
  writeSandboxFile(context.configDir, file);
  const notes = [added.default ? 'default' : '', added.readOnly ? 'read-only' : ''].filter(Boolean);
  context.stdout(`Granted "${added.name}": ${added.path}${notes.length ? ` (${notes.join(', ')})` : ''}\n`);
  return 0;
}

function remove(args: readonly string[], context: RootsContext): number {
  const { positional } = parse('remove', args, [], []);
  if (positional.length !== 1) throw new UsageError('remove takes exactly one name or folder');
  const { file, removed } = removeRoot(readSandboxFile(context.configDir), positional[0]!, context.cwd);
  writeSandboxFile(context.configDir, file);
  context.stdout(`Removed "${removed.name}": ${removed.path} (its files are untouched)\n`);
  const nowDefault = settingsOf(file).roots.find((r) => r.default);
  if (removed.default && nowDefault) context.stdout(`"${nowDefault.name}" is now the default folder.\n`);
  return 0;
}

function list(args: readonly string[], context: RootsContext): number {
  const { positional, flags } = parse('list', args, ['json'], []);
  if (positional.length > 0) throw new UsageError(`list takes no arguments (got "${positional[0]}")`);
  const settings = settingsOf(readSandboxFile(context.configDir));
  const roots = settings.roots.map((r) => ({ ...r, exists: rootExists(r.path) }));
  if (flags.has('json')) {
    context.stdout(`${JSON.stringify({ configFile: sandboxFilePath(context.configDir), roots, limits: settings.limits }, null, 2)}\n`);
    return 0;
  }
  if (roots.length === 0) {
    context.stdout('No folders granted yet: the host can read and write no files.\nGrant one with: npx ferry-host roots add <folder>\n');
    return 0;
  }
  context.stdout(`Folders the Ferry host may use (${sandboxFilePath(context.configDir)}):\n`);
  const width = Math.max(...roots.map((r) => r.name.length));
  for (const r of roots) {
    const notes = [r.default ? 'default' : '', r.readOnly ? 'read-only' : '', r.exists ? '' : 'MISSING'].filter(Boolean);
    context.stdout(`  ${r.default ? '*' : ' '} ${r.name.padEnd(width)}  ${r.path}${notes.length ? `  (${notes.join(', ')})` : ''}\n`);
  }
  return 0;
}

/** A root counts as present only while it is still the very folder that was granted (no symlink swapped in). */
export function rootExists(path: string): boolean {
  try {
    return existsSync(path) && realpathSync(path) === path;
  } catch {
    return false;
  }
}

function parse(command: string, args: readonly string[], booleans: readonly string[], valued: readonly string[]) {
  const positional: string[] = [];
  const flags = new Set<string>();
  const values: Record<string, string | undefined> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleans.includes(name) && eq === -1) {
      flags.add(name);
    } else if (valued.includes(name)) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`${command}: --${name} needs a value`);
      values[name] = value;
    } else {
      const known = [...booleans, ...valued].map((n) => `--${n}`).join(', ');
      throw new UsageError(`${command}: unknown option "${arg}" (${command} accepts ${known || 'no options'})`);
    }
  }
  return { positional, flags, values };
}
