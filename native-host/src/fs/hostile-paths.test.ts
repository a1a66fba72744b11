/**
 * Hostile paths against the sandbox guard. Every probe target lives in a fresh temporary folder:
 * the granted root is one subfolder, "outside" a sibling, so even a broken guard can only touch the
 * temporary folder. Each refused case asserts its own error code, and afterwards that nothing outside
 * the root changed; the only real system paths (/etc/passwd, /dev/zero, /dev/null) are refused by the
 * lexical check before anything is opened, and /dev is only ever resolved, never opened.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxErrorCode, errorCodeName, isRpcError } from '../../../src/protocol';
import type { GrantedRoot } from '../roots/sandbox-file';
import { openForRead, openForWrite } from './open-in-root';
import { resolveInRoot, type ResolveOptions } from './resolve-in-root';

let base: string;
let root: string;
let outside: string;
let roots: GrantedRoot[];
let socketServer: Server;
const LIMIT = 1024;
const SECRET = 'outside secret';

beforeAll(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'ferry-hostile-')));
  root = join(base, 'root');
  outside = join(base, 'outside');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(outside, 'dir'), { recursive: true });
  mkdirSync(join(base, 'ro'));
  writeFileSync(join(base, 'ro', 'kept.txt'), 'read-only');
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  writeFileSync(join(root, 'file.txt'), 'inside');
  writeFileSync(join(root, 'sub', 'inner.txt'), 'inner');
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(LIMIT + 1));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'escape-link'));
  symlinkSync('escape-link', join(root, 'link-to-link'));
  symlinkSync('../outside/secret.txt', join(root, 'relative-escape'));
  symlinkSync(join(outside, 'missing.txt'), join(root, 'dangling'));
  symlinkSync(join(outside, 'dir'), join(root, 'dir-link'));
  symlinkSync(join(outside, 'nodir'), join(root, 'dangling-dir'));
  symlinkSync('/dev/zero', join(root, 'zero-link'));
  symlinkSync('loop', join(root, 'loop'));
  symlinkSync('file.txt', join(root, 'in-link'));
  symlinkSync(join(base, 'ro', 'kept.txt'), join(root, 'to-read-only'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(root, 'socket'), resolve));
  roots = [
    { name: 'root', path: root, default: true, readOnly: false },
    { name: 'ro', path: join(base, 'ro'), default: false, readOnly: true },
  ];
});

afterAll(async () => {
  await new Promise((resolve) => socketServer.close(resolve));
  rmSync(base, { recursive: true, force: true });
});

/** Every entry under `dir` (not following links) with its type and content hash. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = lstatSync(p);
      out[p] = s.isFile() ? `file ${createHash('sha256').update(readFileSync(p)).digest('hex')} ${s.mtimeMs}` : s.isDirectory() ? 'dir' : 'other';
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Everything in the temporary folder except the granted root. */
function outsideState(): Record<string, string> {
  const all = snapshot(base);
  return Object.fromEntries(Object.entries(all).filter(([p]) => p !== root && !p.startsWith(`${root}/`)));
}

type Mode = 'read' | 'write';

/** What an fs.read / fs.write would do: resolve, open through the guard, read or write. */
async function attempt(input: string, mode: Mode, use: GrantedRoot[] = roots, extra: ResolveOptions = {}): Promise<string> {
  if (mode === 'read') {
    const resolved = await resolveInRoot(input, use, { maxReadBytes: LIMIT, ...extra });
    const handle = await openForRead(resolved, input, LIMIT);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }
  const resolved = await resolveInRoot(input, use, { forWrite: true, allowCreate: true, ...extra });
  const data = 'PWNED';
  const handle = await openForWrite(resolved, input, data.length, LIMIT);
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  return resolved.path;
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isRpcError(error)) throw error;
    return { code: errorCodeName(error.code), message: error.message };
  }
  throw new Error('expected a refusal, but the call succeeded');
}

const R = (s: string): string => s.replace('$UPROOT', root.toUpperCase()).replace('$ROOT', root).replace('$OUT', outside).replace('$BASE', base);

