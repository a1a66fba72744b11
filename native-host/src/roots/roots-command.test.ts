import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRootsCommand, type RootsContext } from './roots-command';
import { readSandboxSettings, sandboxFilePath } from './sandbox-file';

let base: string;
let ctx: RootsContext & { out: string; err: string };

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'ferry-roots-')));
  mkdirSync(join(base, 'home', 'docs'), { recursive: true });
  mkdirSync(join(base, 'data'));
  const configDir = join(base, 'home', '.config', 'ferry');
  const c = {
    configDir,
    protectedDirs: [configDir, join(base, 'home', '.local', 'share', 'ferry', 'bin')],
    cwd: join(base, 'home'),
    home: join(base, 'home'),
    out: '',
    err: '',
    stdout: (t: string) => void (c.out += t),
    stderr: (t: string) => void (c.err += t),
  };
  ctx = c;
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const run = (...args: string[]): number => runRootsCommand(args, ctx);

describe('ferry-host roots', () => {
  it('adds a folder by its realpath; the first one is the default', () => {
    symlinkSync(join(base, 'home', 'docs'), join(base, 'home', 'link'));
    expect(run('add', 'link')).toBe(0);
    expect(ctx.out).toContain(`Granted "docs": ${join(base, 'home', 'docs')} (default)`);
    expect(run('add', join(base, 'data'), '--name', 'Data', '--read-only')).toBe(0);
    expect(readSandboxSettings(ctx.configDir).roots).toEqual([
      { name: 'docs', path: join(base, 'home', 'docs'), default: true, readOnly: false },
      { name: 'Data', path: join(base, 'data'), default: false, readOnly: true },
    ]);
    expect(readFileSync(sandboxFilePath(ctx.configDir), 'utf8')).toContain('"version": 1');
  });

  it('--default moves the default; remove promotes the first remaining folder', () => {
    run('add', 'docs');
    run('add', '../data', '--default');
    expect(readSandboxSettings(ctx.configDir).roots.map((r) => [r.name, r.default])).toEqual([['docs', false], ['data', true]]);
    ctx.out = '';
    expect(run('remove', 'data')).toBe(0);
    expect(ctx.out).toContain('"docs" is now the default folder');
    expect(readSandboxSettings(ctx.configDir).roots).toEqual([{ name: 'docs', path: join(base, 'home', 'docs'), default: true, readOnly: false }]);
    expect(run('remove', join(base, 'home', 'docs'))).toBe(0);
    expect(readSandboxSettings(ctx.configDir).roots).toEqual([]);
  });

  it.each([
    ['a missing folder', ['add', 'nope'], /there is no folder at .*nope; create it first/],
    ['a file', ['add', 'file.txt'], /is a file, not a folder/],
    ['the filesystem root', ['add', '/'], /whole filesystem/],
    ['the home folder', ['add', '.'], /whole home folder .*--force/],
    ['a folder holding Ferry\'s config', ['add', '.config'], /contains Ferry's own files/],
    ['a duplicate path', ['add', 'docs', '--name', 'again'], /already granted as "docs"/],
    ['a duplicate name', ['add', '../data', '--name', 'docs'], /named "docs" is already granted/],
    ['a name with a slash', ['add', '../data', '--name', 'a/b'], /not a usable name/],
    ['removing an unknown folder', ['remove', 'nothing'], /no granted folder .* \(granted: "docs"\)/],
  ])('refuses %s with a clear message (exit 1)', (_what, args, message) => {
    writeFileSync(join(base, 'home', 'file.txt'), 'x');
    mkdirSync(ctx.configDir, { recursive: true });
    expect(run('add', 'docs')).toBe(0);
    ctx.err = '';
    expect(run(...args)).toBe(1);
    expect(ctx.err).toMatch(message);
    expect(readSandboxSettings(ctx.configDir).roots.map((r) => r.name)).toEqual(['docs']);
  });

  it('grants the home folder with --force, but never when it holds the config folder… unless that is elsewhere', () => {
    mkdirSync(ctx.configDir, { recursive: true });
    expect(run('add', '.', '--force')).toBe(1);
    expect(ctx.err).toContain("contains Ferry's own files");
    ctx.configDir = join(base, 'data', 'config');
    ctx.protectedDirs = [ctx.configDir];
    expect(run('add', '.', '--force')).toBe(0);
  });

  it('lists for people and as JSON, marking missing folders', () => {
    run('list');
    expect(ctx.out).toContain('No folders granted yet');
    expect(ctx.out).toContain('npx ferry-host roots add <folder>');
    run('add', 'docs');
    mkdirSync(join(base, 'gone'));
    run('add', '../gone', '--read-only');
    rmSync(join(base, 'gone'), { recursive: true });
    ctx.out = '';
    expect(run('list')).toBe(0);
    expect(ctx.out).toMatch(/\* docs\s+\S+docs {2}\(default\)/);
    expect(ctx.out).toMatch(/ {3}gone\s+\S+gone {2}\(read-only, MISSING\)/);
    ctx.out = '';
    expect(run('list', '--json')).toBe(0);
    const json = JSON.parse(ctx.out);
    expect(json.roots).toEqual([
      { name: 'docs', path: join(base, 'home', 'docs'), default: true, readOnly: false, exists: true },
      { name: 'gone', path: join(base, 'gone'), default: false, readOnly: true, exists: false },
    ]);
    expect(json.limits).toEqual({ maxReadBytes: 64 * 1024 * 1024, maxWriteBytes: 64 * 1024 * 1024 });
  });

  it('answers usage errors with exit 2', () => {
    expect(run()).toBe(2);
    expect(run('grant')).toBe(2);
    expect(run('add')).toBe(2);
    expect(run('add', 'docs', '--bogus')).toBe(2);
    expect(run('list', 'extra')).toBe(2);
    expect(ctx.err).toContain('Usage:');
  });

  it('reports a corrupt sandbox file instead of overwriting it', () => {
    mkdirSync(ctx.configDir, { recursive: true });
    writeFileSync(sandboxFilePath(ctx.configDir), '{"version":1,"roots":[{"name":""}]}');
    expect(run('add', 'docs')).toBe(1);
    expect(ctx.err).toContain('is not a Ferry sandbox file');
  });
});
