import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, formatLine, rotatingFileSink, stderrSink } from './logger';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempLog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-log-test-'));
  dirs.push(dir);
  return join(dir, 'host.log');
}

describe('logger', () => {
  it('filters by level', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', [(l) => lines.push(l)]);
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((l) => l.split(' ').slice(1, 2)[0])).toEqual(['WARN', 'ERROR']);
    expect(logger.enabled('info')).toBe(false);
    expect(logger.enabled('error')).toBe(true);
  });

  it('formats fields and indents an error\'s stack', () => {
    const error = new Error('boom');
    const line = formatLine('error', 'handler failed', { method: 'system.echo', id: 3, note: 'two words', skip: undefined }, error);
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z ERROR \[\d+\] handler failed method=system\.echo id=3 note="two words"\n {2}Error: boom\n {6}at /);
    expect(line).not.toContain('skip');
    expect(line.endsWith('\n')).toBe(true);
  });

  it('keeps working when a sink throws', () => {
    const lines: string[] = [];
    const logger = createLogger('info', [() => { throw new Error('disk full'); }, (l) => lines.push(l)]);
    logger.info('still here');
    expect(lines).toHaveLength(1);
  });
});

describe('rotatingFileSink', () => {
  it('rotates at maxBytes and keeps the newest N old files', () => {
    const path = tempLog();
    const sink = rotatingFileSink({ path, maxBytes: 100, keep: 3 });
    for (let i = 0; i < 12; i++) sink(`line ${String(i).padStart(2, '0')} ${'x'.repeat(30)}\n`); // 40 bytes each
    // Two lines per file: the current file and three rotated ones hold the last eight lines.
    expect(readFileSync(path, 'utf8')).toMatch(/^line 10 x+\nline 11 x+\n$/);
    expect(readFileSync(`${path}.1`, 'utf8')).toMatch(/^line 08 .*\nline 09 .*\n$/);
    expect(readFileSync(`${path}.3`, 'utf8')).toMatch(/^line 04 .*\nline 05 .*\n$/);
    expect(existsSync(`${path}.4`)).toBe(false);
    for (const f of [path, `${path}.1`, `${path}.2`, `${path}.3`]) expect(statSync(f).size).toBeLessThanOrEqual(100);
  });

  it('appends to an existing log and counts its size', () => {
    const path = tempLog();
    rotatingFileSink({ path, maxBytes: 100 })('a'.repeat(90) + '\n');
    const sink = rotatingFileSink({ path, maxBytes: 100 });
    sink('b'.repeat(20) + '\n');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('a'.repeat(90) + '\n');
    expect(readFileSync(path, 'utf8')).toBe('b'.repeat(20) + '\n');
  });
});

describe('stderrSink', () => {
  /** A stderr whose reader is gone: every write fails with EPIPE, as a pipe's does. */
  function deadStderr() {
    let writes = 0;
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        writes += 1;
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    return { stream, writes: () => writes };
  }

  it('stops writing after the first failure, reports it once and never throws or leaves an unhandled error', async () => {
    const { stream, writes } = deadStderr();
    const closed: string[] = [];
    const sink = stderrSink(stream, { onClosed: (error) => closed.push(error.message) });
    const logger = createLogger('info', [sink]);
    logger.error('first');
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 100; i++) logger.error('again');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes()).toBe(1);
    expect(closed).toEqual(['write EPIPE']);
  });

  it('drops lines while the backlog stays unwritten, instead of buffering them', () => {
    const stream = new Writable({ highWaterMark: 16, write: () => undefined }); // never completes a write
    const sink = stderrSink(stream, { maxBacklogBytes: 100 });
    for (let i = 0; i < 1000; i++) sink(`${'x'.repeat(49)}\n`);
    expect(stream.writableLength).toBeLessThanOrEqual(150);
  });
});