type Code = keyof typeof SandboxErrorCode;
const HOSTILE: [string, string, Mode, Code][] = [
  ['../ escape', '../outside/secret.txt', 'read', 'PathOutsideRoots'],
  ['../ escape (write)', '../outside/new.txt', 'write', 'PathOutsideRoots'],
  ['../ chain through a subfolder', 'sub/../../outside/secret.txt', 'read', 'PathOutsideRoots'],
  ['a long ../ chain to /etc/passwd', '../../../../../../../../etc/passwd', 'read', 'PathOutsideRoots'],
  ['../ to a sibling file (write)', 'sub/../../pwned.txt', 'write', 'PathOutsideRoots'],
  ['absolute /etc/passwd (refused before opening)', '/etc/passwd', 'read', 'PathOutsideRoots'],
  ['absolute /proc/self/root/etc/passwd', '/proc/self/root/etc/passwd', 'read', 'PathOutsideRoots'],
  ['/dev/zero', '/dev/zero', 'read', 'PathOutsideRoots'],
  ['/dev/null (write)', '/dev/null', 'write', 'PathOutsideRoots'],
  ['absolute path outside the roots', '$OUT/secret.txt', 'read', 'PathOutsideRoots'],
  ['absolute path outside the roots (write)', '$OUT/secret.txt', 'write', 'PathOutsideRoots'],
  ['absolute path with .. out of the root', '$ROOT/../outside/secret.txt', 'read', 'PathOutsideRoots'],
  ['case variant of the root path', '$UPROOT/FILE.TXT', 'read', 'PathOutsideRoots'],
  ['a FIFO inside the root', 'fifo', 'read', 'PathNotRegular'],
  ['a FIFO inside the root (write)', 'fifo', 'write', 'PathNotRegular'],
  ['a unix socket inside the root', 'socket', 'read', 'PathNotRegular'],
  ['a unix socket inside the root (write)', 'socket', 'write', 'PathNotRegular'],
  ['a directory where a file is expected', 'sub', 'read', 'PathNotRegular'],
  ['a trailing slash', 'file.txt/', 'read', 'PathNotRegular'],
  ['a trailing slash (write)', 'sub/', 'write', 'PathNotRegular'],
  ['a file used as a folder (write)', 'file.txt/x', 'write', 'PathNotRegular'],
  ['a symlink escaping the root', 'escape-link', 'read', 'PathOutsideRoots'],
  ['a symlink escaping the root (write)', 'escape-link', 'write', 'PathOutsideRoots'],
  ['a relative symlink escaping the root', 'relative-escape', 'read', 'PathOutsideRoots'],
  ['a symlink to a symlink escaping', 'link-to-link', 'read', 'PathOutsideRoots'],
  ['a symlink to a symlink escaping (write)', 'link-to-link', 'write', 'PathOutsideRoots'],
  ['a symlink to /dev/zero', 'zero-link', 'read', 'PathOutsideRoots'],
  ['a dangling symlink pointing outside (write)', 'dangling', 'write', 'PathNotRegular'],
  ['a dangling symlink', 'dangling', 'read', 'PathNotFound'],
  ['a new file under a directory symlink that escapes', 'dir-link/new.txt', 'write', 'PathOutsideRoots'],
  ['new folders under a directory symlink that escapes', 'dir-link/a/b/new.txt', 'write', 'PathOutsideRoots'],
  ['a new file under a dangling directory symlink', 'dangling-dir/new.txt', 'write', 'PathNotRegular'],
  ['a symlink loop', 'loop', 'read', 'PathNotRegular'],
  ['a symlink into a read-only root (write)', 'to-read-only', 'write', 'RootReadOnly'],
  ['a file in a read-only root (write)', '$BASE/ro/kept.txt', 'write', 'RootReadOnly'],
  ['a new file in a read-only root', '$BASE/ro/new.txt', 'write', 'RootReadOnly'],
  ['a NUL byte', 'file.txt\0.png', 'read', 'PathInvalid'],
  ['a NUL byte (write)', 'x\0/../../outside/secret.txt', 'write', 'PathInvalid'],
  ['a newline', 'file\n.txt', 'write', 'PathInvalid'],
  ['an empty path', '', 'read', 'PathInvalid'],
  ['a blank path', '   ', 'write', 'PathInvalid'],
  ['a very long path', `${'a/'.repeat(2100)}x`, 'write', 'PathInvalid'],
  ['a name over 255 bytes', `${'é'.repeat(130)}.txt`, 'write', 'PathInvalid'],
  ['a lone surrogate', '\uD800.txt', 'write', 'PathInvalid'],
  ['~', '~', 'read', 'PathInvalid'],
  ['~/ (no expansion)', '~/.bashrc', 'write', 'PathInvalid'],
  ['~user', '~root/.profile', 'read', 'PathInvalid'],
  ['a Windows drive path', 'C:\\Windows\\win.ini', 'read', 'PathInvalid'],
  ['a Windows drive with forward slashes', 'C:/Windows/win.ini', 'write', 'PathInvalid'],
  ['a UNC path', '\\\\server\\share\\file.txt', 'read', 'PathInvalid'],
  ['mixed separators', 'sub\\..\\..\\outside\\secret.txt', 'read', 'PathInvalid'],
  ['mixed separators (write)', 'sub/..\\../outside/new.txt', 'write', 'PathInvalid'],
];

