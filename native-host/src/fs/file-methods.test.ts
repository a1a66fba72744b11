/**
 * read-file, write-file, backups, file-formats and list-directory against a real temporary folder:
 * the granted root is one subfolder and "outside" a sibling, so a broken guard could only ever touch
 * the temporary folder; each test checks that outside is unchanged.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, SandboxErrorCode } from '../../../src/protocol';
import type { GrantedRoot } from '../roots/sandbox-file';
import { rotateBackups } from './backups';
import { encodeContent, parseContent } from './file-formats';
import { listDirectory } from './list-directory';
import { readInRoot } from './read-file';
import { resolveFolderInRoot } from './resolve-in-root';
import { writeInRoot, type WriteRequest } from './write-file';

let base: string;
let root: string;
let outside: string;
let roots: GrantedRoot[];
const scope = () => ({ roots, maxReadBytes: 1024 * 1024, maxWriteBytes: 1024 * 1024, protectedDirs: [join(root, 'ferry-config')] });
const text = (s: string) => () => Buffer.from(s);

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'ferry-files-')));
  root = join(base, 'root');
  outside = join(base, 'outside');
  mkdirSync(join(root, 'ferry-config'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  roots = [{ name: 'root', path: root, default: true, readOnly: false }];
});
afterEach(() => {
  expect(readdirSync(outside)).toEqual(['secret.txt']);
  expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  rmSync(base, { recursive: true, force: true });
});

async function code(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

const write = (request: Partial<WriteRequest> & { input: string }) => writeInRoot({ encode: text('x'), ...request }, scope());

describe('writeInRoot', () => {
  it('writes atomically, leaving no temp file, and keeps an existing file\'s mode', async () => {
    const out = await write({ input: 'a.json', encode: text('{"v":1}\n') });
    expect(out).toMatchObject({ path: join(root, 'a.json'), root: 'root', created: true, appended: false, bytesWritten: 8, backups: [] });
    chmodSync(join(root, 'a.json'), 0o600);
    const again = await write({ input: 'a.json', encode: text('new') });
    expect(again.created).toBe(false);
    expect(readFileSync(join(root, 'a.json'), 'utf8')).toBe('new');
    expect(lstatSync(join(root, 'a.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(root).filter((n) => n.includes('ferry-tmp'))).toEqual([]);
  });

  it('rotates backups name.1..N, newest first, dropping the oldest', async () => {
    for (let v = 1; v <= 5; v++) await write({ input: 'data.json', encode: text(`v${v}`), backup: 3 });
    expect(readFileSync(join(root, 'data.json'), 'utf8')).toBe('v5');
    expect([1, 2, 3].map((i) => readFileSync(join(root, `data.json.${i}`), 'utf8'))).toEqual(['v4', 'v3', 'v2']);
    expect(readdirSync(root).includes('data.json.4')).toBe(false);
    const withTrue = await write({ input: 'data.json', encode: text('v6'), backup: true });
    expect(withTrue.backups).toEqual([1, 2, 3].map((i) => join(root, `data.json.${i}`)));
  });

  it('moves a symlink planted as a backup name instead of writing through it', async () => {
    writeFileSync(join(root, 'f.txt'), 'current');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'f.txt.1'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'f.txt.2'));
    await rotateBackups(join(root, 'f.txt'), 2);
    expect(readFileSync(join(root, 'f.txt.1'), 'utf8')).toBe('current');
    expect(lstatSync(join(root, 'f.txt.2')).isSymbolicLink()).toBe(true);
  });

  it('appends: a csv header only when the file is new or empty, ndjson lines', async () => {
    const csv = (rows: Record<string, unknown>[]) => (size: number) => Buffer.from(encodeContent(rows, 'csv', { appendingToNonEmpty: size > 0 }));
    await write({ input: 'log.csv', append: true, encode: csv([{ a: 1, b: 2 }]) });
    await write({ input: 'log.csv', append: true, encode: csv([{ a: 3, b: 4 }]) });
    expect(readFileSync(join(root, 'log.csv'), 'utf8')).toBe('a,b\n1,2\n3,4\n');
    writeFileSync(join(root, 'empty.csv'), '');
    await write({ input: 'empty.csv', append: true, encode: csv([{ a: 1 }]) });
    expect(readFileSync(join(root, 'empty.csv'), 'utf8')).toBe('a\n1\n');
    const nd = (v: unknown) => () => Buffer.from(encodeContent(v, 'ndjson'));
    await write({ input: 'e.ndjson', append: true, encode: nd([{ n: 1 }, { n: 2 }]) });
    const third = await write({ input: 'e.ndjson', append: true, encode: nd({ n: 3 }) });
    expect(third).toMatchObject({ appended: true, size: 24 });
    expect(readFileSync(join(root, 'e.ndjson'), 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('renders path tokens, and creates folders only with createDirectories', async () => {
    expect(await code(write({ input: 'out/{{date}}.json' }))).toBe(SandboxErrorCode.PathNotFound);
    const now = new Date('2024-01-02T03:04:05Z');
    const out = await write({ input: './out/deep/x-{{timestamp}}.json', createDirectories: true, now });
    expect(out.path).toBe(join(root, 'out', 'deep', `x-${now.getTime()}.json`));
    expect(await code(write({ input: '{{evil}}.json' }))).toBe(SandboxErrorCode.PathTemplateInvalid);
    expect(await code(write({ input: '{{date}}/../../outside/secret.txt', createDirectories: true }))).toBe(SandboxErrorCode.PathOutsideRoots);
  });

  it('refuses hostile targets: outside, .., symlink escapes, read-only roots, protected folders, the size limit', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    symlinkSync(outside, join(root, 'out-dir'));
    const ro = join(base, 'ro');
    mkdirSync(ro);
    roots.push({ name: 'ro', path: ro, default: false, readOnly: true });
    expect(await code(write({ input: join(outside, 'secret.txt') }))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(write({ input: '../outside/new.txt' }))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(write({ input: 'link.txt' }))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(write({ input: 'out-dir/new.txt', createDirectories: true }))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(write({ input: 'out-dir/secret.txt', backup: 2 }))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(write({ input: join(ro, 'x.txt') }))).toBe(SandboxErrorCode.RootReadOnly);
    expect(await code(write({ input: 'ferry-config/sandbox.json' }))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(write({ input: 'big.txt', encode: () => Buffer.alloc(1024 * 1024 + 1) }))).toBe(SandboxErrorCode.FileTooLarge);
    writeFileSync(join(root, 'grow.ndjson'), Buffer.alloc(1024 * 1024 - 2));
    expect(await code(write({ input: 'grow.ndjson', append: true, encode: text('{}\n') }))).toBe(SandboxErrorCode.FileTooLarge);
    expect(readdirSync(ro)).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(['ferry-config', 'grow.ndjson', 'link.txt', 'out-dir']);
  });

  it('writes in place with atomic false', async () => {
    writeFileSync(join(root, 'p.txt'), 'longer old content');
    const ino = lstatSync(join(root, 'p.txt')).ino;
    await write({ input: 'p.txt', atomic: false, encode: text('short') });
    expect(readFileSync(join(root, 'p.txt'), 'utf8')).toBe('short');
    expect(lstatSync(join(root, 'p.txt')).ino).toBe(ino);
  });
});

describe('readInRoot and parseContent', () => {
  it('reads bytes and parses each format; bad content is FileParseFailed', async () => {
    writeFileSync(join(root, 'c.json'), '\uFEFF{"a":[1,2]}');
    const file = await readInRoot('c.json', scope());
    expect(parseContent(file.bytes, 'json', 'c.json').data).toEqual({ a: [1, 2] });
    expect(parseContent(Buffer.from('{"a":1}\n\n{"a":2}\r\n'), 'ndjson', 'x').data).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseContent(Buffer.from([0, 255, 1]), 'bytes', 'x').data).toBe('AP8B');
    expect(parseContent(Buffer.from('é', 'latin1'), 'text', 'x', 'latin1').data).toBe('é');
    expect(parseContent(Buffer.from('a;b\n1;2\n'), 'csv', 'x', 'utf8', { delimiter: ';' }).data).toEqual([{ a: '1', b: '2' }]);
    expect(() => parseContent(Buffer.from('{oops'), 'json', 'x')).toThrow(expect.objectContaining({ code: SandboxErrorCode.FileParseFailed }));
    expect(() => parseContent(Buffer.from('{}\nnope\n'), 'ndjson', 'x')).toThrow(expect.objectContaining({ data: expect.objectContaining({ line: 2 }) }));
  });

  it('refuses hostile reads and the size limit', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    writeFileSync(join(root, 'ferry-config', 'sandbox.json'), '{}');
    writeFileSync(join(root, 'big'), Buffer.alloc(1024 * 1024 + 1));
    expect(await code(readInRoot(join(outside, 'secret.txt'), scope()))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(readInRoot('../outside/secret.txt', scope()))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(readInRoot('link.txt', scope()))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(readInRoot('ferry-config/sandbox.json', scope()))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(readInRoot('missing.json', scope()))).toBe(SandboxErrorCode.PathNotFound);
    expect(await code(readInRoot('big', scope()))).toBe(SandboxErrorCode.FileTooLarge);
  });

  it('encodeContent refuses content that does not fit its format', () => {
    expect(() => encodeContent({ a: 1 }, 'text')).toThrow(expect.objectContaining({ code: ErrorCode.InvalidParams }));
    expect(() => encodeContent(['x'], 'csv')).toThrow(expect.objectContaining({ code: ErrorCode.InvalidParams }));
    expect(encodeContent({ a: 1 }, 'json', { indent: 0 })).toBe('{"a":1}\n');
  });
});

describe('listDirectory', () => {
  beforeEach(() => {
    mkdirSync(join(root, 'data', 'processed', 'deep', 'deeper'), { recursive: true });
    const files: [string, number, number][] = [
      ['data/processed/b.json', 30, 3000],
      ['data/processed/a.json', 10, 1000],
      ['data/processed/notes.txt', 5, 2000],
      ['data/processed/deep/c.json', 20, 4000],
      ['data/processed/deep/deeper/d.json', 1, 5000],
    ];
    for (const [p, size, t] of files) {
      writeFileSync(join(root, p), Buffer.alloc(size));
      utimesSync(join(root, p), t, t);
    }
    symlinkSync(outside, join(root, 'data', 'processed', 'escape'));
  });

  it('filters with a glob, recurses within maxDepth, sorts and limits', async () => {
    const folder = await resolveFolderInRoot('./data/processed', roots);
    expect(folder.path).toBe(join(root, 'data', 'processed'));
    const byDate = await listDirectory(folder.path, { filter: '*.json', recursive: true, sortBy: 'modifiedDate' });
    expect(byDate.entries.map((e) => e.path)).toEqual(['a.json', 'b.json', 'deep/c.json', 'deep/deeper/d.json']);
    expect(byDate.entries[0]).toEqual({ path: 'a.json', name: 'a.json', type: 'file', size: 10, modified: new Date(1000 * 1000).toISOString() });
    const shallow = await listDirectory(folder.path, { filter: '*.json', recursive: true, maxDepth: 1, sortBy: 'size', order: 'desc', limit: 2 });
    expect(shallow.entries.map((e) => e.path)).toEqual(['b.json', 'deep/c.json']);
    expect(shallow).toMatchObject({ total: 3, truncated: true });
    const flat = await listDirectory(folder.path, {});
    expect(flat.entries.map((e) => [e.name, e.type])).toEqual([['a.json', 'file'], ['b.json', 'file'], ['deep', 'directory'], ['escape', 'symlink'], ['notes.txt', 'file']]);
    expect((await listDirectory(folder.path, { type: 'directory', recursive: true })).entries.map((e) => e.path)).toEqual(['deep', 'deep/deeper']);
    expect((await listDirectory(folder.path, { recursive: true, maxScanned: 2 })).truncated).toBe(true);
  });

  it('never follows a symlink out of the root, and refuses folders outside it', async () => {
    const all = await listDirectory(join(root, 'data', 'processed'), { recursive: true, filter: '**/*' });
    expect(all.entries.some((e) => e.path.includes('secret'))).toBe(false);
    expect(await code(resolveFolderInRoot('data/processed/escape', roots))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(resolveFolderInRoot('..', roots))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(resolveFolderInRoot(outside, roots))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(resolveFolderInRoot('ferry-config', roots, { protectedDirs: [join(root, 'ferry-config')] }))).toBe(SandboxErrorCode.PathOutsideRoots);
    expect(await code(resolveFolderInRoot('data/processed/a.json', roots))).toBe(SandboxErrorCode.PathNotRegular);
    expect(await code(resolveFolderInRoot('nope', roots))).toBe(SandboxErrorCode.PathNotFound);
    expect(await code(resolveFolderInRoot('.', []))).toBe(SandboxErrorCode.NoRoots);
    const top = await listDirectory(root, { protectedDirs: [join(root, 'ferry-config')] });
    expect(top.entries.map((e) => e.name)).toEqual(['data']);
  });
});
