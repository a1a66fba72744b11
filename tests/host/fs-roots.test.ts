/** `fs.roots` over real frames: the host reports what `ferry-host roots add` granted in its FERRY_HOME. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol';
import { HOST_BUNDLE } from '../support/paths';
import { hostsForEachTest, isolatedEnv, tempDir } from './host-process';

const startHost = hostsForEachTest({ assertCleanStdout: true });
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function fixture(): { home: string; work: string } {
  const base = realpathSync(tempDir('fs-roots'));
  dirs.push(base);
  const home = path.join(base, 'ferry-home');
  const work = path.join(base, 'work');
  mkdirSync(path.join(work, 'exports'), { recursive: true });
  mkdirSync(path.join(work, 'reference'));
  return { home, work };
}

function roots(home: string, ...args: string[]): string {
  return execFileSync(process.execPath, [HOST_BUNDLE, 'roots', ...args], { env: isolatedEnv({ FERRY_HOME: home }), encoding: 'utf8' });
}

describe('fs.roots', () => {
  it('answers an empty list before anything is granted', async () => {
    const { home } = fixture();
    const host = startHost({ env: { FERRY_HOME: home } });
    const response = await host.call(1, 'fs.roots');
    expect(response.result).toEqual({ roots: [], limits: { maxReadBytes: 64 * 1024 * 1024, maxWriteBytes: 64 * 1024 * 1024 } });
  });

  it('lists the folders granted with `ferry-host roots add`, in the same FERRY_HOME, without a restart', async () => {
    const { home, work } = fixture();
    const host = startHost({ env: { FERRY_HOME: home } });
    expect(roots(home, 'add', path.join(work, 'exports'))).toContain('Granted "exports"');
    expect(roots(home, 'add', path.join(work, 'reference'), '--name', 'ref', '--read-only')).toContain('(read-only)');
    const response = await host.call('r', 'fs.roots', {});
    expect(response.result.roots).toEqual([
      { name: 'exports', path: path.join(work, 'exports'), default: true, readOnly: false, exists: true },
      { name: 'ref', path: path.join(work, 'reference'), default: false, readOnly: true, exists: true },
    ]);
    rmSync(path.join(work, 'reference'), { recursive: true });
    roots(home, 'remove', 'exports');
    const after = await host.call('r2', 'fs.roots', []);
    expect(after.result.roots).toEqual([{ name: 'ref', path: path.join(work, 'reference'), default: true, readOnly: true, exists: false }]);
    expect(JSON.parse(roots(home, 'list', '--json')).roots).toEqual(after.result.roots);
  });

  it('refuses params, and reports a corrupt sandbox file with its path', async () => {
    const { home } = fixture();
    mkdirSync(path.join(home, 'config'), { recursive: true });
    writeFileSync(path.join(home, 'config', 'sandbox.json'), '{ not json');
    const host = startHost({ env: { FERRY_HOME: home } });
    expect((await host.call(1, 'fs.roots', { all: true })).error.code).toBe(ErrorCode.InvalidParams);
    const broken = await host.call(2, 'fs.roots');
    expect(broken.error.code).toBe(ErrorCode.InternalError);
    expect(broken.error.message).toContain(path.join(home, 'config', 'sandbox.json'));
    const info = await host.call(3, 'system.info');
    expect(info.result.capabilities).toContain('fs');
  });
});
