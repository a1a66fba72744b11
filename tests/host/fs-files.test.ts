/**
 * The file methods over real frames: a temp FERRY_HOME gets a granted folder through the real
 * `ferry-host roots add`, and the host reads, writes, lists and processes CSV inside it. The seed's
 * file blocks are sent as written (their relative paths land in the granted folder). Everything lives
 * in one fresh temp folder with an "outside" sibling, which is checked unchanged after every test.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, SandboxErrorCode } from '../../src/protocol';
import { parseConfigText } from '../../src/pipeline/config-text';
import { HOST_BUNDLE, ROOT } from '../support/paths';
import { hostsForEachTest, isolatedEnv, tempDir, type HostProcess } from './host-process';

const startHost = hostsForEachTest({ assertCleanStdout: true });
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const seed = (name: string) => parseConfigText(readFileSync(path.join(ROOT, 'tests/fixtures/seed', `${name}.txt`), 'utf8')) as Record<string, unknown>;

interface Fixture {
  host: HostProcess;
  work: string;
  outside: string;
}

function fixture(extraRoots: { dir: string; args: string[] }[] = []): Fixture {
  const base = realpathSync(tempDir('fs-files'));
  const home = path.join(base, 'ferry-home');
  const work = path.join(base, 'work');
  const outside = path.join(base, 'outside');
  mkdirSync(work);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  const roots = (...args: string[]) => execFileSync(process.execPath, [HOST_BUNDLE, 'roots', ...args], { env: isolatedEnv({ FERRY_HOME: home }), encoding: 'utf8' });
  roots('add', work);
  for (const extra of extraRoots) {
    mkdirSync(path.join(base, extra.dir));
    roots('add', path.join(base, extra.dir), ...extra.args);
  }
  cleanups.push(() => {
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    rmSync(base, { recursive: true, force: true });
  });
  return { host: startHost({ env: { FERRY_HOME: home } }), work, outside };
}

let nextId = 1;
async function ok(host: HostProcess, method: string, params: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await host.call(nextId++, method, params);
  if (response.error) throw new Error(`${method} failed: ${JSON.stringify(response.error)}`);
  return response.result;
}
async function fails(host: HostProcess, method: string, params: unknown): Promise<{ code: number; message: string; data: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await host.call(nextId++, method, params);
  expect(response.error, `${method} should fail`).toBeDefined();
  return response.error;
}

function put(work: string, rel: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
  writeFileSync(path.join(work, rel), content);
}

describe('the seed file blocks, as written', () => {
  it('read: json with errorHandling useDefault', async () => {
    const { host, work } = fixture();
    const block = seed('file-read');
    const missing = await ok(host, 'fs.read', block);
    expect(missing).toMatchObject({ usedDefault: true, data: null, parseAs: 'json', error: { code: SandboxErrorCode.PathNotFound, codeName: 'PathNotFound' } });
    put(work, 'config/workflow-config.json', '{ "steps": ["extract", "deliver"], "retries": 3 }');
    const read = await ok(host, 'fs.read', block);
    expect(read).toMatchObject({ usedDefault: false, data: { steps: ['extract', 'deliver'], retries: 3 }, path: path.join(work, 'config/workflow-config.json'), size: 49 });
    expect(Date.parse(read.modified)).not.toBeNaN();
  });

  it('write: {{timestamp}} in the name, createDirectories, backup', async () => {
    const { host, work } = fixture();
    const block = seed('file-write');
    const first = await ok(host, 'fs.write', block);
    expect(path.dirname(first.path)).toBe(path.join(work, 'output'));
    expect(path.basename(first.path)).toMatch(/^extracted-data-\d{13}\.json$/);
    expect(first).toMatchObject({ root: 'work', created: true, backups: [] });
    // The content arrives as the extension rendered it; the host writes it as JSON and never renders it.
    expect(JSON.parse(readFileSync(first.path, 'utf8'))).toBe('{{processedData}}');
    const second = await ok(host, 'fs.write', { ...block, content: [{ title: 'A' }] });
    expect(path.basename(second.path)).toMatch(/^extracted-data-\d{13}\.json$/);
    expect(await fails(host, 'fs.write', { ...block, filePath: './output/{{processedData}}.json' })).toMatchObject({ code: SandboxErrorCode.PathTemplateInvalid });
  });

  it('processCsv: headers, skipEmptyLines, parseDate', async () => {
    const { host, work } = fixture();
    put(work, 'data/input.csv', '\uFEFFdate,title,price\r\n2024-03-05,"Widget, large",12.5\r\n\r\n03/07/2024,"Say ""hi""\nthere",3\r\nnot a date,x,1\r\n');
    const result = await ok(host, 'fs.processCsv', seed('file-process-csv'));
    expect(result.columns).toEqual(['date', 'title', 'price']);
    expect(result.records).toEqual([
      { date: '2024-03-05', title: 'Widget, large', price: '12.5' },
      { date: '2024-03-07', title: 'Say "hi"\nthere', price: '3' },
      { date: null, title: 'x', price: '1' },
    ]);
    expect(result.issues).toEqual([{ line: 6, record: 2, column: 'date', kind: 'transform', message: '"not a date" is not a date Ferry recognizes' }]);
  });

  it('listDirectory: *.json, recursive, sortBy modifiedDate', async () => {
    const { host, work } = fixture();
    for (const [rel, t] of [['data/processed/b.json', 2000], ['data/processed/a.json', 3000], ['data/processed/x.txt', 1000], ['data/processed/2024/c.json', 1000]] as const) {
      put(work, rel, '{}');
      utimesSync(path.join(work, rel), t, t);
    }
    const result = await ok(host, 'fs.listDirectory', seed('file-list-directory'));
    expect(result).toMatchObject({ path: path.join(work, 'data/processed'), root: 'work', total: 3, truncated: false });
    expect(result.entries.map((e: { path: string }) => e.path)).toEqual(['2024/c.json', 'b.json', 'a.json']);
    expect(result.entries[1]).toEqual({ path: 'b.json', name: 'b.json', type: 'file', size: 2, modified: new Date(2_000_000).toISOString() });
  });
});

describe('fs.write', () => {
  it('atomic writes with rotating backups, and append with a csv header once', async () => {
    const { host, work } = fixture();
    for (let v = 1; v <= 4; v++) await ok(host, 'fs.write', { filePath: 'state.json', content: { v }, backup: 2 });
    expect(JSON.parse(readFileSync(path.join(work, 'state.json'), 'utf8'))).toEqual({ v: 4 });
    expect([1, 2].map((i) => JSON.parse(readFileSync(path.join(work, `state.json.${i}`), 'utf8')).v)).toEqual([3, 2]);
    expect(readdirSync(work).sort()).toEqual(['state.json', 'state.json.1', 'state.json.2']);

    const rows = (n: number) => [{ id: n, name: `row ${n}, "quoted"` }];
    const a = await ok(host, 'fs.write', { path: 'log/rows.csv', content: rows(1), append: true, createDirectories: true });
    expect(a).toMatchObject({ created: true, appended: true });
    await ok(host, 'fs.write', { path: 'log/rows.csv', content: rows(2), append: true });
    expect(readFileSync(path.join(work, 'log/rows.csv'), 'utf8')).toBe('id,name\n1,"row 1, ""quoted"""\n2,"row 2, ""quoted"""\n');
    await ok(host, 'fs.write', { path: 'log/events.ndjson', content: { e: 1 }, append: true });
    await ok(host, 'fs.write', { path: 'log/events.ndjson', content: [{ e: 2 }, { e: 3 }], append: true });
    expect(readFileSync(path.join(work, 'log/events.ndjson'), 'utf8')).toBe('{"e":1}\n{"e":2}\n{"e":3}\n');
    expect((await fails(host, 'fs.write', { path: 'x.json', content: {}, append: true })).code).toBe(ErrorCode.InvalidParams);
    expect((await fails(host, 'fs.write', { path: 'x.txt', content: { a: 1 }, format: 'text' })).code).toBe(ErrorCode.InvalidParams);
    expect((await fails(host, 'fs.write', { content: 'no path' })).data.issues[0].path).toBe('params.filePath');
  });
});

describe('fs.read', () => {
  it('parses each format, and useDefault covers only missing files and bad content', async () => {
    const { host, work } = fixture();
    put(work, 'r/a.json', '{"a":1}');
    put(work, 'r/a.txt', 'plain');
    put(work, 'r/a.csv', 'x;y\n1;2\n3\n');
    put(work, 'r/a.ndjson', '{"n":1}\n{"n":2}\n');
    put(work, 'r/a.bin', Buffer.from([0, 1, 254, 255]));
    put(work, 'r/bad.json', '{nope');
    put(work, 'r/bad.ndjson', '{}\n{\n');
    expect((await ok(host, 'fs.read', { filePath: 'r/a.json' })).data).toEqual({ a: 1 });
    expect((await ok(host, 'fs.read', { filePath: 'r/a.txt', parseAs: 'text' })).data).toBe('plain');
    const csv = await ok(host, 'fs.read', { filePath: 'r/a.csv', options: { delimiter: ';' } });
    expect(csv).toMatchObject({ parseAs: 'csv', data: [{ x: '1', y: '2' }], issues: [{ kind: 'ragged', line: 3 }] });
    expect((await ok(host, 'fs.read', { filePath: 'r/a.ndjson' })).data).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await ok(host, 'fs.read', { filePath: 'r/a.bin', parseAs: 'bytes' })).data).toBe('AAH+/w==');
    expect((await ok(host, 'fs.read', { filePath: 'r/a.json', parseAs: 'bytes', errorHandling: 'fail' })).size).toBe(7);

    for (const [file, parseAs] of [['r/bad.json', 'json'], ['r/bad.ndjson', 'ndjson'], ['r/missing.csv', 'csv']] as const) {
      const failed = await fails(host, 'fs.read', { filePath: file, parseAs, errorHandling: 'fail' });
      expect(failed.code).toBe(file.includes('missing') ? SandboxErrorCode.PathNotFound : SandboxErrorCode.FileParseFailed);
      const fallback = await ok(host, 'fs.read', { filePath: file, parseAs, errorHandling: 'useDefault', default: { fallback: true } });
      expect(fallback).toMatchObject({ usedDefault: true, data: { fallback: true }, error: { code: failed.code } });
    }
    expect((await fails(host, 'fs.read', { filePath: 'r/bad.ndjson', errorHandling: 'fail' })).data).toMatchObject({ line: 2 });
    // The guard's refusals are never replaced by a default.
    expect((await fails(host, 'fs.read', { filePath: '../outside/secret.txt', errorHandling: 'useDefault', default: 1 })).code).toBe(SandboxErrorCode.PathOutsideRoots);
    expect((await fails(host, 'fs.read', { filePath: 'r', errorHandling: 'useDefault' })).code).toBe(SandboxErrorCode.PathNotRegular);
  });

  it('answers a read over 1 MiB intact through $/chunk frames', async () => {
    const { host, work } = fixture();
    const line = 'ferry-é-漢字-🚢 '.repeat(20);
    const big = Array.from({ length: 12_000 }, (_, i) => `${i} ${line}`).join('\n');
    expect(Buffer.byteLength(big)).toBeGreaterThan(3 * 1024 * 1024);
    put(work, 'big.txt', big);
    const framesBefore = host.frames.length;
    const read = await ok(host, 'fs.read', { filePath: 'big.txt' });
    expect(read.data).toBe(big);
    expect(read.size).toBe(Buffer.byteLength(big));
    const frames = host.frames.slice(framesBefore);
    expect(frames.length).toBeGreaterThan(3);
    expect(frames.every((f) => f.byteLength <= 1024 * 1024)).toBe(true);
    expect(frames[0]!.toString('utf8')).toContain('"$/chunk"');
  });
});

describe('fs.processCsv', () => {
  it('round-trips through an output file, with transformations, and reads inline text', async () => {
    const { host, work } = fixture();
    put(work, 'in/sales.csv', 'Day;Region;Amount\n05.03.2024; North ;1 200\n06.03.2024;south;x\n07.03.2024;EAST\n');
    const result = await ok(host, 'fs.processCsv', {
      path: 'in/sales.csv',
      options: { delimiter: ';', relaxColumnCount: true },
      transformations: [
        { column: 'Day', operation: 'parseDate' },
        { column: 'Region', operation: 'trim' },
        { column: 'Region', operation: 'uppercase' },
        { column: 'Amount', operation: 'number' },
      ],
      output: { filePath: 'out/sales-{{date}}.csv', createDirectories: true },
    });
    expect(result.records).toEqual([
      { Day: '2024-03-05', Region: 'NORTH', Amount: 1200 },
      { Day: '2024-03-06', Region: 'SOUTH', Amount: null },
      { Day: '2024-03-07', Region: 'EAST', Amount: null },
    ]);
    expect(result.issues.map((i: { kind: string; line: number }) => [i.kind, i.line])).toEqual([['ragged', 4], ['transform', 3]]);
    expect(result.output.path).toMatch(/out\/sales-\d{4}-\d{2}-\d{2}\.csv$/);
    const back = await ok(host, 'fs.processCsv', { filePath: path.relative(work, result.output.path) });
    expect(back.records).toEqual([
      { Day: '2024-03-05', Region: 'NORTH', Amount: '1200' },
      { Day: '2024-03-06', Region: 'SOUTH', Amount: '' },
      { Day: '2024-03-07', Region: 'EAST', Amount: '' },
    ]);
    const inline = await ok(host, 'fs.processCsv', { content: 'a,b\n1,2\n', options: { headers: false }, output: { path: 'out/inline.json' }, omitRecords: true });
    expect(inline).toMatchObject({ records: [], recordCount: 2 });
    expect(JSON.parse(readFileSync(path.join(work, 'out/inline.json'), 'utf8'))).toEqual([['a', 'b'], ['1', '2']]);
    expect((await fails(host, 'fs.processCsv', { content: 'a\n"unclosed\n' })).code).toBe(SandboxErrorCode.FileParseFailed);
  });
});

describe('fs.listDirectory', () => {
  it('filters, sorts by size, limits and bounds recursion', async () => {
    const { host, work } = fixture();
    put(work, 'l/one.json', '1');
    put(work, 'l/three.json', '333');
    put(work, 'l/two.csv', '22');
    put(work, 'l/a/b/deep.json', '4444');
    const bySize = await ok(host, 'fs.listDirectory', { path: 'l', recursive: true, filter: '*.json', sortBy: 'size', order: 'desc', limit: 2 });
    expect(bySize.entries.map((e: { path: string }) => e.path)).toEqual(['a/b/deep.json', 'three.json']);
    expect(bySize).toMatchObject({ total: 3, truncated: true });
    const shallow = await ok(host, 'fs.listDirectory', { path: 'l', recursive: true, maxDepth: 1 });
    expect(shallow.entries.map((e: { path: string; type: string }) => `${e.path}:${e.type}`)).toEqual(['a:directory', 'a/b:directory', 'one.json:file', 'three.json:file', 'two.csv:file']);
    const top = await ok(host, 'fs.listDirectory', {});
    expect(top.entries.map((e: { name: string }) => e.name)).toEqual(['l']);
  });
});

describe('hostile paths through the methods', () => {
  it('refuses absolute paths outside, .., symlink escapes and read-only roots, writing nothing outside', async () => {
    const { host, work, outside } = fixture([{ dir: 'ro', args: ['--read-only'] }]);
    symlinkSync(path.join(outside, 'secret.txt'), path.join(work, 'secret-link'));
    symlinkSync(outside, path.join(work, 'outside-dir'));
    const secret = path.join(outside, 'secret.txt');
    const ro = path.join(path.dirname(work), 'ro');
    const cases: [string, unknown, number][] = [
      ['fs.read', { filePath: secret }, SandboxErrorCode.PathOutsideRoots],
      ['fs.read', { filePath: '../outside/secret.txt' }, SandboxErrorCode.PathOutsideRoots],
      ['fs.read', { filePath: 'secret-link', errorHandling: 'useDefault' }, SandboxErrorCode.PathOutsideRoots],
      ['fs.read', { filePath: 'outside-dir/secret.txt' }, SandboxErrorCode.PathOutsideRoots],
      ['fs.read', { filePath: '/etc/passwd' }, SandboxErrorCode.PathOutsideRoots],
      ['fs.read', { filePath: '~/.ssh/id_rsa' }, SandboxErrorCode.PathInvalid],
      ['fs.write', { filePath: secret, content: 'x', format: 'text' }, SandboxErrorCode.PathOutsideRoots],
      ['fs.write', { filePath: '../outside/new.txt', content: 'x', createDirectories: true }, SandboxErrorCode.PathOutsideRoots],
      ['fs.write', { filePath: 'secret-link', content: 'x', backup: true }, SandboxErrorCode.PathOutsideRoots],
      ['fs.write', { filePath: 'outside-dir/new.ndjson', content: {}, append: true }, SandboxErrorCode.PathOutsideRoots],
      ['fs.write', { filePath: 'outside-dir/{{date}}/x.json', content: {}, createDirectories: true }, SandboxErrorCode.PathOutsideRoots],
      ['fs.write', { filePath: '{{date}}/../../outside/x.json', content: {} }, SandboxErrorCode.PathOutsideRoots],
      ['fs.write', { filePath: path.join(ro, 'x.json'), content: {} }, SandboxErrorCode.RootReadOnly],
      ['fs.processCsv', { filePath: 'secret-link' }, SandboxErrorCode.PathOutsideRoots],
      ['fs.processCsv', { content: 'a\n1\n', output: { filePath: '../outside/out.csv' } }, SandboxErrorCode.PathOutsideRoots],
      ['fs.listDirectory', { path: outside }, SandboxErrorCode.PathOutsideRoots],
      ['fs.listDirectory', { path: '..' }, SandboxErrorCode.PathOutsideRoots],
      ['fs.listDirectory', { path: 'outside-dir', recursive: true }, SandboxErrorCode.PathOutsideRoots],
    ];
    for (const [method, params, code] of cases) {
      const error = await fails(host, method, params);
      expect(error.code, `${method} ${JSON.stringify(params)}: ${error.message}`).toBe(code);
    }
    const listing = await ok(host, 'fs.listDirectory', { recursive: true, filter: '**' });
    expect(listing.entries.map((e: { path: string; type: string }) => `${e.path}:${e.type}`)).toEqual(['outside-dir:symlink', 'secret-link:symlink']);
    expect(readdirSync(ro)).toEqual([]);
    expect(readdirSync(work).sort()).toEqual(['outside-dir', 'secret-link']);
  });
});