describe('hostile paths are refused, each with its own code, and nothing outside the root changes', () => {
  it.each(HOSTILE)('%s: %j (%s) → %s', async (_what, raw, mode, code) => {
    const before = outsideState();
    const result = await refusal(attempt(R(raw), mode));
    expect(result.code).toBe(code);
    expect(result.message).not.toContain(SECRET);
    expect(outsideState()).toEqual(before);
  });

  it('refuses oversized files and writes with FileTooLarge', async () => {
    expect((await refusal(attempt('big.bin', 'read'))).code).toBe('FileTooLarge');
    const resolved = await resolveInRoot('new-big.bin', roots, { forWrite: true, allowCreate: true });
    expect((await refusal(openForWrite(resolved, 'new-big.bin', LIMIT + 1, LIMIT))).code).toBe('FileTooLarge');
    expect(() => lstatSync(join(root, 'new-big.bin'))).toThrow();
  });

  it('refuses everything when no folder is granted, naming the command to grant one', async () => {
    const result = await refusal(attempt('file.txt', 'read', []));
    expect(result).toEqual({ code: 'NoRoots', message: expect.stringContaining('npx ferry-host roots add <folder>') });
  });

  it("refuses Ferry's own folders even inside a root", async () => {
    mkdirSync(join(root, 'ferry-config'), { recursive: true });
    writeFileSync(join(root, 'ferry-config', 'sandbox.json'), '{}');
    const protectedDirs = [join(root, 'ferry-config')];
    expect((await refusal(attempt('ferry-config/sandbox.json', 'write', roots, { protectedDirs }))).code).toBe('PathOutsideRoots');
    expect((await refusal(attempt('ferry-config/sandbox.json', 'read', roots, { protectedDirs }))).code).toBe('PathOutsideRoots');
    expect(readFileSync(join(root, 'ferry-config', 'sandbox.json'), 'utf8')).toBe('{}');
  });

  it('refuses a root that was replaced by a symlink', async () => {
    symlinkSync(outside, join(base, 'swapped'));
    const result = await refusal(attempt('secret.txt', 'read', [{ name: 'swapped', path: join(base, 'swapped'), default: true, readOnly: false }]));
    expect(result.code).toBe('PathNotFound');
  });

  it.runIf(process.platform === 'linux')('refuses device files as not regular even in a granted /dev (resolved only, never opened)', async () => {
    const dev: GrantedRoot[] = [{ name: 'dev', path: '/dev', default: true, readOnly: false }];
    expect((await refusal(resolveInRoot('/dev/zero', dev, { maxReadBytes: LIMIT }))).code).toBe('PathNotRegular');
    expect((await refusal(resolveInRoot('null', dev, { forWrite: true, allowCreate: true }))).code).toBe('PathNotRegular');
  });
});

describe('odd but harmless names are just names inside the root', () => {
  it.each([
    ['percent-encoded dots are literal', '%2e%2e/%2e%2e/outside/pwned.txt', ['%2e%2e', '%2e%2e', 'outside', 'pwned.txt']],
    ['fullwidth dots and slash are one name', '．．／．．／pwned.txt', ['．．／．．／pwned.txt']],
    ['a ligature lookalike', 'ﬁle.txt', ['ﬁle.txt']],
    ['trailing dots', 'file.txt.', ['file.txt.']],
    ['a case variant of an existing name', 'FILE.TXT', ['FILE.TXT']],
    ['.. that stays inside', 'sub/../sub/new.txt', ['sub', 'new.txt']],
    ['a leading ./', './sub/./made.txt', ['sub', 'made.txt']],
  ])('%s: %j', async (_what, input, parts) => {
    const before = outsideState();
    expect(await attempt(input, 'write')).toBe(join(root, ...parts));
    expect(readFileSync(join(root, ...parts), 'utf8')).toBe('PWNED');
    expect(outsideState()).toEqual(before);
  });

  it('reads through relative, absolute and in-root symlink paths', async () => {
    expect(await attempt('file.txt', 'read')).toBe('inside');
    expect(await attempt(`${root}/sub/inner.txt`, 'read')).toBe('inner');
    expect(await attempt('in-link', 'read')).toBe('inside');
    expect((await resolveInRoot('in-link', roots)).path).toBe(join(root, 'file.txt'));
    expect(await attempt('to-read-only', 'read')).toBe('read-only');
    expect(await attempt('%2e%2e/secret.txt', 'read').catch((e) => errorCodeName(e.code))).toBe('PathNotFound');
  });
});
