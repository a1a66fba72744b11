/**
 * Line logger for the host. Nothing may ever reach stdout (it carries frames), so lines go to a
 * rotating file and to stderr (which browsers forward to their own log). Writes to the file are
 * synchronous so that the last lines before an exit are never lost.
 *
 * Log method names, ids, durations and errors; never params or payloads (they carry user data).
 */
import { closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import type { LogLevel } from './config';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  readonly level: LogLevel;
  error(message: string, fields?: LogFields, error?: unknown): void;
  warn(message: string, fields?: LogFields, error?: unknown): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  enabled(level: LogLevel): boolean;
}

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export type LineSink = (line: string) => void;

export function createLogger(level: LogLevel, sinks: LineSink[]): Logger {
  const enabled = (l: LogLevel): boolean => RANK[l] <= RANK[level];
  const emit = (l: LogLevel, message: string, fields?: LogFields, error?: unknown): void => {
    if (!enabled(l)) return;
    const line = formatLine(l, message, fields, error);
    for (const sink of sinks) {
      try {
        sink(line);
      } catch {
        // A failing sink (disk full, closed stderr) must never take the host down.
      }
    }
  };
  return {
    level,
    enabled,
    error: (m, f, e) => emit('error', m, f, e),
    warn: (m, f, e) => emit('warn', m, f, e),
    info: (m, f) => emit('info', m, f),
    debug: (m, f) => emit('debug', m, f),
  };
}

export function formatLine(level: LogLevel, message: string, fields?: LogFields, error?: unknown): string {
  let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${process.pid}] ${message}`;
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const text = typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
      line += ` ${key}=${text}`;
    }
  }
  if (error !== undefined) {
    const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    line += `\n  ${detail.replace(/\n/g, '\n  ')}`;
  }
  return `${line}\n`;
}

export interface RotatingFileOptions {
  path: string;
  /** Rotate when the file would grow past this many bytes (default 5 MB). */
  maxBytes?: number;
  /** Rotated copies kept: host.log.1 (newest) … host.log.N (default 3). */
  keep?: number;
}

/** A sink appending to `path`, rotating to `path.1` … `path.N` when it grows past `maxBytes`. */
export function rotatingFileSink(options: RotatingFileOptions): LineSink {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 3;
  let fd = openSync(options.path, 'a', 0o600);
  let size = fstatSync(fd).size;

  const rotate = (): void => {
    closeSync(fd);
    for (let i = keep - 1; i >= 1; i--) renameQuietly(`${options.path}.${i}`, `${options.path}.${i + 1}`);
    if (keep > 0) renameQuietly(options.path, `${options.path}.1`);
    // With keep = 0 the old file is simply truncated.
    fd = openSync(options.path, keep > 0 ? 'a' : 'w', 0o600);
    size = fstatSync(fd).size;
  };

  return (line) => {
    const bytes = Buffer.from(line, 'utf8');
    if (size > 0 && size + bytes.byteLength > maxBytes) rotate();
    writeSync(fd, bytes);
    size += bytes.byteLength;
  };
}

function renameQuietly(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    // Another host process may have rotated first; missing files are expected.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export interface StderrSinkOptions {
  /** Called once when stderr fails (EPIPE: whoever read it is gone); nothing is written to it afterwards. */
  onClosed?: (error: Error) => void;
  /**
   * Lines are dropped while this many bytes wait unwritten, so a reader that never empties the pipe
   * cannot make the host buffer its log in memory (default 1 MiB).
   */
  maxBacklogBytes?: number;
}

/**
 * A sink writing to stderr; Chrome and Firefox copy a host's stderr into their own logs. Once stderr
 * fails it is never written again: Node re-opens a failed stdio stream, so each later line would
 * raise EPIPE anew, and an unhandled one lands in the uncaught-exception handler, which logs it
 * here again (this spun a host whose browser had died at a full core, deaf to SIGTERM).
 */
export function stderrSink(stream: NodeJS.WritableStream & { writableLength?: number } = process.stderr, options: StderrSinkOptions = {}): LineSink {
  const maxBacklog = options.maxBacklogBytes ?? 1024 * 1024;
  let closed = false;
  const close = (error: Error): void => {
    if (closed) return;
    closed = true;
    options.onClosed?.(error);
  };
  // Kept for the life of the process: every later error of this stream is expected and swallowed.
  stream.on('error', close);
  return (line) => {
    if (closed || (stream.writableLength ?? 0) > maxBacklog) return;
    stream.write(line, (error) => {
      if (error) close(error);
    });
  };
}
