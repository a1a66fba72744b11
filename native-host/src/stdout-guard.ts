/**
 * stdout carries native-messaging frames and nothing else: one stray byte (a console.log in a
 * dependency) desynchronizes the browser's reader and it closes the port. At startup the host takes
 * the only real handle on stdout for its frame writer and diverts every other write to the log.
 */
import type { Logger } from './logger';

/** The part of a writable stream the frame writer needs. */
export interface FrameSink {
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Redirects console.log/info/debug/warn/trace and direct process.stdout.write calls to the logger,
 * and returns a sink that still writes to the real stdout.
 */
export function guardStdout(logger: Logger, stdout: NodeJS.WriteStream = process.stdout): FrameSink {
  const realWrite = stdout.write.bind(stdout) as (chunk: Uint8Array, callback: (error?: Error | null) => void) => boolean;

  const divert = (level: 'debug' | 'info' | 'warn') => (...args: unknown[]) => {
    logger[level](`console: ${args.map(formatArg).join(' ')}`);
  };
  /* eslint-disable no-console -- this is the one place allowed to touch console: it takes it over */
  console.log = divert('info');
  console.info = divert('info');
  console.debug = divert('debug');
  console.warn = divert('warn');
  console.trace = divert('debug');
  console.dir = divert('debug');
  console.table = divert('debug');
  /* eslint-enable no-console */

  const strayWrite = (chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    logger.warn(`diverted a stray write to stdout: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`.trimEnd());
    const cb = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
    return true;
  };
  stdout.write = strayWrite as typeof stdout.write;

  return {
    write: (chunk, callback) => realWrite(chunk, callback),
    once: (event: 'drain', listener: () => void) => stdout.once(event, listener),
    on: (event: 'error', listener: (error: Error) => void) => stdout.on(event, listener),
  };
}

function formatArg(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error) return arg.stack ?? arg.message;
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}
