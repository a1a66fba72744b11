/**
 * Host settings read from the environment once at startup. Every variable is optional; a malformed
 * value is reported and the default used, because a host that refuses to start only shows the user
 * "native host has exited" in the browser.
 */
import { DEFAULT_MAX_RESULT_BYTES, MAX_RESULT_BYTES_SETTING } from './db/result-bytes';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export interface HostConfig {
  /** Largest frame accepted from the browser (FERRY_HOST_MAX_FRAME_BYTES, default 64 MiB). */
  maxFrameBytes: number;
  /** Largest message rebuilt from `$/chunk` pieces (FERRY_HOST_MAX_MESSAGE_BYTES, default 256 MiB). */
  maxMessageBytes: number;
  /** FERRY_LOG_LEVEL: error | warn | info | debug (default info). */
  logLevel: LogLevel;
  /** Extra callers allowed besides Ferry's own extension (FERRY_HOST_ALLOWED_ORIGINS, comma-separated). */
  extraAllowedOrigins: string[];
  /** Registers the test.* and JSON-RPC spec example methods (FERRY_HOST_TEST_METHODS=1). */
  testMethods: boolean;
  /**
   * After stdin ends: how long in-flight calls may run before they are cancelled, and how long the
   * final flush may see stdout take nothing before unsent frames are dropped
   * (FERRY_HOST_SHUTDOWN_GRACE_MS, default 2000).
   */
  shutdownGraceMs: number;
  /**
   * Backpressure: while replies not yet taken by stdout exceed this many bytes, the host stops
   * reading stdin (FERRY_HOST_MAX_UNSENT_BYTES, default 1 MiB). Progress notifications are dropped
   * meanwhile.
   */
  maxUnsentBytes: number;
  /** Backpressure: while more calls than this run, the host stops reading stdin (FERRY_HOST_MAX_ACTIVE_CALLS, default 512). */
  maxActiveCalls: number;
  /**
   * Most bytes all unfinished `$/chunk` streams from the client may hold together
   * (FERRY_HOST_MAX_CHUNK_BUFFER_BYTES, default 256 MiB: one message of the largest size).
   */
  maxChunkBufferBytes: number;
  /** An unfinished `$/chunk` stream with no new piece for this long is dropped (FERRY_HOST_CHUNK_TIMEOUT_MS, default 30000). */
  chunkTimeoutMs: number;
  /** Most bytes (estimated as JSON) one db.select page may hold (FERRY_HOST_MAX_RESULT_BYTES, default 64 MiB). */
  maxResultBytes: number;
}

export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_ASSEMBLED_BYTES = 256 * 1024 * 1024;
export const DEFAULT_SHUTDOWN_GRACE_MS = 2000;
export const DEFAULT_MAX_UNSENT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_ACTIVE_CALLS = 512;
export const DEFAULT_CHUNK_TIMEOUT_MS = 30_000;

export interface ConfigResult {
  config: HostConfig;
  /** Problems with the environment, to be logged once the logger exists. */
  warnings: string[];
}

export function readHostConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const warnings: string[] = [];
  const int = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min) return value;
    warnings.push(`${name}=${JSON.stringify(raw)} is not an integer >= ${min}; using ${fallback}`);
    return fallback;
  };

  let logLevel: LogLevel = 'info';
  const rawLevel = env.FERRY_LOG_LEVEL?.trim().toLowerCase();
  if (rawLevel) {
    if ((LOG_LEVELS as readonly string[]).includes(rawLevel)) logLevel = rawLevel as LogLevel;
    else warnings.push(`FERRY_LOG_LEVEL=${JSON.stringify(env.FERRY_LOG_LEVEL)} is not one of ${LOG_LEVELS.join('|')}; using info`);
  }

  const maxMessageBytes = int('FERRY_HOST_MAX_MESSAGE_BYTES', DEFAULT_MAX_ASSEMBLED_BYTES, 1);
  // Defaults to the largest message, so a message of that size can always be rebuilt.
  const maxChunkBufferBytes = int('FERRY_HOST_MAX_CHUNK_BUFFER_BYTES', maxMessageBytes, 1);
  if (maxChunkBufferBytes < maxMessageBytes) {
    warnings.push(
      `FERRY_HOST_MAX_CHUNK_BUFFER_BYTES=${maxChunkBufferBytes} is below FERRY_HOST_MAX_MESSAGE_BYTES=${maxMessageBytes}: ` +
        `chunked messages above ${maxChunkBufferBytes} bytes will be refused`,
    );
  }
  return {
    config: {
      maxFrameBytes: int('FERRY_HOST_MAX_FRAME_BYTES', DEFAULT_MAX_FRAME_BYTES, 1),
      maxMessageBytes,
      logLevel,
      extraAllowedOrigins: (env.FERRY_HOST_ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      testMethods: env.FERRY_HOST_TEST_METHODS === '1',
      shutdownGraceMs: int('FERRY_HOST_SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0),
      maxUnsentBytes: int('FERRY_HOST_MAX_UNSENT_BYTES', DEFAULT_MAX_UNSENT_BYTES, 1),
      maxActiveCalls: int('FERRY_HOST_MAX_ACTIVE_CALLS', DEFAULT_MAX_ACTIVE_CALLS, 1),
      maxChunkBufferBytes,
      chunkTimeoutMs: int('FERRY_HOST_CHUNK_TIMEOUT_MS', DEFAULT_CHUNK_TIMEOUT_MS, 1),
      maxResultBytes: int(MAX_RESULT_BYTES_SETTING, DEFAULT_MAX_RESULT_BYTES, 1),
    },
    warnings,
  };
}
